import Foundation
import HandoffCore
import HandoffTestSupport
import GRDB
import Testing
@testable import HandoffStore

/// Listings: accent-blind search, every sort order paged by keyset, counts, the next-task pull.
struct TaskListingTests {
    let fixture: StoreFixture
    let ids: [TaskID]

    init() throws {
        fixture = try StoreFixture()
        let sync = try fixture.actor("sync")
        let names = ["José Nuñez", "Zoë Laurent", "王芳", "Nina Nunes", "Ada Byron"]
        let start = fixture.start
        ids = try fixture.store.write { db in
            try (0..<40).map { (index: Int) -> TaskID in
                let queue = index % 3 == 0 ? "intake" : "lab"
                let minutes = Double((index * 37) % 40) * 60
                let draft = TaskDraft(queue: queue, title: "Task \(index) cardio\(index % 4)",
                                      priority: Priority.allCases[index % 4], subject: Reference("Patient/\(index)"),
                                      subjectDisplay: names[index % names.count])
                return try db.createTask(draft, by: sync, at: start.addingTimeInterval(minutes)).id
            }
        }
    }

    @Test func searchIgnoresCaseAndAccents() throws {
        let found = try fixture.store.read { try $0.tasks(TaskFilter(search: [SearchTerm("nunez")]), visibleTo: fixture.admin) }
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.subjectDisplay == "José Nuñez" })
        let prefix = try fixture.store.read { try $0.tasks(TaskFilter(search: [SearchTerm("nun", in: .patient)]), visibleTo: fixture.admin) }
        #expect(Set(prefix.map(\.subjectDisplay)) == ["José Nuñez", "Nina Nunes"])
        let zoe = try fixture.store.read { try $0.count(TaskFilter(search: [SearchTerm("ZOE")]), visibleTo: fixture.admin) }
        #expect(zoe == 8)
        let both = try fixture.store.read {
            try $0.tasks(TaskFilter(search: [SearchTerm("nunez"), SearchTerm("cardio1", in: .title)]), visibleTo: fixture.admin)
        }
        #expect(both.allSatisfy { $0.title.hasSuffix("cardio1") && $0.subjectDisplay == "José Nuñez" })
    }

    @Test func aSearchListsTheSameWhetherReadFromItsMatchesOrFromTheQueue() throws {
        let cora = try fixture.actor("cora")
        let filters = [
            TaskFilter(search: [SearchTerm("nunez")]), TaskFilter(queue: "lab", search: [SearchTerm("cardio1")]),
            TaskFilter(queue: "intake", states: [.queued], search: [SearchTerm("task")], limit: 5),
            TaskFilter(priority: .urgent, search: [SearchTerm("ada")], includeClosed: true), TaskFilter(search: [SearchTerm("zz")]),
        ]
        for filter in filters {
            for actor in [fixture.admin, cora] {
                let fromMatches = TaskListing(filter: filter, actor: actor)
                var fromQueue = fromMatches
                fromQueue.fewMatches = -1
                let (matchesSQL, _) = try fixture.store.read { try fromMatches.conditions($0.db) }
                let (queueSQL, _) = try fixture.store.read { try fromQueue.conditions($0.db) }
                #expect(matchesSQL.contains("+") && !queueSQL.contains("+"), "\(matchesSQL) / \(queueSQL)")
                let one = try fixture.store.read { try fromMatches.fetch($0.db) }
                let other = try fixture.store.read { try fromQueue.fetch($0.db) }
                #expect(one.map(\.id) == other.map(\.id), "\(filter)")
            }
        }
    }

    @Test(arguments: TaskSort.allCases)
    func keysetPagesJoinUpToTheWholeList(sort: TaskSort) throws {
        let whole = try fixture.store.read { try $0.tasks(TaskFilter(sort: sort, limit: 1_000), visibleTo: fixture.admin) }
        #expect(whole.count == 40)
        var paged: [WorkTask] = []
        var after: TaskID?
        repeat {
            let page = try fixture.store.read { try $0.tasks(TaskFilter(sort: sort, after: after, limit: 7), visibleTo: fixture.admin) }
            paged += page
            after = page.last?.id
            if page.count < 7 { break }
        } while true
        #expect(paged.map(\.id) == whole.map(\.id))
        let before = try fixture.store.read { try $0.tasks(TaskFilter(sort: sort, before: whole[20].id, limit: 5), visibleTo: fixture.admin) }
        #expect(before.map(\.id) == whole[15..<20].map(\.id))
    }

    @Test func theQueueViewUsesThePartialIndex() throws {
        let plan = try fixture.store.read { session in
            let listing = TaskListing(filter: TaskFilter(queue: "lab", limit: 50), actor: fixture.admin)
            let (sql, arguments) = try listing.conditions(session.db)
            return try Row.fetchAll(session.db, sql: "EXPLAIN QUERY PLAN SELECT * FROM task WHERE \(sql) ORDER BY priorityRank DESC, createdAt, id LIMIT 50",
                                    arguments: arguments).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("task_open_by_priority"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "the order must come from the index: \(plan)")
    }

    @Test func nextTaskPrefersOwnWorkThenClaimsTheMostUrgent() throws {
        let cora = try fixture.actor("cora")
        let first = try #require(try fixture.store.write { try $0.claimNext(for: cora, at: fixture.start.addingTimeInterval(9_000)) })
        #expect(first.state == .assigned && first.owner == "cora")
        #expect(first.priority == .stat)
        let again = try fixture.store.write { try $0.claimNext(for: cora, at: fixture.start.addingTimeInterval(9_001)) }
        #expect(again?.id == first.id, "own assigned work comes first")
        let claims = try fixture.store.read { try $0.auditLog(task: first.id).filter { $0.entry.action == "claim" } }
        #expect(claims.count == 1)
    }

    @Test func twoPullsAtOnceNeverGetTheSameTask() throws {
        let other = try HandoffStore.open(at: fixture.store.path)
        let nina = try fixture.actor("nina"), zoe = try fixture.actor("zoe")
        let at = fixture.start.addingTimeInterval(9_000)
        let results = ResultPair()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let store = index == 0 ? fixture.store : other
            let actor = index == 0 ? nina : zoe
            results.set(index, try? store.write { try $0.claimNext(for: actor, at: at) }?.id)
        }
        let (a, b) = results.values
        #expect(a != nil && b != nil)
        #expect(a != b)
    }

    @Test func theWatcherSeesCommitsFromOtherConnections() throws {
        let watcher = try ChangeWatcher(store: fixture.store)
        #expect(try watcher.hasChanged() == false)
        let other = try HandoffStore.open(at: fixture.store.path)
        try other.write { try $0.perform(.note("hello"), on: ids[0], by: fixture.admin, at: fixture.start) }
        #expect(try watcher.hasChanged() == true)
        #expect(try watcher.hasChanged() == false)
    }
}

/// Two results from concurrent work.
final class ResultPair: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [TaskID?] = [nil, nil]
    func set(_ index: Int, _ value: TaskID?) { lock.withLock { stored[index] = value } }
    var values: (TaskID?, TaskID?) { lock.withLock { (stored[0], stored[1]) } }
}
