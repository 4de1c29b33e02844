import Foundation

/// When work happens: weekly working intervals (several a day allowed), holidays and an IANA time
/// zone. A calendar without intervals is 24×7.
///
/// Pure and exact: working time is measured on the wall clock of the calendar's time zone, day by
/// day, so a daylight-saving change moves the instants of 9:00 and 17:00, never the hours worked.
public struct WorkCalendar: Hashable, Sendable {
    /// A working interval within one day, in minutes after local midnight (`540..<1020` is 9–17).
    public struct Interval: Hashable, Sendable {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) {
            precondition(0 <= start && start < end && end <= 24 * 60, "an interval lies within one day")
            self.start = start
            self.end = end
        }
    }

    /// A local date, e.g. a holiday.
    public struct Day: Hashable, Sendable, Comparable {
        public var year: Int
        public var month: Int
        public var day: Int

        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    }

    public var name: String
    /// The IANA time zone whose wall clock the intervals follow, e.g. `Europe/Berlin`.
    public var timeZone: TimeZone
    /// Working intervals by weekday, 1 = Sunday … 7 = Saturday (as `Calendar` numbers them); empty for 24×7.
    public var week: [Int: [Interval]]
    public var holidays: Set<Day>

    public init(name: String, timeZone: TimeZone, week: [Int: [Interval]] = [:], holidays: Set<Day> = []) {
        self.name = name
        self.timeZone = timeZone
        self.week = week.mapValues { $0.sorted { $0.start < $1.start } }.filter { !$0.value.isEmpty }
        self.holidays = holidays
    }

    /// Round the clock, every day.
    public static let always = WorkCalendar(name: "24x7", timeZone: TimeZone(identifier: "UTC")!)

    /// Whether work happens round the clock.
    public var isAlwaysOpen: Bool { week.isEmpty }

    /// A business day: the working time of the calendar's longest working day (8 h on a 9–17
    /// calendar; 24 h round the clock).
    public var businessDay: TimeInterval {
        guard !isAlwaysOpen else { return 86_400 }
        return TimeInterval(week.values.map { $0.reduce(0) { $0 + $1.end - $1.start } }.max() ?? 0) * 60
    }

    /// Whether `instant` falls in working time.
    public func isWorking(at instant: Date) -> Bool {
        guard !isAlwaysOpen else { return true }
        return workingIntervals(onDayOf: instant).contains { $0.contains(instant) }
    }

    /// Working time between two instants (zero when `end` is not after `start`).
    public func workingTime(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        guard !isAlwaysOpen else { return end.timeIntervalSince(start) }
        var total: TimeInterval = 0
        var day = startOfDay(start)
        while day < end {
            for interval in workingIntervals(startingAt: day) {
                let overlap = min(interval.upperBound, end).timeIntervalSince(max(interval.lowerBound, start))
                if overlap > 0 { total += overlap }
            }
            day = nextDay(day)
        }
        return total
    }

    /// The instant at which `amount` of working time has passed since `start`.
    public func advance(_ start: Date, by amount: TimeInterval) -> Date {
        guard amount > 0 else { return start }
        guard !isAlwaysOpen else { return start.addingTimeInterval(amount) }
        var left = amount
        var day = startOfDay(start)
        // A working calendar has working time within any few weeks; give up after ten years of none.
        for _ in 0..<3_660 {
            for interval in workingIntervals(startingAt: day) where interval.upperBound > start {
                let from = max(interval.lowerBound, start)
                let available = interval.upperBound.timeIntervalSince(from)
                if available >= left { return from.addingTimeInterval(left) }
                left -= available
            }
            day = nextDay(day)
        }
        return .distantFuture
    }

    // MARK: - Days

    private var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private func startOfDay(_ instant: Date) -> Date { gregorian.startOfDay(for: instant) }

    private func nextDay(_ dayStart: Date) -> Date {
        gregorian.date(byAdding: .day, value: 1, to: dayStart).map(gregorian.startOfDay(for:)) ?? dayStart.addingTimeInterval(86_400)
    }

    private func workingIntervals(onDayOf instant: Date) -> [Range<Date>] {
        workingIntervals(startingAt: startOfDay(instant))
    }

    /// The working intervals of the local day beginning at `dayStart`, as instants.
    private func workingIntervals(startingAt dayStart: Date) -> [Range<Date>] {
        let calendar = gregorian
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let weekday = parts.weekday,
              !holidays.contains(Day(year: year, month: month, day: day)), let intervals = week[weekday] else { return [] }
        return intervals.compactMap { interval in
            guard let start = localTime(calendar, year, month, day, minutes: interval.start),
                  let end = localTime(calendar, year, month, day, minutes: interval.end), start < end else { return nil }
            return start..<end
        }
    }

    /// The instant of a local wall-clock time (24:00 is the next midnight).
    private func localTime(_ calendar: Calendar, _ year: Int, _ month: Int, _ day: Int, minutes: Int) -> Date? {
        if minutes == 24 * 60 {
            return calendar.date(from: DateComponents(year: year, month: month, day: day)).flatMap {
                calendar.date(byAdding: .day, value: 1, to: $0)
            }
        }
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: minutes / 60, minute: minutes % 60))
    }
}
