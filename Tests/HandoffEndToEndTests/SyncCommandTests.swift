import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HandoffTestSupport
import Testing

/// The sync worker's command line on the demo database: run, status, routes, trace, dead letters.
@Suite(.serialized)
struct SyncCommandTests {
    let state = TemporaryDirectory("handoff-sync-cli")
    var environment: [String: String] { ["XDG_STATE_HOME": state.path, "HOME": state.path] }
    var demo: String { state.file("handoff/demo.db") }
    var spool: String { state.file("spool") }
    static let routes = SyncFixture.sampleData + "/routes.yaml"

    func handoff(_ arguments: [String]) throws -> CommandResult {
        try CommandRun.handoff(arguments, environment: environment)
    }

    /// The demo with the sample events ingested by `sync --once` as its service account.
    func ingestedDemo() throws -> CommandResult {
        try expectSuccess(handoff(["demo", "--print"]))
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let events = SyncFixture.sampleData + "/events"
        for name in try FileManager.default.contentsOfDirectory(atPath: events) where name.hasSuffix("json") {
            try FileManager.default.copyItem(atPath: events + "/" + name, toPath: spool + "/" + name)
        }
        return try expectSuccess(handoff(["sync", "--once", "--db", demo, "--as", "handoff-sync", "--spool", spool,
                                          "--routes", Self.routes, "--park-timeout", "0s"]))
    }

