import Foundation
import HandoffCore
import HandoffTestSupport
import Testing

/// SLA arithmetic with exact instants: calendars, holidays, pauses, daylight saving, goals.
struct SLAClockTests {
    static let berlin = SLATestCalendar.berlin
    static let nineToFive = SLATestCalendar.nineToFive
    /// Monday to Friday, 9–17 Berlin time, with Monday 12 January 2026 a holiday.
    static let office = SLATestCalendar.office
    static let twoBusinessDays = 2 * office.businessDay

    /// A Berlin wall-clock time.
    static func local(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        SLATestCalendar.local(month, day, hour, minute)
    }

    @Test func aBusinessDayIsTheWorkingHoursOfOneDay() {
        #expect(Self.office.businessDay == 8 * 3_600)
        #expect(WorkCalendar.always.businessDay == 86_400)
    }

    @Test func routineWorkFromFridayAfternoonOverAHolidayMondayIsDueWednesday() {
        let clock = SLAClock(start: Self.local(1, 9, 16), target: Self.twoBusinessDays, calendar: Self.office)
        #expect(clock.due(at: Self.local(1, 9, 16)) == Self.local(1, 14, 16))
        let monday = clock.status(at: Self.local(1, 12, 11))
        #expect(monday.stage == .running)
        #expect(monday.elapsed == 3_600, "only Friday 16–17 counts; Monday is a holiday")
        #expect(monday.remaining == 15 * 3_600)
        #expect(monday.outsideHours, "the clock would run but nobody works today")
        let wednesday = clock.status(at: Self.local(1, 14, 17))
        #expect(wednesday.stage == .breached)
        #expect(wednesday.remaining == -3_600)
        #expect(wednesday.due == Self.local(1, 14, 16))
    }

    @Test func aPauseFromTuesdayAfternoonToWednesdayMorningPushesItToThursday() {
        let pause = SLAClock.Pause(start: Self.local(1, 13, 15), end: Self.local(1, 14, 10))
        let clock = SLAClock(start: Self.local(1, 9, 16), target: Self.twoBusinessDays, calendar: Self.office, pauses: [pause])
        #expect(clock.due(at: Self.local(1, 14, 10)) == Self.local(1, 15, 11))
        let paused = SLAClock(start: Self.local(1, 9, 16), target: Self.twoBusinessDays, calendar: Self.office,
                              pauses: [.init(start: Self.local(1, 13, 15), end: nil)])
        let during = paused.status(at: Self.local(1, 14, 9, 30))
        #expect(during.stage == .paused)
        #expect(during.due == nil, "a paused clock has no due time yet")
        #expect(during.elapsed == 7 * 3_600)
        #expect(during.remaining == 9 * 3_600)
        #expect(!during.outsideHours)
        let after = clock.status(at: Self.local(1, 15, 10))
        #expect(after.stage == .running)
        #expect(after.remaining == 3_600)
    }

    @Test func daylightSavingInsideTheWindowKeepsLocalWorkingHours() {
        // Clocks go forward in Berlin on Sunday 29 March 2026; working hours stay 9–17 local.
        let office = WorkCalendar(name: "office", timeZone: Self.berlin,
                                  week: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [Self.nineToFive]) }))
        let clock = SLAClock(start: Self.local(3, 27, 16), target: 2 * office.businessDay, calendar: office)
        let due = clock.due(at: Self.local(3, 27, 16))
        #expect(due == Self.local(3, 31, 16))
        #expect(due.map { Int($0.timeIntervalSince(Self.local(3, 27, 16)).rounded()) } == 4 * 86_400 - 3_600,
                "the night of the change is an hour short; the working hours are not")
        #expect(office.workingTime(from: Self.local(3, 30, 0), to: Self.local(3, 31, 0)) == 8 * 3_600)
        #expect(office.isWorking(at: Self.local(3, 30, 9, 30)))
        #expect(!office.isWorking(at: Self.local(3, 30, 8, 30)))
    }

    @Test func statWorkRoundTheClock() {
        let start = Self.local(1, 10, 23, 30)   // a Saturday night
        let clock = SLAClock(start: start, target: 3_600, calendar: .always)
        #expect(clock.due(at: start) == start.addingTimeInterval(3_600))
        let warning = clock.status(at: start.addingTimeInterval(45 * 60))
        #expect(warning.stage == .running)
        #expect(warning.fraction == 0.75)
        #expect(warning.remaining == 15 * 60)
        #expect(!warning.outsideHours)
        let late = clock.status(at: start.addingTimeInterval(90 * 60))
        #expect(late.stage == .breached)
        #expect(late.remaining == -30 * 60)
    }

    @Test func aPriorityRaisedMidCycleUsesTheNewGoalFromTheCycleStart() {
        let start = Self.local(1, 9, 16)
        let urgent = SLAClock(start: start, target: 4 * 3_600, calendar: Self.office)
        #expect(urgent.due(at: Self.local(1, 13, 10)) == Self.local(1, 13, 12))
        #expect(urgent.status(at: Self.local(1, 13, 10)).remaining == 2 * 3_600)
    }

    @Test func completionMeetsOrBreachesAndAReopenedTaskStartsANewCycle() {
        let start = Self.local(1, 9, 16)
        let met = SLAClock(start: start, target: Self.twoBusinessDays, calendar: Self.office, ending: .completed(Self.local(1, 13, 11)))
        #expect(met.status(at: Self.local(1, 20, 9)).stage == .met)
        #expect(met.status(at: Self.local(1, 20, 9)).elapsed == 3 * 3_600, "the clock stops at completion")
        let late = SLAClock(start: start, target: Self.twoBusinessDays, calendar: Self.office, ending: .completed(Self.local(1, 15, 9)))
        #expect(late.status(at: Self.local(1, 20, 9)).stage == .breached)
        let cancelled = SLAClock(start: start, target: Self.twoBusinessDays, calendar: Self.office, ending: .cancelled(Self.local(1, 13, 9)))
        #expect(cancelled.status(at: Self.local(1, 20, 9)).stage == .cancelled)
        let reopened = SLAClock(start: Self.local(1, 20, 9), target: Self.twoBusinessDays, calendar: Self.office)
        #expect(reopened.due(at: Self.local(1, 20, 9)) == Self.local(1, 21, 17))
        #expect(reopened.status(at: Self.local(1, 20, 13)).elapsed == 4 * 3_600)
    }

    @Test func severalIntervalsADayAndWorkingTimeAcrossThem() {
        let split = WorkCalendar(name: "split", timeZone: Self.berlin, week: [2: [.init(start: 480, end: 720), .init(start: 780, end: 1020)]])
        #expect(split.businessDay == 8 * 3_600)
        // Monday 5 January 2026: 8–12 and 13–17.
        #expect(split.advance(Self.local(1, 5, 11), by: 2 * 3_600) == Self.local(1, 5, 14))
        #expect(split.workingTime(from: Self.local(1, 5, 11), to: Self.local(1, 5, 14)) == 2 * 3_600)
        #expect(!split.isWorking(at: Self.local(1, 5, 12, 30)))
        #expect(split.advance(Self.local(1, 5, 16), by: 2 * 3_600) == Self.local(1, 12, 9), "next Monday")
    }
}
