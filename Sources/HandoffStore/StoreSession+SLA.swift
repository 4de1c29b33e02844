import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// Brings a changed task's SLA fields up to date, in the transaction that changes it: opens or
    /// closes a pause when the task enters or leaves a state its queue's policy pauses in, then reads
    /// the clock (stage, due time) and when the next threshold falls, for the sweeper's index.
    /// ``SLAMeter`` decides; this carries its pause changes out on the `slaPause` table.
    ///
    /// For a task being created (`previous` is `nil`) no pause is written (the row does not exist yet);
    /// the result says whether one starts now, for the caller to record after inserting the task.
    @discardableResult
    func measureSLA(_ task: inout WorkTask, previous: WorkTask?, at now: Date) throws -> Bool {
        let meter = SLAMeter(policies: policies)
        let change = meter.pauseChange(task, previous: previous)
        guard previous != nil else {
            let pausedFromStart = change != .none
            meter.measure(&task, pauses: pausedFromStart ? [SLAClock.Pause(start: now, end: nil)] : [], done: [], at: now)
            return pausedFromStart
        }
        switch change {
        case .none: break
        case let .start(cycle): try startPause(of: task.id, cycle: cycle, at: now)
        case let .end(cycle): try endPause(of: task.id, cycle: cycle, at: now)
        }
        // Without a policy there is nothing to read: the meter clears the fields.
        let measured = policies.policy(for: task.queue) != nil
        meter.measure(&task, pauses: measured ? try pauses(of: task.id, cycle: task.slaCycle) : [],
                      done: measured ? try sweptKeys(of: task.id, cycle: task.slaCycle) : [], at: now)
        return false
    }

    /// The pauses of a task's SLA cycle, oldest first.
    func pauses(of task: TaskID, cycle: Int) throws -> [SLAClock.Pause] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT start, end FROM slaPause WHERE task = ? AND cycle = ? ORDER BY start"),
                         arguments: [task.number, cycle]).map { SLAClock.Pause(start: $0["start"], end: $0["end"]) }
    }

    func startPause(of task: TaskID, cycle: Int, at now: Date) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO slaPause(task, cycle, start) VALUES (?, ?, ?)")
            .execute(arguments: [task.number, cycle, now])
    }

    private func endPause(of task: TaskID, cycle: Int, at now: Date) throws {
        try db.cachedStatement(sql: "UPDATE slaPause SET end = ? WHERE task = ? AND cycle = ? AND end IS NULL")
            .execute(arguments: [now, task.number, cycle])
    }
}

// MARK: - The sweeper's use cases

extension StoreSession {
    /// The SLA policies this session measures against.
    public var slaPolicies: SLAPolicies { policies }

    /// Tasks the sweeper must look at by `now`: a threshold due (by the `slaNextAt` index), or pending
    /// with their expected-by time passed. Oldest first.
    public func tasksDueForSweep(at now: Date, limit: Int = 200) throws -> [WorkTask] {
        try TaskRow.tasks(from: Row.fetchAll(db, sql: """
            SELECT * FROM (
                SELECT * FROM task WHERE slaNextAt <= ?
                UNION
                SELECT * FROM task WHERE state = 'pending' AND expectedBy <= ? AND NOT EXISTS (
                    -- handled for this expected-by time: a later pend always expects a time after the sweep
                    SELECT 1 FROM slaFired WHERE slaFired.task = task.id AND slaFired.cycle = task.slaCycle
                        AND slaFired.key LIKE 'overdue%' AND slaFired.at >= task.expectedBy)
            ) ORDER BY coalesce(slaNextAt, expectedBy), id LIMIT ?
            """, arguments: [now, now, limit]))
    }

    /// The SLA clock of `task`'s current cycle read at `now`; `nil` when its queue has no policy.
    public func slaStatus(of task: WorkTask, at now: Date) throws -> SLAStatus? {
        let ending: SLAClock.Ending? = switch task.state {
        case .completed: .completed(task.updatedAt)
        case .cancelled: .cancelled(task.updatedAt)
        default: nil
        }
        return try policies.clock(queue: task.queue, priority: task.priority, start: task.slaCycleStart ?? task.createdAt,
                                  pauses: pauses(of: task.id, cycle: task.slaCycle), ending: ending)?.status(at: now)
    }

    /// The keys of what the sweeper already did for `task` in its `cycle` (threshold names, overdue times).
    public func sweptKeys(of task: TaskID, cycle: Int) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT key FROM slaFired WHERE task = ? AND cycle = ?"),
                                arguments: [task.number, cycle]))
    }

    /// Records that the sweeper acted on `key` for `task` in `cycle`; `false` if it already had.
    @discardableResult
    public func recordSweep(of task: TaskID, cycle: Int, key: String, at now: Date) throws -> Bool {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO slaFired(task, cycle, key, at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [task.number, cycle, key, now])
        return db.changesCount == 1
    }

    /// Re-reads `task`'s SLA clock at `now` and moves `slaNextAt` past the thresholds already acted on.
    /// SLA columns only: they are derived, so the task's version does not change.
    public func refreshSLA(of id: TaskID, at now: Date) throws {
        let task = try task(id)
        let ending: SLAClock.Ending? = switch task.state {
        case .completed: .completed(task.updatedAt)
        case .cancelled: .cancelled(task.updatedAt)
        default: nil
        }
        guard let policy = policies.policy(for: task.queue),
              let clock = policies.clock(queue: task.queue, priority: task.priority, start: task.slaCycleStart ?? task.createdAt,
                                         pauses: try pauses(of: id, cycle: task.slaCycle), ending: ending) else {
            try db.execute(sql: "UPDATE task SET slaNextAt = NULL WHERE id = ?", arguments: [id.number])
            return
        }
        let status = clock.status(at: now)
        let thresholds = policy.thresholds(of: clock, status: status, done: try sweptKeys(of: id, cycle: task.slaCycle), at: now)
        try db.cachedStatement(sql: "UPDATE task SET slaStage = ?, slaNextAt = ?, slaThreshold = ? WHERE id = ?")
            .execute(arguments: [status.stage.rawValue, thresholds.next, thresholds.crossed, id.number])
    }
}

extension StoreSession {
    /// How many thresholds and overdue times the sweeper has acted on, over all tasks and cycles.
    public func sweepCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM slaFired") ?? 0
    }
}
