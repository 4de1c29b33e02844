import Foundation
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// The FHIR export of a database with a task in every state (and an exception resolved as failed): the
/// same JSON as the committed golden file, valid for an independent validator (the fhir.resources R4B
/// models and R4's value sets, `scripts/validate-fhir.py`), and Handoff's state read back from
/// `businessStatus`. Set HANDOFF_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change.
@Suite(.serialized)
struct FHIRExportTests {
    static let policies = SLAPolicies(calendars: ["office": SLATestCalendar.office], policies: [
        "lab": SLAPolicy(queue: "lab", goals: [.init(priority: nil, target: .hours(4), calendar: "office")],
                         thresholds: [.init(name: "breach", fraction: 1, actions: [.flag])]),
    ])
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/fhir-export.json").path

    let fixture: StoreFixture
    let store: HandoffStore

    init() throws {
        fixture = try StoreFixture()
        store = fixture.store.measuring(Self.policies)
        let (cora, nina, sam, sync) = (try fixture.actor("cora"), try fixture.actor("nina"), try fixture.actor("sam"), try fixture.actor("sync"))
        var clock = SLATestCalendar.local(3, 2, 9)
        func next() -> Date { clock = clock.addingTimeInterval(600); return clock }
        try store.write { db in
            func create(_ queue: String, _ title: String, _ priority: Priority = .routine, patient: Int) throws -> TaskID {
                try db.createTask(TaskDraft(queue: queue, title: title, kind: queue == "lab" ? "lab-review" : "referral", priority: priority,
                                            subject: Reference("Patient/\(patient)"), subjectDisplay: "Synthetic Patient \(patient)",
                                            focus: Reference("DiagnosticReport/\(patient + 9_000)")), by: sync, at: next()).id
            }
            _ = try create("lab", "Review potassium 6.1 mmol/L", .urgent, patient: 1)
            let assigned = try create("lab", "Review INR 4.2", patient: 2)
            try db.perform(.claim, on: assigned, by: cora, at: next())
            let working = try create("lab", "Review troponin", .stat, patient: 3)
            try db.perform(.claim, on: working, by: nina, at: next())
            try db.perform(.start, on: working, by: nina, at: next())
            try db.perform(.note("Called the ward; repeat sample drawn"), on: working, by: nina, at: next())
            let pending = try create("lab", "Review creatinine", patient: 4)
            try db.perform(.claim, on: pending, by: cora, at: next())
            try db.perform(.start, on: pending, by: cora, at: next())
            try db.perform(.pend(reason: "awaiting repeat sample", expectedBy: SLATestCalendar.local(3, 3, 12)), on: pending, by: cora, at: next())
            let review = try create("lab", "Review glucose", .asap, patient: 5)
            try db.perform(.claim, on: review, by: cora, at: next())
            try db.perform(.start, on: review, by: cora, at: next())
            try db.perform(.requestReview, on: review, by: cora, at: next())
            let completed = try create("intake", "Schedule cardiology referral", patient: 6)
            try db.perform(.claim, on: completed, by: cora, at: next())
            try db.perform(.start, on: completed, by: cora, at: next())
            try db.perform(.complete, on: completed, by: cora, at: next())
            let cancelled = try create("intake", "Schedule dermatology referral", patient: 7)
            try db.perform(.cancel(reason: "duplicate referral"), on: cancelled, by: sam, at: next())
            let exception = try create("intake", "Register new patient", patient: 8)
            try db.perform(.raiseException(ExceptionDetail(code: "missing_demographics")), on: exception, by: sync, at: next())
            let failed = try create("intake", "Register transferred patient", patient: 9)
            try db.perform(.raiseException(ExceptionDetail(code: "no_referral_on_file")), on: failed, by: sync, at: next())
            try db.perform(.resolveException(.failed, note: "referral withdrawn by the sender"), on: failed, by: cora, at: next())
        }
    }

    func export(withProvenance: Bool = true) throws -> (bundle: FHIRBundle, details: [TaskDetail]) {
        let details = try store.read { try $0.exportedTasks(by: fixture.admin) }
        return (FHIRTaskMapping.bundle(details, withProvenance: withProvenance, at: SLATestCalendar.local(3, 4, 9)), details)
    }

