import Foundation
import HandoffCore
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
        #expect(screen.contains("outbound: publisher running · "), "\(screen)")
        #expect(try sqlite("SELECT count(*) FROM event") == "378", "every distinct sample event is in the inbox once")
        #expect(Int(try sqlite("SELECT count(*) FROM task WHERE correlationKey LIKE 'DiagnosticReport/9%'")) ?? 0 > 100)
        try tmux.keys("q")
        _ = try tmux.waitFor("CONSOLE-ENDED", seconds: 15)
        #expect(try String(contentsOfFile: home.file("status"), encoding: .utf8).contains("EXIT=0"))
        #expect(try sqlite("SELECT value FROM syncState WHERE key = 'worker.status'") == "stopped", "quitting stops the worker cleanly")
        #expect(try sqlite("SELECT value FROM syncState WHERE key = 'outbound.status'") == "stopped", "and the publisher")
        // The demo's changes went back out: the demo's outbound spool holds every event up to the publisher's
        // cursor, in order. (The outbox keeps delivered events 7 days: the older seeded ones are pruned.)
        let outbound = home.file("state/handoff/demo-outbound")
        var seen = Set<String>()
        let delivered = try FileManager.default.contentsOfDirectory(atPath: outbound).filter { $0.hasSuffix(".ndjson") }.sorted()
            .flatMap { try String(contentsOfFile: outbound + "/" + $0, encoding: .utf8).split(separator: "\n") }
            .map { try EventDecoder.decode(Data($0.utf8)).get() }
            .filter { seen.insert($0.id).inserted }
        let cursor = try sqlite("SELECT value FROM syncState WHERE key = 'outbound.cursor'")
        #expect(delivered.count == Int(cursor), "one event per sequence number")
        let kept = try sqlite("SELECT id FROM outbox WHERE seq <= \(cursor) ORDER BY seq").split(separator: "\n").map(String.init)
        #expect(delivered.map(\.id).filter(Set(kept).contains) == kept)
        #expect(kept.count > 100)
        #expect(delivered.count > 800 && delivered.allSatisfy { $0.source == "urn:handoff:demo" })
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

    @Test func aPatientNameWithEscapeSequencesDrawsAsTextAndTheWorkerLogsToItsFileOnly() throws {
        try expectSuccess(CommandRun.handoff(["demo", "--print"], environment: environment))
        // The middleware delivers an event whose patient name would clear the screen and retitle the terminal.
        let spool = home.file("state/handoff/demo-spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let hostile = "Eve\u{1B}[2J\u{1B}]0;pwned\u{07}"
        let event = TestEvent.json("lab.result.signed", id: "evt-hostile-1", source: "urn:hospital:mirth:lab-results", subject: "Patient/1001", data: [
            "patient": "Patient/1001", "name": hostile, "report": "DiagnosticReport/990001",
            "test": ["code": "2823-3", "display": "Potassium 6.1"], "abnormal": true, "critical": true,
        ])
        try (event + "\n").write(toFile: spool + "/0000-hostile.ndjson", atomically: true, encoding: .utf8)
        let log = home.file("worker.log")
        let variables = environment.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let tmux = try TmuxSession("env \(variables) \(BuiltBinary.path) demo --as nina --feed-interval 1h --log \(log) --log-level trace; "
                                   + "echo CONSOLE-ENDED; printf '\\033]0;control-title\\007'; sleep 600", environment: environment)
        defer { try? tmux.killSession() }
        _ = try tmux.waitFor("nina (nurse)", seconds: 30)
        let untitled = try tmux.paneTitle()

        // Wait (by condition) until the worker has made the task, then open it.
        var id = ""
        let deadline = Date().addingTimeInterval(60)
        while id.isEmpty, Date() < deadline {
            id = try expectSuccess(CommandRun.run("/usr/bin/sqlite3", ["-readonly", "-cmd", ".timeout 10000", demo,
                                                                   "SELECT id FROM task WHERE correlationKey = 'DiagnosticReport/990001'"]))
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if id.isEmpty { usleep(50_000) }
        }
        try #require(!id.isEmpty, "the worker never created the task")
        try tmux.type(":task T-\(id)")
        try tmux.keys("Enter")
        let screen = try tmux.waitFor("Patient    Eve\\x1b[2J\\x1b]0;pwned\\x07", seconds: 15)
        #expect(screen.contains("nina (nurse)"), "the screen was not cleared: \(screen)")
        #expect(!screen.contains("\u{1B}") && !screen.contains("\u{07}"))
        #expect(try tmux.paneTitle() == untitled, "the terminal's title was not changed")
        #expect(!(try tmux.paneTitle()).contains("pwned"))
        try tmux.keys("q", "q")
        _ = try tmux.waitFor("CONSOLE-ENDED", seconds: 15)
        // Control: a program that does send the sequence does retitle this terminal.
        let deadlineTitle = Date().addingTimeInterval(10)
        while try tmux.paneTitle() != "control-title", Date() < deadlineTitle { usleep(50_000) }
        #expect(try tmux.paneTitle() == "control-title")

        // The worker logged to its file (its owner's only) and nothing of the payload went there.
        let mode = try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("trace handoff.demo-sync: event") && text.contains("event=evt-hostile-1"), "\(text)")
        #expect(!text.contains("Eve") && !text.contains("pwned") && !text.contains("Potassium") && !text.contains("\u{1B}"))
    }
}
