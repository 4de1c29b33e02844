import Foundation

/// How work flowed through a supervisor's queues over the last 24 hours.
public struct FlowFigures: Hashable, Sendable {
    /// Tasks created in each hour of the window, oldest hour first.
    public var arrivals: [Int]
    /// Tasks completed in each hour of the window, oldest hour first.
    public var completions: [Int]
    /// Over the window.
    public var arrivalsTotal: Int
    public var completionsTotal: Int
    /// From entering the queue to being claimed or assigned.
    public var timeToClaim: DurationSummary
    /// From creation (or reopening) to completion.
    public var timeToComplete: DurationSummary
    /// Pending periods (waiting for external data) that ended in the window.
    public var timePending: DurationSummary

    /// Counts `records` within `scope`: each figure over the records behind it (``FlowRecord/isBehind(_:in:)``),
    /// one per task, its latest — in a single pass over the records, most recent first.
    public init(records: [FlowRecord], scope: DashboardScope) {
        let hours = DashboardScope.hours
        var arrivals = [Set<TaskID>](repeating: [], count: hours), completions = arrivals
        var arrived = Set<TaskID>(), completed = Set<TaskID>(), claimed = Set<TaskID>(), resumed = Set<TaskID>()
        var toClaim: [TimeInterval] = [], toComplete: [TimeInterval] = [], pending: [TimeInterval] = []
        for record in FlowRecord.latestFirst(records).all {
            guard let hour = scope.hour(of: record.time) else { continue }
            if record.isBehind(.arrivals(hour: hour), in: scope) {
                arrivals[hour].insert(record.task)
                arrived.insert(record.task)
            }
            if record.isBehind(.completions(hour: hour), in: scope) {
                completions[hour].insert(record.task)
                if completed.insert(record.task).inserted, let duration = record.duration { toComplete.append(duration) }
            }
            if record.isBehind(.claims, in: scope), claimed.insert(record.task).inserted, let duration = record.duration {
                toClaim.append(duration)
            }
            if record.isBehind(.pendingEnded, in: scope), resumed.insert(record.task).inserted, let duration = record.duration {
                pending.append(duration)
            }
        }
        self.arrivals = arrivals.map(\.count)
        self.completions = completions.map(\.count)
        arrivalsTotal = arrived.count
        completionsTotal = completed.count
        timeToClaim = DurationSummary(toClaim)
        timeToComplete = DurationSummary(toComplete)
        timePending = DurationSummary(pending)
    }
}
