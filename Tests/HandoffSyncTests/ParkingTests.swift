import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// Out-of-order events wait for their task for a bounded time, without blocking anything else.
struct ParkingTests {
    let fixture: SyncFixture

    init() throws { fixture = try SyncFixture(parkTimeout: 60) }

    @Test func anEventBeforeItsTaskWaitsAndIsAppliedInOrderWhenTheTaskArrives() throws {
        let requested = RoutingTests.authorizationRequested("ServiceRequest/1")
        let approved = RoutingTests.authorizationReceived("ServiceRequest/1", "approved")
        let tally = try fixture.ingest([requested, approved])
        #expect(tally.parked == 2)
        #expect(try fixture.store.read { try $0.eventCounts()[.parked] } == 2)
        try fixture.ingest([RoutingTests.referral("ServiceRequest/1")])
        let task = try #require(try fixture.openTask("ServiceRequest/1"))
        let actions = try fixture.store.read { try $0.auditLog(task: task.id) }.map(\.entry.action)
        #expect(actions == ["create", "pend", "resume"], "the waiting events apply in the order they arrived")
        #expect(task.state == .queued)
        #expect(try fixture.store.read { try $0.eventCounts()[.parked] } == nil)
    }

    @Test func anEventWhoseTaskNeverAppearsIsDeadLetteredAfterItsTimeAndLaterEventsAreNotBlocked() throws {
        let orphan = TestEvent.json("referral.cancelled", extra: ["partitionkey": "pk-1"],
                                    data: ["referral": "ServiceRequest/404", "reason": "duplicate"])
        try fixture.ingest([orphan])
        let later = TestEvent.json("appointment.cancelled", extra: ["partitionkey": "pk-1"], data: [
            "patient": "Patient/1001", "name": "José Nuñez", "appointment": "Appointment/1", "reason": "sick"])
        try fixture.ingest([later])
        #expect(try fixture.openTask("Appointment/1") != nil, "the same patient's later event is not held behind it")
        let worker = try fixture.worker()
        var retries = 0
        for _ in 0..<10 {
            fixture.now += 10
            retries += try worker.step()?.retries ?? 0
        }
        #expect(retries >= 3, "retried with back-off")
        #expect(retries < 10, "not on every tick")
        let letter = try #require(try fixture.deadLetters().first)
        #expect(letter.reason == .noMatchingTask)
        #expect(letter.correlationKey == "ServiceRequest/404")
        let entry = try #require(try fixture.store.read { try $0.events(matching: "ServiceRequest/404") }.first)
        #expect(entry.status == .dead)
        #expect(try fixture.store.read { try $0.eventCounts()[.parked] } == nil)
    }

    @Test func aDeadLetterReplayedAfterItsTaskArrivedIsAppliedAndClosedWithAnAuditRecord() throws {
        try fixture.ingest([TestEvent.json("referral.cancelled", data: ["referral": "ServiceRequest/5", "reason": "declined"])])
        fixture.now += 61
        _ = try fixture.worker().step()
        let letter = try #require(try fixture.deadLetters().first)
        try fixture.ingest([RoutingTests.referral("ServiceRequest/5")])
        let replayer = DeadLetterReplayer(ingestor: EventIngestor(routes: fixture.routes, actor: fixture.service))
        let result = try fixture.store.write { try replayer.replay(letter.id, by: fixture.admin, in: $0, at: fixture.now) }
        #expect(result == .replayed(.applied(created: 0, changed: 1)))
        #expect(try fixture.tasks("ServiceRequest/5").first?.state == .cancelled)
        #expect(try fixture.deadLetters().isEmpty)
        let audit = try fixture.store.read { try $0.auditLog(actor: "ada") }.last?.entry
        #expect(audit?.action == "deadletter.replay")
        #expect(audit?.detail["deadLetter"] == String(letter.id))
        #expect(throws: (any Error).self) {
            try fixture.store.write { try replayer.replay(letter.id, by: fixture.admin, in: $0, at: fixture.now) }
        }
    }

    @Test func aReplayThatStillFailsForAnotherReasonKeepsOneDeadLetter() throws {
        let unknown = TestEvent.json("bed.assigned", data: ["bed": "4B"])
        try fixture.ingest([unknown])
        let letter = try #require(try fixture.deadLetters().first)
        #expect(letter.reason == .unknownType)
        let routes = Routes(schemas: fixture.routes.schemas.merging(["bed.assigned": [1: PayloadSchema(eventType: "bed.assigned", version: 1, fields: [
            .init(path: "patient", type: .reference("Patient")),
        ])]]) { $1 }, rules: fixture.routes.rules)
        let replayer = DeadLetterReplayer(ingestor: EventIngestor(routes: routes, actor: fixture.service))
        let result = try fixture.store.write { try replayer.replay(letter.id, by: fixture.admin, in: $0, at: fixture.now) }
        guard case let .stillFailing(rejection) = result else { Issue.record("replayed: \(result)"); return }
        #expect(rejection.reason == .dataInvalid, "a schema now exists, and the payload does not meet it")
        let open = try fixture.deadLetters()
        #expect(open.count == 1, "still one dead letter for these bytes")
        #expect(open.first?.reason == .dataInvalid)
        #expect(open.first?.attempts == 2)
    }

    @Test func discardingNeedsAReasonAndTheAdminRoleAndIsAudited() throws {
        try fixture.ingest(["{broken"])
        let letter = try #require(try fixture.deadLetters().first)
        let nurse = Actor(name: "nina", roles: [.nurse])
        #expect(throws: (any Error).self) {
            try fixture.store.write { try $0.closeDeadLetter(letter.id, as: .discarded, note: "noise", by: nurse, at: fixture.now) }
        }
        #expect(throws: (any Error).self) {
            try fixture.store.write { try $0.closeDeadLetter(letter.id, as: .discarded, note: "  ", by: fixture.admin, at: fixture.now) }
        }
        try fixture.store.write { try $0.closeDeadLetter(letter.id, as: .discarded, note: "test noise from the interface engine", by: fixture.admin, at: fixture.now) }
        let closed = try fixture.store.read { try $0.deadLetter(letter.id) }
        #expect(closed.status == .discarded)
        #expect(closed.closedBy == "ada")
        #expect(try fixture.store.read { try $0.auditLog(actor: "ada") }.last?.entry.action == "deadletter.discard")
    }

    @Test func aReplayOfTheLogAppliesWhatWasIgnoredAndNeverDuplicates() throws {
        let early = TestEvent.json("patient.updated", data: ["patient": "Patient/1003", "phone": "555-0102"])
        try fixture.ingest([RoutingTests.lab("DiagnosticReport/1"), early])
        try fixture.ingest([TestEvent.json("patient.registered", data: ["patient": "Patient/1003", "name": "Søren Kierkby"])])
        #expect(try fixture.openTask("Patient/1003")?.exceptionContext["missing"] == "birthDate, phone, address, insurance")
        let ingestor = EventIngestor(routes: fixture.routes, actor: fixture.service)
        let replay = { try fixture.store.write { db in try db.loggedEvents(since: nil).map { try ingestor.reapply($0, in: db, at: fixture.now) } } }
        #expect(try replay() == [.duplicate, .applied(created: 0, changed: 1), .duplicate])
        #expect(try fixture.openTask("Patient/1003")?.exceptionContext["missing"] == "birthDate, address, insurance")
        #expect(try replay() == [.duplicate, .duplicate, .duplicate], "a second replay changes nothing")
        #expect(try fixture.tasks("DiagnosticReport/1").count == 1)
    }
}
