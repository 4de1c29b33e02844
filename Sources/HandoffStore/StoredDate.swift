import Foundation
import GRDB

/// Reads the times the store writes — GRDB's `yyyy-MM-dd HH:mm:ss.SSS`, in UTC — by arithmetic on
/// the digits: Foundation's date parsing took most of the time of reading a page of tasks (about
/// 100 µs a row on this machine). Anything else is left to GRDB.
enum StoredDate {
    /// The time in `value`, or `nil` for NULL.
    static func date(_ value: DatabaseValue) -> Date? {
        if case let .string(text) = value.storage, let date = parse(text) { return date }
        return Date.fromDatabaseValue(value)
    }

    /// The time in a required column.
    static func required(_ value: DatabaseValue, column: String) throws -> Date {
        guard let date = date(value) else {
            throw StoreError.sqlite("missing or unreadable time in column \(column)")
        }
        return date
    }

    /// `yyyy-MM-dd HH:mm:ss` with an optional `.SSS`, in UTC; `nil` for any other shape.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 19 || bytes.count == 23,
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes.count == 19 || bytes[19] == UInt8(ascii: ".") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let milliseconds = bytes.count == 23 ? number(20..<23) : 0
        guard let milliseconds else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1_000)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
