import Foundation
import HandoffTestSupport
import Testing

/// `handoff bench run`: the whole suite at tiny sizes, so the runner and every benchmark it starts keep
/// working. Timings are never asserted; what is checked is that every figure is measured and reported.
@Suite(.serialized)
struct BenchRunTests {
    let directory = TemporaryDirectory("handoff-bench-run")

    @Test func theTableHoldsEveryFigureWithItsGoal() throws {
        let folder = directory.file("suite")
        let result = try expectSuccess(CommandRun.handoff([
            "bench", "run", "--dir", folder, "--tasks", "300", "--events", "240", "--processes", "2", "--actions", "10",
            "--presses", "5", "--runs", "1",
        ]))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("\(ProcessInfo.processInfo.activeProcessorCount) cores") == true)
        for title in ["1 ingest", "2 console", "3 transitions under contention", "4 dashboard", "5 console memory", "6 bytes to the terminal"] {
            #expect(lines.contains { $0.hasPrefix(title + " ") }, "no figure '\(title)' in\n\(result.stdout)")
        }
        func line(_ measurement: String) -> String? { lines.first { $0.contains(measurement) } }
        #expect(line("sync worker, 240 events into 300 tasks")?.contains("≥ 30,000 events/s") == true)
        #expect(line("start to first frame, 300 tasks")?.contains("≤ 150 ms") == true)
        #expect(line("lost (audit records and versions = successes)")?.hasSuffix("met") == true, "\(result.stdout)")
        #expect(line("every queue, 300 tasks")?.contains("p99 ≤ 100 ms") == true)

        // Memory and bytes are measured, not zero.
        let memory = try #require(line("peak resident memory of the console process"))
        let megabytes = try #require(memory.split(separator: " ").compactMap { Double($0) }.first)
        #expect(megabytes > 1)
        let cursor = try #require(line("per cursor move at 120 columns"))
        let bytes = try #require(cursor.firstMatch(of: /(\d+) \/ (\d+) B/))
        #expect(try #require(Int(bytes.1)) > 0, "a cursor move repaints at least the two rows it moves between")
        let arrow = try #require(line("per cursor move with --arrow-cursor"))
        let arrowBytes = try #require(arrow.firstMatch(of: /(\d+) \/ (\d+) B/))
        #expect(try #require(Int(arrowBytes.1)) > 0 && Int(arrowBytes.1)! < Int(bytes.1)!, "the arrow rewrites less than a highlighted row: \(arrow)")

        // The generator wrote the spool the ingest figure read: 240 events.
        let spool = folder + "/bench.db-spool"
        let events = try FileManager.default.contentsOfDirectory(atPath: spool).reduce(0) { total, name in
            total + (try String(contentsOfFile: spool + "/" + name, encoding: .utf8)).split(separator: "\n").count
        }
        #expect(events == 240)
    }

    @Test func aFolderItDidNotMakeIsRefusedAndLeftAlone() throws {
        let folder = directory.file("mine")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keep = folder + "/notes.txt"
        #expect(FileManager.default.createFile(atPath: keep, contents: Data("keep".utf8)))
        let refused = try CommandRun.handoff(["bench", "run", "--dir", folder, "--tasks", "10", "--events", "10"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("was not made by 'bench run'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"])
    }
}
