import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// Every row of the v1 payload table in `events.md`, through the shipped routes and a real database.
struct RoutingTests {
    let fixture: SyncFixture

    init() throws { fixture = try SyncFixture() }

    static func lab(_ report: String, critical: Bool = false, abnormal: Bool = false, id: String? = nil) -> String {
        TestEvent.json("lab.result.signed", id: id, subject: "Patient/1001", data: [
            "patient": "Patient/1001", "name": "José Nuñez", "report": report,
            "test": ["code": "2823-3", "display": "Potassium 6.1 mmol/L"], "abnormal": abnormal || critical, "critical": critical,
        ])
    }

    static func referral(_ referral: String, urgency: String = "urgent") -> String {
        TestEvent.json("referral.received", subject: "Patient/1002", data: [
            "patient": "Patient/1002", "name": "Zoë Adeyemi", "referral": referral, "specialty": "cardiology",
            "urgency": urgency, "needsAuthorization": true,
        ])
    }

    static func authorizationRequested(_ referral: String) -> String {
        TestEvent.json("authorization.requested", data: ["patient": "Patient/1002", "referral": referral, "payer": "Northwind (fake payer)"])
    }

    static func authorizationReceived(_ referral: String, _ decision: String, reason: String? = nil) -> String {
        var data: [String: Any] = ["referral": referral, "decision": decision]
        if let reason { data["reason"] = reason }
        return TestEvent.json("authorization.received", data: data)
    }

    @Test(arguments: [(true, false, Priority.stat), (false, true, .urgent), (false, false, .routine)])
    func signedResultsBecomeReviewTasksByUrgency(critical: Bool, abnormal: Bool, priority: Priority) throws {
        try fixture.ingest([Self.lab("DiagnosticReport/9", critical: critical, abnormal: abnormal)])
        let task = try #require(try fixture.openTask("DiagnosticReport/9"))
        #expect(task.queue == "lab-results")
        #expect(task.kind == "lab-review")
        #expect(task.priority == priority)
        #expect(task.state == .queued)
        #expect(task.title == "Review Potassium 6.1 mmol/L")
        #expect(task.subject == Reference("Patient/1001"))
        #expect(task.subjectDisplay == "José Nuñez")
        #expect(task.focus == Reference("DiagnosticReport/9"))
        let audit = try fixture.store.read { try $0.auditLog(task: task.id) }
        #expect(audit.map(\.entry.actor) == ["handoff-sync"])
        let event = try #require(audit.first?.entry.detail["event"])
        #expect(audit.first?.entry.traceID?.contains(TestEvent.traceID(of: event)) == true)
    }

    @Test func aSecondCreateForTheSameKeyUpdatesTheOpenTask() throws {
        try fixture.ingest([Self.lab("DiagnosticReport/9"), Self.lab("DiagnosticReport/9", critical: true)])
        let tasks = try fixture.tasks("DiagnosticReport/9")
        #expect(tasks.count == 1)
        #expect(tasks.first?.priority == .stat)
        let actions = try fixture.store.read { try $0.auditLog(task: tasks[0].id) }.map(\.entry.action)
        #expect(actions == ["create", "note", "reprioritise"])
    }

    @Test func registrationWithGapsRaisesAnExceptionListingThem() throws {
        try fixture.ingest([
            TestEvent.json("patient.registered", data: ["patient": "Patient/1003", "name": "Søren Kierkby", "birthDate": "1992-11-07",
                                                        "address": "1 Sample Road"]),
            TestEvent.json("patient.registered", data: ["patient": "Patient/1004", "name": "李娜", "birthDate": "1957-05-06",
                                                        "phone": "555-0101", "address": "2 Sample Road", "insurance": "Fake Health"]),
        ])
        let task = try #require(try fixture.openTask("Patient/1003"))
        #expect(task.state == .exception)
        #expect(task.queue == "registration-exceptions")
        #expect(task.kind == "demographics-exception")
        #expect(task.exceptionCode == "missing_demographics")
        #expect(task.exceptionContext == ["missing": "phone, insurance"])
        #expect(try fixture.openTask("Patient/1004") == nil)
    }

    @Test func updatesNarrowThenCompleteTheDemographicsException() throws {
        try fixture.ingest([TestEvent.json("patient.registered", data: ["patient": "Patient/1003", "name": "Søren Kierkby"])])
        try fixture.ingest([TestEvent.json("patient.updated", data: ["patient": "Patient/1003", "phone": "555-0102"])])
        let narrowed = try #require(try fixture.openTask("Patient/1003"))
        #expect(narrowed.exceptionContext["missing"] == "birthDate, address, insurance")
        #expect(narrowed.state == .exception)
        try fixture.ingest([TestEvent.json("patient.updated", data: [
            "patient": "Patient/1003", "birthDate": "1992-11-07", "address": "1 Sample Road", "insurance": "Fake Health",
        ])])
        #expect(try fixture.openTask("Patient/1003") == nil)
        let closed = try #require(try fixture.tasks("Patient/1003").first)
        #expect(closed.state == .completed)
        #expect(closed.resolution == .completed)
        #expect(closed.updatedBy == "handoff-sync")
    }

    @Test func anUpdateForAPatientWithoutAnExceptionChangesNothing() throws {
        let tally = try fixture.ingest([TestEvent.json("patient.updated", data: ["patient": "Patient/1009", "phone": "555-0103"])])
        #expect(tally.ignored == 1)
        #expect(try fixture.store.read { try $0.taskCount() } == 0)
    }

