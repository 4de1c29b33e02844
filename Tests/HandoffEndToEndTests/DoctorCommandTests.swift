import Foundation
import HandoffTestSupport
import Testing

/// `handoff doctor` on a demo database: one line per check, exit 1 only for a problem.
@Suite(.serialized)
struct DoctorCommandTests {
    let home = DemoStateDirectory("handoff-doctor")
    var demo: String { home.demo }

    /// The line of `check` in doctor's table output.
    func line(_ check: String, in output: String) throws -> String {
        try #require(output.split(separator: "\n").map(String.init).first { $0.dropFirst(9).hasPrefix(check + "  ") }, "\(output)")
    }

    /// The version of the system's libsqlite3, which both `sqlite3` and `handoff` link, as numbers.
    func libraryVersion() throws -> (text: String, parts: [Int]) {
        let text = try home.sqlite("SELECT sqlite_version()", in: ":memory:")
        return (text, text.split(separator: ".").compactMap { Int($0) })
    }

    @Test func aDemoDatabaseHasWALSynchronousFullAndTheLibraryVersionJudgedNumerically() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let result = try home.handoff(["doctor", "--db", demo])
        #expect(result.status == 0, "warnings only: \(result)")
        let output = result.stdout
        #expect(try line("install", in: output).hasPrefix("ok       install"))
        #expect(try line("install", in: output).contains("development mode: not installed set-group-id"))
        #expect(try line("database file", in: output).hasPrefix("ok"))
        #expect(try line("database file", in: output).contains("\(demo): "))
        #expect(try line("database file", in: output).contains("mode 0660"))
        #expect(try line("journal", in: output).hasPrefix("ok       journal"))
        #expect(try line("journal", in: output).contains("wal"))
        #expect(try line("synchronous", in: output).contains("ok       synchronous"))
        #expect(try line("synchronous", in: output).contains("FULL"))
        #expect(try line("schema", in: output).hasPrefix("ok"))

        let library = try libraryVersion()
        let sqlite = try line("sqlite", in: output)
        #expect(sqlite.contains("SQLite \(library.text)"), "\(sqlite)")
        if library.parts.lexicographicallyPrecedes([3, 51, 3]) {
            #expect(sqlite.hasPrefix("warning"))
            #expect(sqlite.contains("WAL-reset bug"))
            #expect(sqlite.contains("fix: upgrade libsqlite3 to 3.51.3 or later"))
        } else {
            #expect(sqlite.hasPrefix("ok"))
        }
        #expect(try line("audit", in: output).hasPrefix("ok"))
        #expect(try line("audit", in: output).contains("chain intact: \(try home.sqlite("SELECT count(*) FROM audit")) records"))
        #expect(try line("sync worker", in: output).hasPrefix("warning"), "the demo database has never had a worker")
        #expect(try line("dead letters", in: output).hasPrefix("ok"))
    }

    @Test func aDatabaseFileOthersCanReadIsAProblemNamingTheFileAndTheChmod() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        try expectSuccess(CommandRun.run("/bin/chmod", ["0644", demo]))
        let result = try home.handoff(["doctor", "--db", demo])
        #expect(result.status == 1, "\(result)")
        let file = try line("database file", in: result.stdout)
        #expect(file.hasPrefix("problem"))
        #expect(file.contains("\(demo): ") && file.contains("mode 0644") && file.contains("readable by others"))
        #expect(file.contains("fix: chmod 660 \(demo)"))
        #expect(result.stderr == "handoff: 1 problem found: each says how to fix it\n")

        let json = try home.handoff(["doctor", "--db", demo, "--format", "json"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "problem")
        let checks = try #require(report["checks"] as? [[String: String]])
        #expect(checks.filter { $0["status"] == "problem" }.map { $0["check"] } == ["database file"])
        #expect(checks.first { $0["check"] == "journal" }?["status"] == "ok")
    }

    @Test func openDeadLettersAndAStoppedWorkerAreWarnings() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let spool = home.state.file("spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let events = SyncFixture.sampleData + "/events"
        for name in try FileManager.default.contentsOfDirectory(atPath: events) where name.hasSuffix("json") {
            try FileManager.default.copyItem(atPath: events + "/" + name, toPath: spool + "/" + name)
        }
        try expectSuccess(home.handoff(["sync", "--once", "--db", demo, "--as", "handoff-sync", "--spool", spool,
                                        "--routes", SyncFixture.sampleData + "/routes.yaml", "--park-timeout", "0s"]))
        let result = try home.handoff(["doctor", "--db", demo])
        #expect(result.status == 0, "\(result)")
        let open = try home.sqlite("SELECT count(*) FROM deadLetter WHERE status = 'open'")
        #expect(Int(open) ?? 0 > 0)
        let letters = try line("dead letters", in: result.stdout)
        #expect(letters.hasPrefix("warning") && letters.contains("\(open) open") && letters.contains("fix: handoff deadletter list"), "\(letters)")
        let worker = try line("sync worker", in: result.stdout)
        #expect(worker.hasPrefix("warning") && worker.contains("stopped after --once") && worker.contains("handoff sync"), "\(worker)")
    }

    @Test func aTamperedAuditRecordIsAProblemNamingIt() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", [demo, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 42"]))
        let result = try home.handoff(["doctor", "--db", demo])
        #expect(result.status == 1, "\(result)")
        let audit = try line("audit", in: result.stdout)
        #expect(audit.hasPrefix("problem") && audit.contains("chain broken: record 42 does not match its hash"), "\(audit)")
        #expect(audit.contains("fix: treat it as tampering"))
    }
}
