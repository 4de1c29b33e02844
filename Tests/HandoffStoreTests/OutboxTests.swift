import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// The outbox: one event per task change, written in the change's transaction, in the order the
/// changes committed; nothing for a change that was refused or rolled back.
struct OutboxTests {
    let fixture: StoreFixture
    let cora: Actor
    let sam: Actor

    init() throws {
        fixture = try StoreFixture()
        cora = try fixture.actor("cora")
        sam = try fixture.actor("sam")
    }

    var time: Date { fixture.start.addingTimeInterval(600) }

    func outbox() throws -> [(seq: Int64, audit: Int64, task: Int64, type: String, line: String)] {
        try fixture.store.read { session in
            try Row.fetchAll(session.db, sql: "SELECT seq, audit, task, type, event FROM outbox ORDER BY seq")
                .map { ($0["seq"], $0["audit"], $0["task"], $0["type"], $0["event"]) }
        }
    }

    /// The audit records of task changes (accesses aside), oldest first.
    func changeRecords() throws -> [StoredAudit] {
        try fixture.store.read { try $0.auditLog() }.filter { $0.entry.taskID != nil && $0.entry.action != "view" }
    }

    @Test func everyChangeWritesOneEventLinkedToItsAuditRecordInOrder() throws {
        let task = try fixture.makeTask()
        try fixture.store.write { db in
            try db.perform(.claim, on: task.id, by: cora, at: time)
            _ = try db.openTask(task.id, by: cora, at: time)
            try db.perform(.start, on: task.id, by: cora, at: time)
            try db.perform(.note("called the ward"), on: task.id, by: cora, at: time)
            try db.perform(.requestReview, on: task.id, by: cora, at: time)
        }
        let rows = try outbox()
        let records = try changeRecords()
        #expect(rows.map(\.type) == ["task.created", "task.assigned", "task.started", "task.noted", "task.review.requested"])
        #expect(rows.map(\.audit) == records.map(\.seq), "one event per audited change, none for the view")
        #expect(rows.map(\.seq) == Array(1...Int64(rows.count)))
        let events = try rows.map { try EventDecoder.decode(Data($0.line.utf8)).get() }
        let source = try fixture.store.read { try $0.outboundSource() }
        #expect(source.hasPrefix("urn:uuid:") && events.allSatisfy { $0.source == source })
        #expect(Set(events.map(\.id)).count == events.count, "ids are unique")
        #expect(events.map { $0.data?["version"] } == (1...5).map { .number(Double($0)) })
        #expect(events.map { $0.extensions["sequence"]?.string } == rows.map { OutboundEvent.sequenceText($0.seq) })
    }

