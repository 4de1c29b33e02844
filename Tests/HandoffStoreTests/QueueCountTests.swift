import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// The maintained counts of tasks per queue and state (`queueCount`) against counting the tasks
/// themselves, after creating, working, moving and closing tasks; and the counts the listing answers
/// from them.
struct QueueCountTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    /// Counts kept by the triggers, and counted afresh from the task table.
    func counts() throws -> (kept: [String: Int], counted: [String: Int]) {
        try fixture.store.read { db in
            let rows = { (sql: String) in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.db, sql: sql).map { ("\($0[0] as String)/\($0[1] as String)", $0[2] as Int) })
            }
            return (try rows("SELECT queue, state, tasks FROM queueCount WHERE tasks > 0"),
                    try rows("SELECT queue, state, count(*) FROM task GROUP BY queue, state"))
        }
    }

    @Test func theKeptCountsFollowEveryChange() throws {
        let cora = try fixture.actor("cora"), sam = try fixture.actor("sam")
        let tasks = try (0..<12).map { try fixture.makeTask(in: $0 % 3 == 0 ? "intake" : "lab", title: "Task \($0)") }
        var clock = fixture.start.addingTimeInterval(600)
        func next() -> Date { clock = clock.addingTimeInterval(60); return clock }
        try fixture.store.write { db in
            for task in tasks.prefix(6) { try db.perform(.claim, on: task.id, by: cora, at: next()) }
            try db.perform(.start, on: tasks[1].id, by: cora, at: next())
            try db.perform(.pend(reason: "awaiting results", expectedBy: nil), on: tasks[2].id, by: cora, at: next())
            try db.perform(.release, on: tasks[4].id, by: cora, at: next())
            try db.perform(.note("no change of state"), on: tasks[5].id, by: cora, at: next())
            try db.perform(.cancel(reason: "duplicate"), on: tasks[7].id, by: sam, at: next())
            try db.perform(.move(toQueue: "intake", reason: "wrong queue"), on: tasks[8].id, by: sam, at: next())
        }
        let (kept, counted) = try counts()
        #expect(kept == counted)
        #expect(kept["intake/queued"] == 3, "tasks 6 and 9, and task 8 moved in (0 and 3 are claimed)")
        #expect(kept["lab/cancelled"] == 1)
    }

    @Test func countsByQueueAndStateAreAnsweredFromThemAndAgreeWithTheTasks() throws {
        let cora = try fixture.actor("cora")
        let tasks = try (0..<9).map { try fixture.makeTask(in: $0 % 3 == 0 ? "intake" : "lab", title: "Task \($0)") }
        try fixture.store.write { db in
            for task in tasks.prefix(4) { try db.perform(.claim, on: task.id, by: cora, at: fixture.start.addingTimeInterval(900)) }
        }
        let filters = [
            TaskFilter(), TaskFilter(queue: "lab"), TaskFilter(states: [.assigned]), TaskFilter(queue: "intake", states: [.queued]),
            TaskFilter(includeClosed: true), TaskFilter(owner: "cora"), TaskFilter(search: [SearchTerm("Task")]),
        ]
        for filter in filters {
            for actor in [fixture.admin, cora, try fixture.actor("nina")] {
                let counted = try fixture.store.read { try $0.count(filter, visibleTo: actor) }
                var all = filter
                all.limit = 1_000
                let listed = try fixture.store.read { try $0.tasks(all, visibleTo: actor) }.count
                #expect(counted == listed, "\(filter) as \(actor.name)")
            }
        }
        #expect(TaskListing(filter: TaskFilter(queue: "lab", states: [.queued]), actor: cora).selectsByQueueAndStateOnly)
        #expect(!TaskListing(filter: TaskFilter(owner: "cora"), actor: cora).selectsByQueueAndStateOnly)
    }

    @Test func aDatabaseFromBeforeTheCountsGetsThemCounted() throws {
        _ = try (0..<5).map { try fixture.makeTask(title: "Task \($0)") }
        let path = fixture.store.path
        try fixture.store.close()
        // As an older Handoff left it: no counts, no triggers, no record of the migration.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER task_count_insert; DROP TRIGGER task_count_update; DROP TRIGGER task_count_delete;
                DROP TABLE queueCount; DELETE FROM grdb_migrations WHERE identifier = 'v9-queue-counts';
                CREATE TEMP TABLE closed AS SELECT * FROM task;
                UPDATE closed SET id = id + 100, state = 'completed';
                INSERT INTO task SELECT * FROM closed;
                """)
        }
        try queue.close()
        let reopened = try HandoffStore.open(at: path)
        let kept = try reopened.read { db in try Row.fetchAll(db.db, sql: "SELECT state, tasks FROM queueCount ORDER BY state").map { "\($0[0] as String) \($0[1] as Int)" } }
        #expect(kept == ["completed 5", "queued 5"])
        try reopened.close()
    }
}
