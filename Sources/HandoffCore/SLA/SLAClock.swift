import Foundation

/// The SLA clock of one task cycle: pure arithmetic over the cycle's start, its pauses and its end.
///
/// Elapsed time is running time within the calendar's working hours minus paused time; the due time
/// is walked forward through the calendar from the cycle's start and pushed out by every pause.
public struct SLAClock: Hashable, Sendable {
    /// A stretch of time during which the clock stood still (pending external data); `end` is `nil`
    /// while it lasts.
    public struct Pause: Hashable, Sendable {
        public var start: Date
        public var end: Date?

        public init(start: Date, end: Date?) {
            self.start = start
            self.end = end
        }
    }

    /// How a cycle ended, if it has.
    public enum Ending: Hashable, Sendable {
        case completed(Date)
        case cancelled(Date)

        var time: Date {
            switch self {
            case let .completed(time), let .cancelled(time): time
            }
        }
    }

    /// When the cycle started (creation, or reopening).
    public var start: Date
    /// The working time allowed.
    public var target: TimeInterval
    public var calendar: WorkCalendar
    public var pauses: [Pause]
    public var ending: Ending?

    public init(start: Date, target: TimeInterval, calendar: WorkCalendar, pauses: [Pause] = [], ending: Ending? = nil) {
        self.start = start
        self.target = target
        self.calendar = calendar
        self.pauses = pauses.sorted { $0.start < $1.start }
        self.ending = ending
    }

    /// The stretches during which the clock runs, up to `limit` (the last one open when `limit` is `nil`).
    func runningStretches(until limit: Date?) -> [(start: Date, end: Date?)] {
        var stretches: [(Date, Date?)] = []
        var cursor = start
        for pause in pauses where pause.start >= start {
            if let limit, pause.start >= limit { break }
            if pause.start > cursor { stretches.append((cursor, pause.start)) }
            guard let end = pause.end else { return stretches }
            cursor = max(cursor, end)
        }
        if let limit {
            if limit > cursor { stretches.append((cursor, limit)) }
        } else {
            stretches.append((cursor, nil))
        }
        return stretches
    }

    /// Working time the clock has run by `now` (up to the cycle's end, if it ended).
    public func elapsed(at now: Date) -> TimeInterval {
        let limit = min(now, ending?.time ?? now)
        return runningStretches(until: limit).reduce(0) { $0 + calendar.workingTime(from: $1.start, to: $1.end ?? limit) }
    }

    /// When the target is reached, walking the calendar through the pauses known at `now`;
    /// `nil` while the clock is paused (the due time is not known until it runs again).
    public func due(at now: Date) -> Date? {
        if isPaused(at: now) { return nil }
        var spent: TimeInterval = 0
        for stretch in runningStretches(until: nil) {
            let end = stretch.end ?? .distantFuture
            let available = stretch.end == nil ? .infinity : calendar.workingTime(from: stretch.start, to: end)
            if spent + available >= target { return calendar.advance(stretch.start, by: target - spent) }
            spent += available
        }
        return nil
    }

    /// Whether a pause is under way at `now`.
    public func isPaused(at now: Date) -> Bool {
        guard ending == nil else { return false }
        return pauses.contains { $0.start <= now && ($0.end.map { $0 > now } ?? true) }
    }

    /// The clock as people see it at `now`.
    public func status(at now: Date) -> SLAStatus {
        let elapsed = self.elapsed(at: now)
        let due = self.due(at: now)
        let stage: SLAStatus.Stage
        switch ending {
        case .cancelled?: stage = .cancelled
        // Read at or after the end, the elapsed time is the end's: walking the calendar costs.
        case let .completed(time)?: stage = (now >= time ? elapsed : self.elapsed(at: time)) <= target ? .met : .breached
        case nil:
            if elapsed >= target { stage = .breached } else { stage = isPaused(at: now) ? .paused : .running }
        }
        return SLAStatus(stage: stage, due: due, elapsed: elapsed, remaining: target - elapsed,
                         fraction: target > 0 ? elapsed / target : 1,
                         outsideHours: ending == nil && stage != .paused && !calendar.isWorking(at: now))
    }
}

/// An SLA clock read at one instant.
public struct SLAStatus: Hashable, Sendable {
    /// Where the cycle stands.
    public enum Stage: String, Hashable, Sendable, Codable {
        case running, paused, met, breached, cancelled
    }

    public var stage: Stage
    /// When the target is (or was) reached; `nil` while paused.
    public var due: Date?
    /// Working time the clock has run.
    public var elapsed: TimeInterval
    /// Working time left: negative once breached.
    public var remaining: TimeInterval
    /// Elapsed over target: 0.75 at a 75 % warning, 1 at breach.
    public var fraction: Double
    /// The clock would run but it is outside working hours now.
    public var outsideHours: Bool
}
