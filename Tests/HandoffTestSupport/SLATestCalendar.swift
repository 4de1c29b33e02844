import Foundation
import HandoffCore

/// The calendar the SLA tests measure on: Monday to Friday, 9–17 Berlin time, with Monday
/// 12 January 2026 a holiday; and Berlin wall-clock instants to state expectations in.
public enum SLATestCalendar {
    public static let berlin = TimeZone(identifier: "Europe/Berlin")!
    public static let nineToFive = WorkCalendar.Interval(start: 9 * 60, end: 17 * 60)
    public static let office = WorkCalendar(name: "office", timeZone: berlin,
                                            week: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [nineToFive]) }),
                                            holidays: [WorkCalendar.Day(year: 2026, month: 1, day: 12)])

    /// A Berlin wall-clock time in 2026.
    public static func local(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        return calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute))!
    }
}
