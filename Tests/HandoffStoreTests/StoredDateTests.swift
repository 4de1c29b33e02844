import Foundation
import GRDB
import Testing
@testable import HandoffStore

/// Times read by arithmetic agree with GRDB's own reading of what it wrote, to the millisecond.
struct StoredDateTests {
    @Test(arguments: [0, 951_782_400, 1_795_000_000.123, 1_709_164_799.999, 4_102_444_800.5, 1_234_567_890.007, -86_400.25])
    func readsWhatGRDBWrites(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let stored = date.databaseValue
        let read = try #require(StoredDate.date(stored))
        let expected = try #require(Date.fromDatabaseValue(stored))
        #expect(abs(read.timeIntervalSince1970 - expected.timeIntervalSince1970) < 0.0005, "\(stored)")
    }

    @Test func otherShapesAreLeftToGRDB() {
        #expect(StoredDate.parse("2026-12-02T10:00:00Z") == nil)
        #expect(StoredDate.parse("2026-13-02 10:00:00") == nil)
        #expect(StoredDate.parse("2026-12-02 10:00:0x") == nil)
        #expect(StoredDate.date(.null) == nil)
        #expect(StoredDate.date("2026-12-02".databaseValue) == Date.fromDatabaseValue("2026-12-02".databaseValue))
    }

    @Test func everyDayOfFourCenturiesMatchesTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        let end = calendar.date(from: DateComponents(year: 2300, month: 1, day: 1))!
        var mismatches = 0
        while day < end {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            if StoredDate.daysSinceEpoch(year: parts.year!, month: parts.month!, day: parts.day!) * 86_400 != Int(day.timeIntervalSince1970) {
                mismatches += 1
            }
            day = day.addingTimeInterval(86_400)
        }
        #expect(mismatches == 0)
    }
}