    @Test func syncOnceDrainsTheSpoolAndStatusShowsTheCounts() throws {
        let run = try ingestedDemo()
        #expect(run.stdout.contains("received 402"), "\(run)")
        #expect(run.stderr.contains("batch applied"), "logs go to stderr")
        #expect(!run.stderr.contains("José") && !run.stderr.contains("Nuñez"), "no payload in the logs")
        let status = try expectSuccess(handoff(["sync", "status", "--db", demo]))
        #expect(status.stdout.contains("received:      402"))
        #expect(status.stdout.contains("duplicates:    10"))
        let json = try expectSuccess(handoff(["sync", "status", "--db", demo, "--format", "json"]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["received"] as? Int == 402)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix("json") }.isEmpty)
    }

    @Test func theForegroundWorkerStopsCleanlyOnSIGTERMAndReplayNeverDuplicates() throws {
        try ingestedDemo()
        let worker = try SpawnedProcess(BuiltBinary.path, ["sync", "--db", demo, "--as", "handoff-sync", "--spool", spool,
                                                           "--routes", Self.routes, "--poll", "1s"],
                                        environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 },
                                        outputPath: state.file("out"), errorPath: state.file("err"))
        defer { _ = worker.kill() }
        let deadline = Date().addingTimeInterval(30)
        while try expectSuccess(handoff(["sync", "status", "--db", demo])).stdout.contains("worker:        running") == false,
              Date() < deadline {
            #expect(worker.exited() == nil, "\(worker.errorOutput)")
            usleep(50_000)
        }
        #expect(Glibc.kill(worker.pid, SIGTERM) == 0)
        #expect(worker.waitForExit(timeout: 15) == .exited(0), "\(worker.errorOutput)")
        let status = try expectSuccess(handoff(["sync", "status", "--db", demo])).stdout
        #expect(status.contains("not running"), "\(status)")
        #expect(status.contains("stopped"), "\(status)")

        let tasks = try expectSuccess(handoff(["task", "list", "--all", "--db", demo, "--format", "json"])).stdout
        let replay = try expectSuccess(handoff(["sync", "replay", "--since", "1d", "--db", demo, "--routes", Self.routes]))
        #expect(replay.stdout.contains("already applied"), "\(replay)")
        #expect(try expectSuccess(handoff(["task", "list", "--all", "--db", demo, "--format", "json"])).stdout == tasks,
                "replaying the log creates no duplicates")
    }

    @Test func onlyAServiceAccountMayRunTheWorkerAndBadArgumentsAreUsageErrors() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let person = try handoff(["sync", "--once", "--db", demo, "--spool", spool, "--routes", Self.routes])
        #expect(person.status == 1)
        #expect(person.stderr.contains("needs the service role: run it as the service account"), "\(person)")
        let usage = try handoff(["sync", "--once", "--db", demo, "--park-timeout", "soon"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--park-timeout"))
        let brokenRoutes = state.file("routes.yaml")
        try "schemas:\n  lab.result.signed:\n    v1: { report: reference }\nroutes:\n  - type: lab.result.signed\n    pend: \"{reprot}\"\n"
            .write(toFile: brokenRoutes, atomically: true, encoding: .utf8)
        let refused = try handoff(["sync", "--once", "--db", demo, "--as", "handoff-sync", "--spool", spool, "--routes", brokenRoutes])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(brokenRoutes):5:"), "\(refused)")
        #expect(refused.stderr.contains("'reprot' is not a field"))
    }

    @Test func routesTestShowsWhatEventsWouldDoWithoutChangingAnything() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let file = state.file("events.ndjson")
        let lines = try String(contentsOfFile: SyncFixture.sampleData + "/events/0001-monday-0800.ndjson", encoding: .utf8)
            .split(separator: "\n").prefix(3).joined(separator: "\n") + "\n{broken\n"
        try lines.write(toFile: file, atomically: true, encoding: .utf8)
        let before = try expectSuccess(handoff(["task", "list", "--all", "--db", demo, "--format", "json"])).stdout
        let result = try expectSuccess(handoff(["routes", "test", file, "--routes", Self.routes, "--db", demo]))
        #expect(result.stdout.contains("1. "))
        #expect(result.stdout.contains("rule at line"))
        #expect(result.stdout.contains("now: would"))
        #expect(result.stdout.contains("4. dead letter: invalid_json"))
        #expect(try expectSuccess(handoff(["task", "list", "--all", "--db", demo, "--format", "json"])).stdout == before)
        let check = try expectSuccess(handoff(["routes", "check", "--routes", Self.routes]))
        #expect(check.stdout.contains("ok"))
    }

    @Test func traceTellsTheStoryOfAReferralAndDeadLettersCanBeListedShownAndDiscarded() throws {
        try ingestedDemo()
        let trace = try expectSuccess(handoff(["trace", "ServiceRequest/900020", "--db", demo]))
        #expect(trace.stdout.contains("received referral.received evt-000130"), "\(trace)")
        #expect(trace.stdout.contains("authorization.requested"))
        #expect(trace.stdout.contains("audit #"))
        #expect(trace.stdout.contains("pend"))
        #expect(trace.stdout.contains("resume"))
        // And what went back out: the events those changes emitted, waiting until a publisher delivers them.
        #expect(trace.stdout.contains("sent back task.pending "), "\(trace)")
        #expect(trace.stdout.contains("sent back task.resumed ") && trace.stdout.contains("waiting for the publisher"))
        let outbound = TemporaryDirectory()
        let published = try expectSuccess(handoff(["outbound", "publish", "--once", "--db", demo, "--as", "handoff-sync", "--to", outbound.path]))
        #expect(published.stdout.hasPrefix("delivered "), "\(published)")
        let after = try expectSuccess(handoff(["trace", "ServiceRequest/900020", "--db", demo]))
        #expect(after.stdout.contains("delivered)") && !after.stdout.contains("waiting for the publisher"), "\(after)")

        let list = try expectSuccess(handoff(["deadletter", "list", "--db", demo]))
        #expect(list.stdout.contains("unsupported_specversion"))
        #expect(list.stdout.contains("id_conflict"))
        let json = try expectSuccess(handoff(["deadletter", "list", "--db", demo, "--format", "json", "--reason", "invalid_json"]))
        let letters = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(letters.count == 3)
        let id = try #require(letters.first?["id"] as? Int)
        let shown = try expectSuccess(handoff(["deadletter", "show", String(id), "--db", demo]))
        #expect(shown.stdout.contains("reason:     invalid_json"))
        #expect(shown.stdout.contains("raw ("))
        let escaped = try expectSuccess(handoff(["trace", "evt-000270", "--db", demo]))
        #expect(!escaped.stdout.contains("\u{1B}"), "nothing from an event reaches the terminal raw")

        let discard = try expectSuccess(handoff(["deadletter", "discard", String(id), "--reason", "noise from a test feed", "--db", demo]))
        #expect(discard.stdout.contains("discarded 1"))
        let nurse = try handoff(["deadletter", "discard", String(id + 1), "--reason", "x", "--db", demo, "--as", "nina"])
        #expect(nurse.status == 1, "only admins handle dead letters")
        let again = try expectSuccess(handoff(["deadletter", "list", "--db", demo, "--format", "json", "--reason", "invalid_json"]))
        #expect((try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]])?.count == 2)
    }
}
