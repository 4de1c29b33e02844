import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// Brings a changed task's SLA fields up to date, in the transaction that changes it: opens or
    /// closes a pause when the task enters or leaves a state its queue's policy pauses in, then reads
    /// the clock (stage, due time) and when the next threshold falls, for the sweeper's index.
    ///
    /// For a task being created (`previous` is `nil`) no pause is written (the row does not exist yet);
    /// the result says whether one starts now, for the caller to record after inserting the task.
    @discardableResult
    func measureSLA(_ task: inout WorkTask, previous: WorkTask?, at now: Date) throws -> Bool {
        guard let policy = policies.policy(for: task.queue) else {
            task.slaStage = nil
            task.slaNextAt = nil
            task.dueAt = nil
            return false
        }
        let start = task.slaCycleStart ?? task.createdAt
        task.slaCycleStart = start
        let pausedNow = policy.pausedStates.contains(task.state)
        let pausedBefore = previous.map { policy.pausedStates.contains($0.state) && $0.slaCycle == task.slaCycle } ?? false
        if let previous, pausedNow != pausedBefore {
            if pausedNow { try startPause(task, at: now) } else { try endPause(previous, at: now) }
        }
        var pauses = previous == nil ? [] : try self.pauses(of: task.id, cycle: task.slaCycle)
        if previous == nil, pausedNow { pauses = [SLAClock.Pause(start: now, end: nil)] }
        let ending: SLAClock.Ending? = switch task.state {
        case .completed: .completed(now)
        case .cancelled: .cancelled(now)
        default: nil
        }
        guard let clock = policies.clock(queue: task.queue, priority: task.priority, start: start, pauses: pauses, ending: ending) else {
            task.slaStage = nil
            task.slaNextAt = nil
            return previous == nil && pausedNow
        }
        // Stored times keep milliseconds: read the clock no earlier than a pause just written, so a
        // pause that starts now counts as under way.
        let status = clock.status(at: max(now, pauses.map(\.start).max() ?? now))
        task.slaStage = status.stage
        task.dueAt = status.due ?? (status.stage == .paused ? nil : task.dueAt)
        task.slaNextAt = ending == nil && status.stage != .paused ? nextThreshold(of: clock, policy: policy, after: status.fraction, at: now) : nil
        return previous == nil && pausedNow
    }

    /// When the first threshold beyond `fraction` is crossed, if the clock keeps running.
    private func nextThreshold(of clock: SLAClock, policy: SLAPolicy, after fraction: Double, at now: Date) -> Date? {
        guard let threshold = policy.thresholds.first(where: { $0.fraction > fraction }) else { return nil }
        var partial = clock
        partial.target = clock.target * threshold.fraction
        return partial.due(at: now)
    }

    /// The pauses of a task's SLA cycle, oldest first.
    func pauses(of task: TaskID, cycle: Int) throws -> [SLAClock.Pause] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT start, end FROM slaPause WHERE task = ? AND cycle = ? ORDER BY start"),
                         arguments: [task.number, cycle]).map { SLAClock.Pause(start: $0["start"], end: $0["end"]) }
    }

    func startPause(_ task: WorkTask, at now: Date) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO slaPause(task, cycle, start) VALUES (?, ?, ?)")
            .execute(arguments: [task.id.number, task.slaCycle, now])
    }

    private func endPause(_ task: WorkTask, at now: Date) throws {
        try db.cachedStatement(sql: "UPDATE slaPause SET end = ? WHERE task = ? AND cycle = ? AND end IS NULL")
            .execute(arguments: [now, task.id.number, task.slaCycle])
    }
}
