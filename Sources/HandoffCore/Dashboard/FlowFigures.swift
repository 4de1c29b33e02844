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

    /// Counts `records` within `scope`, each figure over the records behind it.
    public init(records: [FlowRecord], scope: DashboardScope) {
        let records = FlowRecord.latestFirst(records)
        let hours = 0..<DashboardScope.hours
        arrivals = hours.map { records.records(behind: .arrivals(hour: $0), in: scope).count }
        completions = hours.map { records.records(behind: .completions(hour: $0), in: scope).count }
        arrivalsTotal = records.records(behind: .arrivals(hour: nil), in: scope).count
        completionsTotal = records.records(behind: .completions(hour: nil), in: scope).count
        timeToClaim = DurationSummary(records.records(behind: .claims, in: scope).compactMap(\.duration))
        timeToComplete = DurationSummary(records.records(behind: .completions(hour: nil), in: scope).compactMap(\.duration))
        timePending = DurationSummary(records.records(behind: .pendingEnded, in: scope).compactMap(\.duration))
    }
}
