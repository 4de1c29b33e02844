import Foundation
import HandoffTestSupport
import Testing

/// The demo's console with its worker and simulated integration layer, in a real terminal.
@Suite(.serialized, .enabled(if: TmuxSession.available || OSUsers.requiredByCI, "needs tmux"))
struct DemoSyncTests {
    let home = TemporaryDirectory("handoff-demo-sync")
    var demo: String { home.file("state/handoff/demo.db") }
    var environment: [String: String] { ["XDG_STATE_HOME": home.file("state"), "HOME": home.path] }

    func sqlite(_ sql: String) throws -> String {
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", ["-readonly", demo, sql])).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theDemoFeedsTheSampleEventsThroughTheWorkerAndAdminsSeeTheDeadLetters() throws {
        let variables = environment.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let tmux = try TmuxSession("env \(variables) \(BuiltBinary.path) demo --feed-interval 0s; echo \"EXIT=$?\" > \(home.file("status")); "
                                   + "stty -a > \(home.file("stty")); echo CONSOLE-ENDED; sleep 600", environment: environment)
        defer { try? tmux.killSession() }
        _ = try tmux.waitFor("⇄ sync", seconds: 30)
        try tmux.keys("4")
        let screen = try tmux.waitFor(seconds: 90) { $0.contains("received 402") && $0.contains("waiting)") }
        #expect(screen.contains("Dead letters — "))
        #expect(screen.contains("invalid_json"))
        #expect(screen.contains("id_conflict"))
        #expect(!screen.contains("\u{1B}"))
        #expect(try sqlite("SELECT count(*) FROM event") == "378", "every distinct sample event is in the inbox once")
        #expect(Int(try sqlite("SELECT count(*) FROM task WHERE correlationKey LIKE 'DiagnosticReport/9%'")) ?? 0 > 100)
        try tmux.keys("q")
        _ = try tmux.waitFor("CONSOLE-ENDED", seconds: 15)
        #expect(try String(contentsOfFile: home.file("status"), encoding: .utf8).contains("EXIT=0"))
        #expect(try sqlite("SELECT value FROM syncState WHERE key = 'worker.status'") == "stopped", "quitting stops the worker cleanly")
        let modes = try String(contentsOfFile: home.file("stty"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        #expect(modes.contains("icanon") && modes.contains("echo") && !modes.contains("-icanon") && !modes.contains("-echo"))
        let status = try expectSuccess(CommandRun.handoff(["sync", "status", "--db", demo, "--format", "json"], environment: environment))
        #expect(status.stdout.contains("\"received\" : 402"), "the counters survive the console")
        // Every NDJSON line and every batch file of the sample is one release.
        let folder = SyncFixture.sampleData + "/events"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        let releases = try files.filter { $0.hasSuffix(".ndjson") }
            .map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).split(separator: "\n").count }.reduce(0, +)
            + files.filter { $0.hasSuffix(".json") }.count
        #expect(try sqlite("SELECT value FROM meta WHERE key = 'demo.feed.next'") == String(releases), "the feed remembers where it stopped")
    }
}