    @Test func everyStateIsExportedAsTheGoldenFileSays() throws {
        let json = try export().bundle.json() + "\n"
        if ProcessInfo.processInfo.environment["HANDOFF_UPDATE_GOLDEN"] == "1" {
            try json.write(toFile: Self.golden, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: Self.golden, encoding: .utf8)
        #expect(json == golden, "the export differs from Tests/HandoffStoreTests/Golden/fhir-export.json")
    }

    @Test(.enabled(if: FHIRValidator.available || OSUsers.requiredByCI, "needs python3 with fhir.resources (.ci/run installs it)"))
    func anIndependentValidatorAcceptsIt() throws {
        let file = fixture.directory.file("export.json")
        try (try export().bundle.json()).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try FHIRValidator.validate(file)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("valid: 9 Task"), "\(result.stdout)")
    }

    @Test(.enabled(if: FHIRValidator.available || OSUsers.requiredByCI, "needs python3 with fhir.resources (.ci/run installs it)"))
    func theValidatorIsNotAPushover() throws {
        // The same export with one status outside R4's value set, one reference malformed and one
        // required element (intent) missing.
        let file = fixture.directory.file("broken.json")
        var text = try export(withProvenance: false).bundle.json()
        text = text.replacingOccurrences(of: "\"status\" : \"on-hold\"", with: "\"status\" : \"paused\"")
        text = text.replacingOccurrences(of: "\"reference\" : \"Patient/1\"", with: "\"reference\" : \"patient one\"")
        if let intent = text.range(of: "\"intent\" : \"order\",") { text.removeSubrange(intent) }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try FHIRValidator.validate(file)
        #expect(result.status == 1)
        #expect(result.stdout.contains("status 'paused' is not in the R4 TaskStatus value set"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("reference 'patient one' is not Type/id"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("not a valid R4B Task"), "the model itself requires intent: \(result.stdout)\(result.stderr)")
    }

    @Test func statusAndBusinessStatusFollowTheMapping() throws {
        let (bundle, details) = try export(withProvenance: false)
        let data = try JSONEncoder().encode(bundle)
        struct Decoded: Decodable { struct Entry: Decodable { let resource: FHIRTask }; let entry: [Entry] }
        let tasks = try JSONDecoder().decode(Decoded.self, from: data).entry.map(\.resource)
        let expected: [TaskState: String] = [.queued: "requested", .assigned: "accepted", .inProgress: "in-progress", .pending: "on-hold",
                                             .review: "in-progress", .completed: "completed", .exception: "on-hold"]
        #expect(Set(details.map(\.task.state)) == Set(TaskState.allCases), "every state is covered")
        for (task, detail) in zip(tasks, details) {
            // Handoff's state survives the trip through businessStatus exactly.
            #expect(FHIRTaskMapping.state(fromBusinessStatus: task.businessStatus) == detail.task.state)
            if detail.task.state == .cancelled {
                #expect(task.status == (detail.task.resolution == .failed ? "failed" : "cancelled"))
            } else {
                #expect(task.status == expected[detail.task.state])
            }
            #expect(task.for?.reference == detail.task.subject?.description)
            #expect(task.owner?.reference == detail.task.owner.map { "Practitioner/\($0)" })
            #expect(!String(decoding: try JSONEncoder().encode(task), as: UTF8.self).contains("Synthetic Patient"), "patients are never named")
        }
        #expect(tasks.contains { $0.status == "failed" })
        #expect(tasks.first { $0.status == "on-hold" && $0.statusReason?.text == "awaiting repeat sample (expected by \(fhirDateTime(SLATestCalendar.local(3, 3, 12))))" } != nil)
        #expect(tasks.contains { $0.restriction?.period.end != nil }, "lab tasks carry their SLA due time")
    }

    @Test func onlyAdminsAndServiceAccountsExport() throws {
        let (sam, sync) = (try fixture.actor("sam"), try fixture.actor("sync"))
        #expect(throws: StoreError.transition(.invalidInput(field: "role",
                                                           problem: "exporting tasks is for admins and service accounts; you have supervisor"))) {
            try store.read { try $0.exportedTasks(by: sam) }
        }
        #expect(try store.read { try $0.exportedTasks(queue: "intake", by: sync) }.count == 4)
        #expect(try store.read { try $0.exportedTasks(task: TaskID(3), by: fixture.admin) }.map(\.task.id) == [TaskID(3)])
    }
}
