import Foundation
import HandoffCore
import Testing

/// The dashboard's pure pieces: nearest-rank percentiles, hourly buckets, which records count, charts.
struct DashboardFiguresTests {
    @Test(arguments: [
        ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.0, 9.0),
        ([4.0, 1, 3, 2], 2.0, 4.0), // even count: the lower middle value, never an average
        ([7.0], 7.0, 7.0),
        ([30.0, 10, 20], 20.0, 30.0),
    ])
    func nearestRankPercentiles(values: [Double], median: Double, p90: Double) {
        let summary = DurationSummary(values)
        #expect(summary.count == values.count)
        #expect(summary.median == median)
        #expect(summary.p90 == p90)
    }

    @Test func noDurationsGiveNoPercentiles() {
        let summary = DurationSummary([])
        #expect(summary.count == 0 && summary.median == nil && summary.p90 == nil)
    }

    @Test func hoursOfTheWindow() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let scope = DashboardScope(queues: ["lab"], now: now, dayStart: now.addingTimeInterval(-3_600))
        #expect(scope.hour(of: now.addingTimeInterval(-86_400)) == 0)
        #expect(scope.hour(of: now.addingTimeInterval(-86_401)) == nil)
        #expect(scope.hour(of: now.addingTimeInterval(-3_599)) == 23)
        #expect(scope.hour(of: now) == 23)
        #expect(scope.hour(of: now.addingTimeInterval(1)) == nil)
        #expect(scope.hour(of: now.addingTimeInterval(-7_200)) == 22)
    }

    @Test func recordsCountOncePerTaskAndOnlyTowardsTheirFigures() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let scope = DashboardScope(queues: ["lab"], now: now, dayStart: now.addingTimeInterval(-5 * 3_600))
        let t1 = TaskID(1), t2 = TaskID(2)
        let records = [
            // T-1 completed twice today (reopened in between): once in the total, in each hour it happened.
            FlowRecord(kind: .completion(since: now.addingTimeInterval(-9_000)), task: t1, queue: "lab",
                       time: now.addingTimeInterval(-7_000), taskState: .completed, slaStage: .breached, dueAt: now.addingTimeInterval(-8_000)),
            FlowRecord(kind: .completion(since: now.addingTimeInterval(-3_000)), task: t1, queue: "lab",
                       time: now.addingTimeInterval(-1_000), taskState: .completed, slaStage: .breached, dueAt: now.addingTimeInterval(-8_000)),
            // T-2 completed yesterday, outside today but inside the window; met its due time.
            FlowRecord(kind: .completion(since: now.addingTimeInterval(-80_000)), task: t2, queue: "lab",
                       time: now.addingTimeInterval(-40_000), taskState: .completed, slaStage: .met),
            FlowRecord(kind: .arrival, task: t2, queue: "lab", time: now.addingTimeInterval(-80_000), taskState: .completed),
        ]
        let flow = FlowFigures(records: records, scope: scope)
        #expect(flow.completionsTotal == 2)
        #expect(flow.completions[23] == 1 && flow.completions[22] == 1)
        #expect(flow.timeToComplete.count == 2)
        #expect(flow.timeToComplete.median == 2_000, "T-1's latest completion (2,000 s) and T-2's (40,000 s)")
        #expect(records.records(behind: .completedToday(queue: "lab"), in: scope).map(\.task) == [t1])
        #expect(records.records(behind: .lateToday(queue: "lab"), in: scope).map(\.task) == [t1])
        #expect(records.records(behind: .breachedToday(queue: "lab"), in: scope).map(\.task) == [t1])
        #expect(records.records(behind: .completedToday(queue: "other"), in: scope).isEmpty)
        #expect(flow.arrivalsTotal == 1 && flow.arrivals[1] == 1)
    }

    @Test func sparklinesScaleToTheLargestValue() {
        #expect(Chart.sparkline([0, 1, 4, 8], glyphs: .unicode) == " ▁▄█")
        #expect(Chart.sparkline([0, 1, 4, 8], glyphs: .ascii) == " _~#")
        #expect(Chart.sparkline([0, 0], glyphs: .unicode) == "  ")
    }

    @Test func barsInEighthsOrHashes() {
        #expect(Chart.bar(10, of: 10, width: 4, glyphs: .unicode) == "████")
        #expect(Chart.bar(5, of: 10, width: 3, glyphs: .unicode) == "█▌")
        #expect(Chart.bar(1, of: 1_000, width: 10, glyphs: .unicode) == "▏", "any work shows")
        #expect(Chart.bar(5, of: 10, width: 4, glyphs: .ascii) == "##")
        #expect(Chart.bar(0, of: 10, width: 4, glyphs: .unicode) == "")
        #expect(Chart.Glyphs(codeset: "UTF-8") == .unicode && Chart.Glyphs(codeset: "ANSI_X3.4-1968") == .ascii)
    }

    @Test(arguments: [(5_400.0, "1h30m"), (45, "45s"), (0, "0s"), (93_600, "1d2h"), (86_460, "1d"), (-600, "-10m")])
    func durationsInTwoUnits(seconds: Double, text: String) {
        #expect(DurationText.format(seconds) == text)
        if seconds != 86_460 { #expect(DurationText.seconds(text) == seconds, "reads back") }
    }
}