    @Test func anAmendedResultInReviewGoesBackToTheQueueWithTheNote() throws {
        try fixture.ingest([Self.lab("DiagnosticReport/9")])
        let task = try #require(try fixture.openTask("DiagnosticReport/9"))
        let cora = Actor(name: "cora", roles: [.coordinator])
        try fixture.store.write { db in
            for action in [TaskAction.claim, .start, .requestReview] { try db.perform(action, on: task.id, by: cora, at: fixture.now) }
        }
        try fixture.ingest([TestEvent.json("lab.result.amended", data: ["patient": "Patient/1001", "report": "DiagnosticReport/9",
                                                                         "note": "Haemolysed sample; repeat"])])
        let returned = try #require(try fixture.openTask("DiagnosticReport/9"))
        #expect(returned.id == task.id)
        #expect(returned.state == .queued)
        #expect(returned.owner == nil)
        let detail = try fixture.store.read { try $0.taskDetail(task.id, for: fixture.admin) }
        #expect(detail.notes.last?.text == "Amended result: Haemolysed sample; repeat")
    }

    @Test func anAmendedResultWhileQueuedIsANote() throws {
        try fixture.ingest([Self.lab("DiagnosticReport/9")])
        try fixture.ingest([TestEvent.json("lab.result.amended", data: ["patient": "Patient/1001", "report": "DiagnosticReport/9", "note": "Units corrected"])])
        let task = try #require(try fixture.openTask("DiagnosticReport/9"))
        #expect(task.state == .queued)
        #expect(try fixture.store.read { try $0.taskDetail(task.id, for: fixture.admin) }.notes.map(\.text) == ["Amended result: Units corrected"])
    }

    @Test func anAmendedResultAfterCompletionCreatesANewReviewTask() throws {
        try fixture.ingest([Self.lab("DiagnosticReport/9")])
        let first = try #require(try fixture.openTask("DiagnosticReport/9"))
        let cora = Actor(name: "cora", roles: [.coordinator]), nina = Actor(name: "nina", roles: [.nurse])
        try fixture.store.write { db in
            for action in [TaskAction.claim, .start, .requestReview] { try db.perform(action, on: first.id, by: cora, at: fixture.now) }
            try db.perform(.approve, on: first.id, by: nina, at: fixture.now)
        }
        try fixture.ingest([TestEvent.json("lab.result.amended", data: ["patient": "Patient/1001", "report": "DiagnosticReport/9", "note": "Revised"])])
        let tasks = try fixture.tasks("DiagnosticReport/9")
        #expect(tasks.map(\.state) == [.completed, .queued])
        #expect(tasks.last?.priority == .urgent)
        #expect(tasks.last?.subjectDisplay == "José Nuñez")
    }

    @Test func referralAuthorizationApprovedResumes() throws {
        try fixture.ingest([Self.referral("ServiceRequest/77", urgency: "routine")])
        let task = try #require(try fixture.openTask("ServiceRequest/77"))
        #expect(task.queue == "referral-intake")
        #expect(task.priority == .routine)
        #expect(task.title == "Referral to cardiology — intake")
        try fixture.ingest([Self.authorizationRequested("ServiceRequest/77")])
        let pending = try #require(try fixture.openTask("ServiceRequest/77"))
        #expect(pending.state == .pending)
        #expect(pending.pendingReason == "awaiting authorization from Northwind (fake payer)")
        try fixture.ingest([Self.authorizationReceived("ServiceRequest/77", "approved")])
        #expect(try fixture.openTask("ServiceRequest/77")?.state == .queued)
    }

    @Test func referralAuthorizationDeniedBecomesAnException() throws {
        try fixture.ingest([Self.referral("ServiceRequest/78"), Self.authorizationRequested("ServiceRequest/78"),
                            Self.authorizationReceived("ServiceRequest/78", "denied", reason: "Not medically necessary")])
        let task = try #require(try fixture.openTask("ServiceRequest/78"))
        #expect(task.state == .exception)
        #expect(task.exceptionCode == "authorization_denied")
        #expect(task.exceptionContext == ["reason": "Not medically necessary"])
    }

    @Test func aCancelledReferralCancelsItsTask() throws {
        try fixture.ingest([Self.referral("ServiceRequest/79"),
                            TestEvent.json("referral.cancelled", data: ["referral": "ServiceRequest/79", "reason": "Patient declined"])])
        let task = try #require(try fixture.tasks("ServiceRequest/79").first)
        #expect(task.state == .cancelled)
        #expect(task.cancelReason == "Referral cancelled upstream: Patient declined")
    }

    @Test func aCancelledAppointmentBecomesARescheduleTask() throws {
        try fixture.ingest([TestEvent.json("appointment.cancelled", data: ["patient": "Patient/1005", "name": "김민준",
                                                                            "appointment": "Appointment/5", "reason": "clinic closed"])])
        let task = try #require(try fixture.openTask("Appointment/5"))
        #expect(task.queue == "care-followup")
        #expect(task.kind == "reschedule")
        #expect(task.title == "Reschedule cancelled appointment (clinic closed)")
    }

    @Test func aFailedClaimValidationRaisesAnExceptionListingTheErrors() throws {
        try fixture.ingest([TestEvent.json("claim.validation.failed", data: [
            "patient": "Patient/1006", "name": "Ngozi Eze", "claim": "Claim/31",
            "errors": [["field": "insurance.memberId", "message": "missing"], ["field": "diagnosis", "message": "code not billable"]],
        ])])
        let task = try #require(try fixture.openTask("Claim/31"))
        #expect(task.state == .exception)
        #expect(task.kind == "claim-exception")
        #expect(task.queue == "registration-exceptions")
        #expect(task.exceptionCode == "claim_validation_failed")
        #expect(task.exceptionContext == ["claim": "Claim/31", "fields": "insurance.memberId, diagnosis",
                                          "errors": "missing, code not billable"])
    }
}
