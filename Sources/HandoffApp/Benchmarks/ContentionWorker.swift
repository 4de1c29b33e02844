import Foundation
import HandoffCore
import HandoffStore

/// One writer of the contention benchmark, run in its own process: it acts as its own coordinator on
/// the shared tasks, one action per transaction, as a person at a console would.
///
/// For each action it turns, as often as not, to one of the tasks it holds (its own work list), otherwise
/// to any shared task, drawn from its own seeded sequence: so writers overlap on the same tasks, own
/// work moves through its states and colleagues' work gets notes. It reads the task, decides what to do
/// from what it read (``nextAction(on:by:)``) and applies that with the version it read. When another
/// writer changed the task in between, the store refuses with a conflict; the writer records it and
/// moves on, as a person would reload. The same seed gives the same draws; what they come to depends on
/// how the writers interleave.
public struct ContentionWorker {
    /// How often a writer turns to a task it holds rather than to any shared task.
    static let ownWorkShare = 0.5

    let store: HandoffStore
    let actor: Actor
    let tasks: [TaskID]
    private var choices: SplitMix64
    /// The tasks this writer holds: claimed and not yet released (nobody else can release them).
    private var held: [TaskID] = []

    /// Writer number `index` (from 0) of a run seeded with `seed`, acting as `actor` on `tasks`.
    public init(store: HandoffStore, actor: Actor, tasks: [TaskID], seed: UInt64, index: Int) {
        precondition(!tasks.isEmpty, "a writer needs tasks to work on")
        self.store = store
        self.actor = actor
        self.tasks = tasks
        choices = SplitMix64(seed: seed, stream: UInt64(index))
    }

    /// What `actor` does to `task` as they see it. On their own task, the next step of a loop that keeps
    /// the task open, all of it allowed to a coordinator who is a member of the queue: `claim` a queued
    /// task, `pend` it while awaiting results, `resume` it (back in progress, still theirs), `release` it
    /// to the queue. On a task someone else holds, a `note`.
    public static func nextAction(on task: WorkTask, by actor: Actor) -> TaskAction {
        let own = task.owner == actor.name
        switch task.state {
        case .queued: return .claim
        case .assigned where own: return .pend(reason: "awaiting results", expectedBy: nil)
        case .pending where own: return .resume
        case .inProgress where own: return .release
        default: return .note("Checked by \(actor.name)")
        }
    }

    /// Attempts `actions` actions, one transaction each, and tallies them; `now` gives the time recorded
    /// with each change.
    public mutating func run(actions: Int, now: () -> Date) -> ContentionTally {
        let clock = ContinuousClock()
        var tally = ContentionTally(writer: actor.name)
        for _ in 0..<actions {
            let id = !held.isEmpty && choices.chance(Self.ownWorkShare) ? held[choices.below(held.count)] : tasks[choices.below(tasks.count)]
            let seen: WorkTask
            do {
                seen = try store.read { try $0.task(id) }
            } catch {
                tally.record("read", .failed, after: .zero, error: error)
                continue
            }
            let action = Self.nextAction(on: seen, by: actor)
            let started = clock.now
            do {
                try store.write { try $0.perform(action, on: id, expectedVersion: seen.version, by: actor, at: now()) }
                tally.record(action.kind.rawValue, .succeeded, after: clock.now - started)
                if action == .claim { held.append(id) }
                if action == .release { held.removeAll { $0 == id } }
            } catch {
                let outcome: ContentionTally.Outcome = switch error {
                case .conflict: .conflict
                case .transition: .refused
                default: .failed
                }
                tally.record(action.kind.rawValue, outcome, after: clock.now - started, error: error)
            }
        }
        return tally
    }
}
