import Foundation
import HandoffApp
import Testing

/// The benchmark suite's table: figures in the suite's order whatever order they were measured in, each
/// figure named once, missed goals said plainly.
struct BenchmarkTableTests {
    let figures = [
        BenchmarkFigure(.dashboard, "every queue", "120 ms", goal: "p99 ≤ 100 ms", met: false),
        BenchmarkFigure(.ingest, "sync worker", "31,000 events/s", goal: "≥ 30,000 events/s", met: true),
        BenchmarkFigure(.ingest, "sqlite3", "40,000 events/s"),
        BenchmarkFigure(.memory, "peak", "40 MB", goal: "≤ 64 MB", met: true),
    ]

    @Test func figuresComeInTheSuitesOrderNamedOnce() {
        let lines = BenchmarkTable(heading: ["heading"], figures: figures).render().split(separator: "\n").map(String.init)
        #expect(lines[0] == "heading")
        let body = Array(lines.drop { !$0.hasPrefix("figure") }.dropFirst())
        #expect(body.count == 4)
        #expect(body[0].hasPrefix("1 ingest") && body[0].contains("sync worker") && body[0].hasSuffix("met"))
        #expect(body[1].hasPrefix(" ") && body[1].contains("sqlite3") && !body[1].contains("met"))
        #expect(body[2].hasPrefix("4 dashboard") && body[2].hasSuffix("MISSED"))
        #expect(body[3].hasPrefix("5 console memory"))
    }

    @Test func theMissedGoalsAreListed() {
        #expect(BenchmarkTable(heading: [], figures: figures).missed == ["4 dashboard: every queue"])
    }

    @Test func figuresSurviveTheTripThroughAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BenchmarkFigure.write(figures, to: path)
        #expect(try BenchmarkFigure.read(from: path) == figures)
    }

    @Test func peakMemoryIsReadFromTheKernelsStatus() throws {
        let status = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: status) }
        try "Name:\thandoff\nVmPeak:\t  900000 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\n".write(toFile: status, atomically: true, encoding: .utf8)
        #expect(peakResidentMemory(status: status) == 51_234 * 1_024)
        #expect(peakResidentMemory(status: "/nonexistent") == nil)
        #expect((peakResidentMemory() ?? 0) > 0, "this process has a resident peak")
    }
}
