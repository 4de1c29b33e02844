import Foundation

/// Keeps a task's SLA fields in step with its changes: the one place that decides when a change starts
/// a new SLA cycle, whether it opens or closes a pause, and what the clock reads after it.
///
/// Pure: it says what happens to the pauses and the shell carries it out — the store on its `slaPause`
/// table, ``SLAReplay`` on a list in memory — then hands the cycle's pauses back to ``measure(_:pauses:done:at:)``.
public struct SLAMeter: Sendable {
    /// What a change does to the pauses of a task's SLA cycle.
    public enum PauseChange: Hashable, Sendable {
        /// Nothing.
        case none
        /// A pause of cycle `cycle` starts at the change.
        case start(cycle: Int)
        /// The open pause of cycle `cycle` ends at the change.
        case end(cycle: Int)
    }

    /// The policies tasks are measured against.
    public let policies: SLAPolicies

    public init(policies: SLAPolicies) {
        self.policies = policies
    }

    /// Starts the first SLA cycle of a task created at `now`.
    public func begin(_ task: inout WorkTask, at now: Date) {
        task.slaCycleStart = now
    }

    /// Starts a new SLA cycle at `now` when `action` changed `previous` into `task` by reopening it, or by
    /// moving it to another queue (whose policy then measures it from the move).
    public func advanceCycle(_ task: inout WorkTask, from previous: WorkTask, by action: ActionKind, at now: Date) {
        guard action == .reopen || task.queue != previous.queue else { return }
        task.slaCycle = previous.slaCycle + 1
        task.slaCycleStart = now
    }

    /// What changing `previous` into `task` does to the pauses: a pause starts when the task enters a state
    /// its queue's policy pauses in, and ends when it leaves one within the same cycle. A task created
    /// (`previous` is `nil`) in such a state starts its first pause, and so does a change that starts a new
    /// cycle in one (a pause still open in the old cycle stays so: it no longer counts). A task whose queue
    /// has no policy has no pauses.
    public func pauseChange(_ task: WorkTask, previous: WorkTask?) -> PauseChange {
        guard let policy = policies.policy(for: task.queue) else { return .none }
        let pausedNow = policy.pausedStates.contains(task.state)
        let pausedBefore = previous.map { policy.pausedStates.contains($0.state) && $0.slaCycle == task.slaCycle } ?? false
        guard pausedNow != pausedBefore else { return .none }
        return pausedNow ? .start(cycle: task.slaCycle) : .end(cycle: task.slaCycle)
    }

    /// Reads the clock of `task`'s current cycle after a change at `now` and sets its SLA fields: the cycle's
    /// start, stage, due time, the last threshold crossed and when the sweeper must look next.
    ///
    /// `pauses` are the cycle's pauses with the change's own ``PauseChange`` already carried out; `done`
    /// the thresholds the sweeper already acted on in this cycle. While the clock stands still past its
    /// target, the due time stays what it was. Without a policy for its queue the task has no stage, due
    /// time or next threshold; without a goal for its priority, no stage or next threshold. The fields
    /// not named keep their values.
    ///
    /// Returns whether the reading kept the due time or the last threshold the task had before the change,
    /// so that it depends on the readings before; when it did not, the fields it sets depend on the task's
    /// cycle, state, priority and queue, the pauses, `done` and `now` alone.
    @discardableResult
    public func measure(_ task: inout WorkTask, pauses: [SLAClock.Pause], done: Set<String>, at now: Date) -> Bool {
        guard let policy = policies.policy(for: task.queue) else {
            task.slaStage = nil
            task.slaNextAt = nil
            task.dueAt = nil
            return true
        }
        let start = task.slaCycleStart ?? task.createdAt
        task.slaCycleStart = start
        let ending: SLAClock.Ending? = switch task.state {
        case .completed: .completed(now)
        case .cancelled: .cancelled(now)
        default: nil
        }
        guard let clock = policies.clock(queue: task.queue, priority: task.priority, start: start, pauses: pauses, ending: ending) else {
            task.slaStage = nil
            task.slaNextAt = nil
            return true
        }
        // Stored times keep milliseconds: read the clock no earlier than a pause just written, so a
        // pause that starts now counts as under way.
        let status = clock.status(at: max(now, pauses.map(\.start).max() ?? now))
        let thresholds = policy.thresholds(of: clock, status: status, done: done, at: now)
        task.slaStage = status.stage
        task.dueAt = status.due ?? (status.stage == .paused ? nil : task.dueAt)
        task.slaThreshold = thresholds.crossed
        task.slaNextAt = thresholds.next
        return status.due == nil && status.stage != .paused
    }
}