    @Test func aRefusedOrRolledBackChangeLeavesNoEventAndNoGap() throws {
        let task = try fixture.makeTask()
        // Refused by the rules: the supervisor may not start work that is not theirs.
        #expect(throws: (any Error).self) { try fixture.store.write { try $0.perform(.start, on: task.id, by: sam, at: time) } }
        // Refused for a stale version.
        #expect(throws: (any Error).self) { try fixture.store.write { try $0.perform(.claim, on: task.id, expectedVersion: 7, by: cora, at: time) } }
        // Allowed, then rolled back with the rest of its transaction.
        struct Abandon: Error {}
        #expect(throws: (any Error).self) {
            try fixture.store.write { db in
                try db.perform(.claim, on: task.id, by: cora, at: time)
                throw Abandon()
            }
        }
        #expect(try outbox().map(\.type) == ["task.created"])
        try fixture.store.write { try $0.perform(.claim, on: task.id, by: cora, at: time) }
        #expect(try outbox().map(\.seq) == [1, 2], "the rolled-back event's number is given again: no gap")
    }

    @Test func aChangeUndoneWithItsSavepointTakesItsEventWithItAndTheBatchGoesOn() throws {
        // As the sync worker and the sweeper do: one savepoint per event in a batch that commits.
        let task = try fixture.makeTask()
        struct Refused: Error {}
        try fixture.store.write { db in
            #expect(throws: (any Error).self) {
                try db.savepoint {
                    try db.perform(.claim, on: task.id, by: cora, at: time)
                    throw Refused()
                }
            }
            try db.perform(.note("seen"), on: task.id, by: cora, at: time)
        }
        #expect(try outbox().map(\.type) == ["task.created", "task.noted"])
        #expect(try outbox().map(\.seq) == [1, 2])
        #expect(try outbox().map(\.audit) == (try changeRecords().map(\.seq)))
    }

    @Test func pruningRemovesAnUnbrokenRunFromTheOldestAndAReplayNeverSkipsWhatWasPruned() throws {
        // Clocks of different processes need not agree: the third change is stamped before the second.
        let task = try fixture.makeTask()   // +60 s
        try fixture.store.write { db in
            try db.perform(.claim, on: task.id, by: cora, at: fixture.start.addingTimeInterval(9_000))
            try db.perform(.start, on: task.id, by: cora, at: fixture.start.addingTimeInterval(100))
            _ = try db.recordOutboundDelivery(after: 0, through: 3, events: 3, file: "f", at: time)
        }
        let pruned = try fixture.store.write { try $0.pruneOutbound(before: fixture.start.addingTimeInterval(5_000), limit: 100, at: time) }
        #expect(pruned == 1, "the old third event stays behind the young second one")
        #expect(try outbox().map(\.seq) == [2, 3])
        #expect(throws: StoreError.outboundPruned(through: fixture.start.addingTimeInterval(60))) {
            try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(50), at: time) }
        }
        #expect(try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(61), at: time) } == 2)

        // The kept third event (+100 s) is older than the pruned second one (+9,000 s): a replay from +200 s
        // would find nothing of the second and must say so, not "nothing to deliver".
        _ = try fixture.store.write { db -> Int in
            _ = try db.recordOutboundDelivery(after: 1, through: 3, events: 2, file: "g", at: time)
            return try db.pruneOutbound(before: fixture.start.addingTimeInterval(99_999), limit: 1, at: time)
        }
        #expect(try outbox().map(\.seq) == [3])
        #expect(throws: StoreError.outboundPruned(through: fixture.start.addingTimeInterval(9_000))) {
            try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(200), at: time) }
        }
    }

    @Test func aPruneCutShortByItsLimitAmongEqualTimesKeepsTheReplayHonest() throws {
        // The worker stamps a whole batch with one time; a prune limited to fewer rows stops inside it.
        for _ in 0..<3 { _ = try fixture.makeTask() }   // three events, all at +60 s
        try fixture.store.write { _ = try $0.recordOutboundDelivery(after: 0, through: 3, events: 3, file: "f", at: time) }
        #expect(try fixture.store.write { try $0.pruneOutbound(before: fixture.start.addingTimeInterval(600), limit: 2, at: time) } == 2)
        #expect(throws: StoreError.outboundPruned(through: fixture.start.addingTimeInterval(60))) {
            try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(60), at: time) }
        }
    }

    @Test func anAdminCanTurnEmittingOffAndOn() throws {
        let task = try fixture.makeTask()
        try fixture.store.write { db in
            try db.setConfiguration(["outbound.emit": "off"], change: "outbound.emit", detail: ["emit": "off"], by: fixture.admin, at: time)
            try db.perform(.claim, on: task.id, by: cora, at: time)
            try db.setConfiguration(["outbound.emit": "on"], change: "outbound.emit", detail: ["emit": "on"], by: fixture.admin, at: time)
            try db.perform(.start, on: task.id, by: cora, at: time)
        }
        #expect(try outbox().map(\.type) == ["task.created", "task.started"], "nothing for the change made while off")
    }

    @Test func theSourceIsTheInstancesAndChangesOnlyLaterEvents() throws {
        let task = try fixture.makeTask()
        try fixture.store.write { db in
            try db.setConfiguration(["outbound.source": "urn:hospital:handoff:north"], change: "outbound.source",
                                    detail: ["source": "urn:hospital:handoff:north"], by: fixture.admin, at: time)
            try db.perform(.claim, on: task.id, by: cora, at: time)
        }
        let sources = try outbox().map { try EventDecoder.decode(Data($0.line.utf8)).get().source }
        #expect(sources.count == 2 && sources[0].hasPrefix("urn:uuid:") && sources[1] == "urn:hospital:handoff:north")
        #expect(try fixture.store.read { try $0.auditLog() }.contains { $0.entry.action == "outbound.source" && $0.entry.actor == "ada" })
    }

    @Test func deliveryMovesTheCursorOnlyFromWhereItWas() throws {
        let task = try fixture.makeTask()
        try fixture.store.write { try $0.perform(.claim, on: task.id, by: cora, at: time) }
        let recorded = try fixture.store.write { try $0.recordOutboundDelivery(after: 0, through: 2, events: 2, file: "f", at: time) }
        #expect(recorded)
        #expect(try fixture.store.read { try $0.outboundCursor() } == 2)
        // A delivery that read the cursor before it moved records nothing.
        let stale = try fixture.store.write { try $0.recordOutboundDelivery(after: 0, through: 2, events: 2, file: "f", at: time) }
        #expect(!stale)
        let backlog = try fixture.store.read { try $0.outboundBacklog() }
        #expect(backlog.newest == 2 && backlog.waiting == 0 && backlog.oldestWaiting == nil)
    }

    @Test func replayRewindsToTheFirstEventSinceATimeUnlessItWasPruned() throws {
        let task = try fixture.makeTask()   // at start + 60 s
        try fixture.store.write { db in
            try db.perform(.claim, on: task.id, by: cora, at: fixture.start.addingTimeInterval(3_600))
            try db.perform(.start, on: task.id, by: cora, at: fixture.start.addingTimeInterval(7_200))
            _ = try db.recordOutboundDelivery(after: 0, through: 3, events: 3, file: "f", at: time)
        }
        let again = try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(3_000), at: time) }
        #expect(again == 2)
        #expect(try fixture.store.read { try $0.outboundCursor() } == 1)
        #expect(try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(9_000), at: time) } == 0)

        // Delivered again, then the first event is pruned: a replay from before it is refused, later ones allowed.
        let pruned = try fixture.store.write { db -> Int in
            _ = try db.recordOutboundDelivery(after: 1, through: 3, events: 2, file: "g", at: time)
            return try db.pruneOutbound(before: fixture.start.addingTimeInterval(600), limit: 100, at: time)
        }
        #expect(pruned == 1)
        #expect(throws: StoreError.outboundPruned(through: fixture.start.addingTimeInterval(60))) {
            try fixture.store.write { try $0.rewindOutbound(to: fixture.start, at: time) }
        }
        #expect(try fixture.store.write { try $0.rewindOutbound(to: fixture.start.addingTimeInterval(3_600), at: time) } == 2)
        // Nothing waiting is ever pruned.
        #expect(try fixture.store.write { try $0.pruneOutbound(before: fixture.start.addingTimeInterval(99_999), limit: 100, at: time) } == 0)
        let task2 = try fixture.makeTask()
        try fixture.store.write { try $0.perform(.claim, on: task2.id, by: cora, at: time) }
        #expect(try outbox().map(\.seq) == [2, 3, 4, 5], "numbers are never given twice, even after pruning")
    }
}
