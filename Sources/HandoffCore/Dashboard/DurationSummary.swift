import Foundation

/// The median and 90th percentile of a set of durations, by the nearest-rank method.
public struct DurationSummary: Hashable, Sendable, Codable {
    /// How many durations were measured.
    public var count: Int
    /// In seconds; `nil` when nothing was measured.
    public var median: TimeInterval?
    public var p90: TimeInterval?

    public init(_ durations: [TimeInterval]) {
        let sorted = durations.sorted()
        count = sorted.count
        median = Self.percentile(50, ofSorted: sorted)
        p90 = Self.percentile(90, ofSorted: sorted)
    }

    /// The nearest-rank percentile: the smallest value with at least `percent` % of the values at or
    /// below it, i.e. the value at rank ⌈percent/100 × n⌉ (1-based) of the sorted values. The median
    /// of an even count is therefore the lower middle value, and no value is ever interpolated.
    public static func percentile(_ percent: Double, ofSorted values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let rank = Int((percent / 100 * Double(values.count)).rounded(.up))
        return values[min(max(rank, 1), values.count) - 1]
    }
}
