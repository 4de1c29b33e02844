import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// The queues `actor` oversees: those they supervise; admins, all.
    public func supervisedQueues(of actor: Actor) throws -> [String] {
        if actor.has(.admin) { return try String.fetchAll(db, sql: "SELECT name FROM queue ORDER BY name") }
        return try String.fetchAll(db, sql: "SELECT queue FROM queueMember WHERE user = ? AND isSupervisor = 1 ORDER BY queue",
                                   arguments: [actor.name])
    }

    /// Each of `queues`' figures at `now`; "today" starts at `dayStart`. Counted in SQL over the open-work
    /// indexes and today's closed work, never by reading every task.
    public func queueFigures(_ queues: [String], at now: Date, dayStart: Date) throws -> [QueueFigures] {
        try queues.map { queue in
            var depth: [TaskState: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT state, count(*) AS n FROM task WHERE queue = ? AND state NOT IN ('completed', 'cancelled') GROUP BY state
                """, arguments: [queue]) {
                if let state = TaskState(rawValue: row["state"]) { depth[state] = row["n"] }
            }
            let open = try Row.fetchOne(db, sql: """
                SELECT count(*) FILTER (WHERE owner IS NULL) AS unassigned, min(createdAt) AS oldest,
                       count(*) FILTER (WHERE dueAt > ? AND (slaThreshold IS NOT NULL OR slaNextAt <= ?)) AS atRisk,
                       count(*) FILTER (WHERE dueAt <= ? OR slaStage = 'breached') AS breached
                FROM task WHERE queue = ? AND state NOT IN ('completed', 'cancelled')
                """, arguments: [now, now, now, queue])!
            let today = try Row.fetchOne(db, sql: """
                SELECT count(*) FILTER (WHERE dueAt >= ? AND dueAt <= ? AND (state NOT IN ('completed', 'cancelled') OR slaStage = 'breached')) AS breachedToday,
                       count(*) FILTER (WHERE state = 'completed' AND updatedAt >= ?) AS completed,
                       count(*) FILTER (WHERE state = 'completed' AND updatedAt >= ? AND slaStage = 'breached') AS late
                FROM task WHERE queue = ? AND (state NOT IN ('completed', 'cancelled') OR updatedAt >= ?)
                """, arguments: [dayStart, now, dayStart, dayStart, queue, dayStart])!
            let oldest: Date? = open["oldest"]
            return QueueFigures(queue: queue, depth: depth, unassigned: open["unassigned"],
                                oldestAge: oldest.map { max(0, Int(now.timeIntervalSince($0))) }, atRisk: open["atRisk"],
                                breachedNow: open["breached"], breachedToday: today["breachedToday"],
                                completedToday: today["completed"], completedLateToday: today["late"])
        }
    }
}
