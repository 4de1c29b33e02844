import Foundation

/// What a supervisor dashboard covers: which queues, at what moment, where "today" starts, and the
/// window of the flow figures (the last 24 hours, in hourly buckets ending now).
public struct DashboardScope: Hashable, Sendable {
    /// The queues counted, in display order.
    public var queues: [String]
    public var now: Date
    /// The start of "today" (local midnight, supplied by the caller: the core knows no time zone).
    public var dayStart: Date
    /// How many hourly buckets the flow covers.
    public static let hours = 24

    public init(queues: [String], now: Date, dayStart: Date) {
        self.queues = queues
        self.now = now
        self.dayStart = min(dayStart, now)
    }

    /// The start of the flow window: 24 hours before `now`.
    public var windowStart: Date { now.addingTimeInterval(-Double(Self.hours) * 3_600) }

    /// The earliest time any figure looks back to (a 25-hour day can start before the window).
    public var lookBack: Date { min(windowStart, dayStart) }

    /// The hourly bucket of `time`: 0 for the hour that began 24 hours ago, 23 for the hour ending now;
    /// `nil` outside the window.
    public func hour(of time: Date) -> Int? {
        guard time >= windowStart, time <= now else { return nil }
        return min(Int(time.timeIntervalSince(windowStart) / 3_600), Self.hours - 1)
    }

    /// Whether `time` falls today, up to now.
    public func isToday(_ time: Date) -> Bool { time >= dayStart && time <= now }
}
