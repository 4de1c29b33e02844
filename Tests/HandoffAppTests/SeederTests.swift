import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// Seeding replays the sample data through the real workflow rules.
struct SeederTests {
    static let sampleFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SampleData").path
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func everySampleTaskEndsInItsStateWithItsOwner() throws {
        let data = try SampleData.load(from: Self.sampleFolder)
        let directory = TemporaryDirectory()
        let store = try HandoffStore.openOrCreate(at: directory.file("demo.db"))
        let summary = try Seeder(data: data, now: now).seed(into: store, admin: "tester", adminDisplayName: "Tester",
                                                              origin: "local", markAsDemo: true)
        #expect(summary.tasks == data.tasks.count)
        #expect(summary.users == data.users.count + 1)

        let tester = try store.read { try $0.actor(named: "tester", origin: "local") }
        let tasks = try store.read { try $0.tasks(TaskFilter(includeClosed: true, limit: 10_000), visibleTo: tester) }
        // Tasks are created in time order, so ids follow the file's order by age.
        let expected = data.tasks.sorted { DurationText.seconds($0.createdAgo)! > DurationText.seconds($1.createdAgo)! }
        let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id.number, $0) })
        for (index, sample) in expected.enumerated() {
            let task = try #require(byID[Int64(index + 1)])
            #expect(task.title == sample.title)
            #expect(task.state == sample.state, "\(task.id) \(sample.title)")
            #expect(task.queue == sample.queue)
            #expect(task.priority == sample.priority)
            if sample.state != .queued, sample.state != .cancelled, let owner = sample.owner {
                #expect(task.owner == owner, "\(task.id)")
            }
            #expect(task.createdAt == now.addingTimeInterval(-DurationText.seconds(sample.createdAgo)!))
            #expect(task.updatedAt <= now)
        }
        #expect(try store.read { try $0.isDemo() })
    }

    @Test func historiesAreInTimeOrderAndPatientNamesStayOutOfTheAudit() throws {
        let data = try SampleData.load(from: Self.sampleFolder)
        let directory = TemporaryDirectory()
        let store = try HandoffStore.openOrCreate(at: directory.file("demo.db"))
        _ = try Seeder(data: data, now: now).seed(into: store, admin: "tester", adminDisplayName: "Tester",
                                                  origin: "local", markAsDemo: true)
        let audit = try store.read { try $0.auditLog(limit: 100_000) }
        #expect(zip(audit, audit.dropFirst()).allSatisfy { $0.entry.time <= $1.entry.time })
        let text = audit.map { "\($0.entry.detail)" }.joined(separator: "\n")
        for patient in data.patients { #expect(!text.contains(patient.name), "\(patient.name) leaked into the audit") }
    }

    @Test func seedingADatabaseWithTasksIsRefused() throws {
        let data = try SampleData.load(from: Self.sampleFolder)
        let directory = TemporaryDirectory()
        let store = try HandoffStore.openOrCreate(at: directory.file("demo.db"))
        let seeder = Seeder(data: data, now: now)
        _ = try seeder.seed(into: store, admin: "tester", adminDisplayName: "Tester", origin: "local", markAsDemo: false)
        let before = try store.read { try $0.auditCount() }
        #expect(throws: StoreError.alreadySeeded) {
            try seeder.seed(into: store, admin: "tester", adminDisplayName: "Tester", origin: "local", markAsDemo: false)
        }
        #expect(try store.read { try $0.auditCount() } == before)
        #expect(try store.read { try $0.isDemo() } == false)
    }

    @Test func sampleDataIsSyntheticAndVaried() throws {
        let data = try SampleData.load(from: Self.sampleFolder)
        #expect((35...50).contains(data.patients.count))
        #expect(data.queues.count == 6)
        #expect((8...14).contains(data.users.count))
        #expect(Set(data.users.flatMap(\.roles)) == Set(Role.allCases))
        #expect(Set(data.tasks.map(\.state)) == Set(TaskState.allCases))
        #expect(data.patients.contains { $0.name.unicodeScalars.contains { DisplayTextProbe.isWide($0) } })
        #expect(data.patients.contains { $0.name.contains("ñ") || $0.name.contains("ë") })
    }
}

enum DisplayTextProbe {
    static func isWide(_ scalar: Unicode.Scalar) -> Bool { DisplayText.width(String(scalar)) == 2 }
}
