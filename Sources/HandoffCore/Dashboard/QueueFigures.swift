import Foundation

/// A supervisor's figures for one queue at one moment: depth, age and SLA standing.
public struct QueueFigures: Hashable, Sendable, Codable {
    public var queue: String
    /// Open tasks by state.
    public var depth: [TaskState: Int]
    /// Open tasks nobody owns.
    public var unassigned: Int
    /// Seconds since the oldest open task was created; `nil` with no open task.
    public var oldestAge: Int?
    /// Open tasks past a threshold (e.g. the warning) and not yet due.
    public var atRisk: Int
    /// Open tasks past their due time.
    public var breachedNow: Int
    /// Tasks whose due time passed today, before they were done.
    public var breachedToday: Int
    /// Tasks completed today, and how many of them late.
    public var completedToday: Int
    public var completedLateToday: Int

    public init(queue: String, depth: [TaskState: Int], unassigned: Int, oldestAge: Int?, atRisk: Int, breachedNow: Int,
                breachedToday: Int, completedToday: Int, completedLateToday: Int) {
        self.queue = queue
        self.depth = depth
        self.unassigned = unassigned
        self.oldestAge = oldestAge
        self.atRisk = atRisk
        self.breachedNow = breachedNow
        self.breachedToday = breachedToday
        self.completedToday = completedToday
        self.completedLateToday = completedLateToday
    }

    /// Open tasks in all states.
    public var open: Int { depth.values.reduce(0, +) }

    /// The share of work completed today that was late; `nil` when nothing was completed today.
    public var breachRateToday: Double? {
        completedToday > 0 ? Double(completedLateToday) / Double(completedToday) : nil
    }
}

extension QueueFigures {
    /// Today's closed-work figures of every queue from the window's records, in one pass: completed today,
    /// completed late, and the closed part of "breached today" (each a count of distinct tasks, as
    /// ``FlowRecord/isBehind(_:in:)`` defines them).
    public static func closedToday(_ records: FlowRecord.LatestFirst, in scope: DashboardScope)
        -> [String: (completed: Int, late: Int, breached: Int)] {
        var completed: [String: Set<TaskID>] = [:], late = completed, breached = completed
        for record in records.all {
            let queue = record.queue
            guard record.isBehind(.completedToday(queue: queue), in: scope) else { continue }
            completed[queue, default: []].insert(record.task)
            if record.isBehind(.lateToday(queue: queue), in: scope) { late[queue, default: []].insert(record.task) }
            if record.isBehind(.breachedToday(queue: queue), in: scope) { breached[queue, default: []].insert(record.task) }
        }
        var result: [String: (completed: Int, late: Int, breached: Int)] = [:]
        for (queue, tasks) in completed {
            result[queue] = (tasks.count, late[queue]?.count ?? 0, breached[queue]?.count ?? 0)
        }
        return result
    }
}
