import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// The dashboard's per-queue figures on the seeded sample world, checked against counts made here,
/// task by task, from the same definitions.
struct QueueFiguresTests {
    @Test func figuresMatchCountsMadeTaskByTask() throws {
        let data = try SampleData.load(from: SeederTests.sampleFolder)
        let directory = TemporaryDirectory()
        let seeded = Date(timeIntervalSince1970: 1_795_000_000)
        let store = try HandoffStore.openOrCreate(at: directory.file("demo.db"))
        try Seeder(data: data, now: seeded).seed(into: store, admin: "tester", adminDisplayName: "Tester", origin: "local", markAsDemo: true)
        let now = seeded.addingTimeInterval(3 * 3_600)
        let dayStart = now.addingTimeInterval(-10 * 3_600)
        let admin = try store.read { try $0.actor(named: "tester", origin: "local") }
        let all = try store.read { try $0.tasks(TaskFilter(includeClosed: true, limit: 100_000), visibleTo: admin) }
        let figures = try store.read { db in try db.queueFigures(db.supervisedQueues(of: admin), at: now, dayStart: dayStart) }
        #expect(figures.map(\.queue) == data.queues.map(\.name).sorted())
        #expect(figures.contains { $0.breachedNow > 0 } && figures.contains { $0.unassigned > 0 }, "the sample exercises the figures")

        for queue in figures {
            let tasks = all.filter { $0.queue == queue.queue }
            let open = tasks.filter { $0.state.isActive }
            var depth: [TaskState: Int] = [:]
            for task in open { depth[task.state, default: 0] += 1 }
            #expect(queue.depth == depth, "\(queue.queue)")
            #expect(queue.unassigned == open.filter { $0.owner == nil }.count)
            #expect(queue.oldestAge == open.map(\.createdAt).min().map { Int(now.timeIntervalSince($0)) })
            #expect(queue.atRisk == open.filter { task in
                (task.dueAt.map { $0 > now } ?? false) && (task.slaThreshold != nil || (task.slaNextAt.map { $0 <= now } ?? false))
            }.count, "\(queue.queue) at risk")
            #expect(queue.breachedNow == open.filter { ($0.dueAt.map { $0 <= now } ?? false) || $0.slaStage == .breached }.count)
            #expect(queue.breachedToday == tasks.filter { task in
                guard let due = task.dueAt, due >= dayStart, due <= now else { return false }
                return task.state.isActive || task.slaStage == .breached
            }.count, "\(queue.queue) breached today")
            let completed = tasks.filter { $0.state == .completed && $0.updatedAt >= dayStart }
            #expect(queue.completedToday == completed.count)
            #expect(queue.completedLateToday == completed.filter { $0.slaStage == .breached }.count)
        }
    }

    @Test func supervisorsSeeTheirQueuesAndOthersNone() throws {
        let fixture = try StoreFixture()
        let sam = try fixture.actor("sam"), cora = try fixture.actor("cora"), ada = try fixture.actor("ada")
        #expect(try fixture.store.read { try $0.supervisedQueues(of: sam) } == ["intake", "lab"])
        #expect(try fixture.store.read { try $0.supervisedQueues(of: cora) }.isEmpty)
        #expect(try fixture.store.read { try $0.supervisedQueues(of: ada) } == ["intake", "lab"], "admins oversee every queue")
    }
}
