import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// The contention benchmark's writer keeps shared tasks open through actions a coordinator may repeat,
/// and its report counts a change the database does not account for as lost.
struct ContentionWorkerTests {
    let directory = TemporaryDirectory("handoff-contention")
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// A new benchmark database with `writers` writers and `tasks` tasks.
    func database(writers: Int, tasks: Int) throws -> HandoffStore {
        let store = try HandoffStore.openOrCreate(at: directory.file("contention.db"))
        try ContentionWorkload(writers: writers, tasks: tasks, seed: 1).setUp(store, admin: "ada", displayName: "Ada", origin: "local", at: now)
        return store
    }

    func writer(_ index: Int, of store: HandoffStore, seed: UInt64 = 1) throws -> ContentionWorker {
        let actor = try store.read { try $0.actor(named: ContentionWorkload.writer(index), origin: "bench") }
        let tasks = try store.read { try ContentionWorkload.sharedTasks(in: $0, visibleTo: actor) }.map(\.id)
        return ContentionWorker(store: store, actor: actor, tasks: tasks, seed: seed, index: index)
    }

    @Test func aWriterTakesItsOwnTaskRoundTheLoopAndBackToTheQueue() throws {
        let store = try database(writers: 1, tasks: 1)
        var writer = try writer(0, of: store)
        let before = try store.read { try $0.auditCount() }
        let tally = writer.run(actions: 8) { now }
        #expect(tally.attempts.map(\.action) == ["claim", "pend", "resume", "release", "claim", "pend", "resume", "release"])
        #expect(tally.count(.succeeded) == 8)
        #expect(try store.read { try $0.auditCount() } - before == 8)
        #expect(try store.read { try $0.task(TaskID(1)) }.state == .queued)
    }

    @Test func aTaskSomeoneElseHoldsGetsANote() throws {
        let store = try database(writers: 2, tasks: 1)
        var first = try writer(0, of: store), second = try writer(1, of: store)
        #expect(first.run(actions: 1) { now }.attempts.map(\.action) == ["claim"])
        let tally = second.run(actions: 2) { now }
        #expect(tally.attempts.map(\.action) == ["note", "note"])
        #expect(tally.count(.succeeded) == 2)
    }

    @Test func theLoopIsAllowedToACoordinatorOfTheQueueInEveryStateItReaches() throws {
        let actor = Actor(name: "bench-w01", roles: [.coordinator])
        let access = QueueAccess(queue: ContentionWorkload.queue, requiresReview: false, isMember: true, isSupervisor: false)
        for state in [TaskState.queued, .assigned, .inProgress, .pending] {
            for owner in [nil, actor.name, "bench-w02"] where (state == .queued) == (owner == nil) {
                let task = WorkTask(id: TaskID(1), queue: ContentionWorkload.queue, state: state, title: "Shared task 1", kind: "bench",
                                    owner: owner, createdAt: now, updatedBy: "ada")
                let action = ContentionWorker.nextAction(on: task, by: actor)
                #expect(Workflow.availableActions(on: task, for: actor, access: access).contains(action.kind), "\(state), owner \(owner ?? "none")")
            }
        }
    }

    @Test func anActionTheDatabaseDoesNotAccountForIsLost() {
        var tally = ContentionTally(writer: "bench-w01")
        tally.attempts = [.init(action: "claim", outcome: .succeeded, nanoseconds: 1_000_000),
                          .init(action: "note", outcome: .conflict, nanoseconds: 2_000_000)]
        let before = ContentionLedger(auditRecords: 10, auditByWriter: ["bench-w01": 0], versions: 1)
        func report(after: ContentionLedger) -> ContentionReport {
            ContentionReport(workload: ContentionWorkload(writers: 1, tasks: 1, seed: 1), actionsPerWriter: 2, tallies: [tally],
                             unfinished: [], elapsed: .seconds(1), baseline: (commits: 10, elapsed: .seconds(1)),
                             before: before, after: after, chain: AuditVerification(records: 11, head: nil, firstBreak: nil))
        }
        let sound = report(after: ContentionLedger(auditRecords: 11, auditByWriter: ["bench-w01": 1], versions: 2))
        #expect(sound.nothingLost && sound.problems.isEmpty)
        #expect(sound.count(.succeeded) + sound.count(.conflict) == 2)

        let lost = report(after: ContentionLedger(auditRecords: 10, auditByWriter: ["bench-w01": 0], versions: 2))
        #expect(!lost.nothingLost)
        #expect(lost.problems.contains("the run added 0 audit records for 1 successful actions"))
        #expect(lost.writersOutOfStep == ["bench-w01"])
    }
}
