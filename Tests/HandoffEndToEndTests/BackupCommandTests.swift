import Foundation
import HandoffTestSupport
import Testing

/// `handoff backup FILE`: a consistent, checked copy taken while four processes keep writing.
@Suite(.serialized)
struct BackupCommandTests {
    let home = DemoStateDirectory("handoff-backup")
    var demo: String { home.demo }

    func auditCount(_ file: String) throws -> Int {
        Int(try home.sqlite("SELECT count(*) FROM audit", in: file)) ?? -1
    }

    @Test func aBackupTakenWhileFourProcessesWriteIsConsistentAndChecked() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let before = try auditCount(demo)
        let writers = try (1...4).map { writer in
            try SpawnedProcess("/bin/sh", ["-c", "while true; do '\(BuiltBinary.path)' task note T-\(writer) \"writer \(writer)\" --db '\(demo)' || exit 1; done"],
                               environment: home.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 },
                               outputPath: home.state.file("writer\(writer).out"), errorPath: home.state.file("writer\(writer).err"))
        }
        // Wait (by condition, not by time) until every writer has written.
        let deadline = Date().addingTimeInterval(60)
        while try home.sqlite("SELECT count(DISTINCT task) FROM audit WHERE seq > \(before) AND action = 'note'") != "4", Date() < deadline {
            usleep(20_000)
        }
        let backup = home.state.file("backup.db")
        // A backup killed before its clean-up left its staging copy (a whole copy of the data); one of a
        // backup still running (a live process) is not ours to touch.
        let folder = (demo as NSString).deletingLastPathComponent
        var gone: pid_t = 4_000_000
        while kill(gone, 0) == 0 || errno != ESRCH { gone -= 1 }
        let abandoned = ["\(folder)/.backup-\(gone)-DEADBEEF.db", "\(folder)/.backup-\(gone)-DEADBEEF.db-journal"]
        let running = "\(folder)/.backup-\(getpid())-CAFECAFE.db"
        let admins = "\(folder)/.backup-2024-06-01.db"   // not a name Handoff gives: never touched
        for file in abandoned + [running, admins] { try Data("copy".utf8).write(to: URL(fileURLWithPath: file)) }
        let result = try expectSuccess(home.handoff(["backup", backup, "--db", demo]))
        #expect(abandoned.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "abandoned staging copies are removed")
        #expect(FileManager.default.fileExists(atPath: running) && FileManager.default.fileExists(atPath: admins))
        unlink(running)
        unlink(admins)
        #expect(writers.allSatisfy { $0.exited() == nil }, "the writers kept running through the backup")
        let during = try auditCount(demo)
        for writer in writers { writer.kill() }
        let after = try auditCount(demo)

        #expect(result.stdout.contains("integrity ok, audit chain intact"))
        #expect(try home.sqlite("PRAGMA integrity_check", in: backup) == "ok")
        let copied = try auditCount(backup)
        #expect(copied >= before + 4 && copied <= during && during <= after, "a snapshot taken mid-stream: \(before) + 4 ≤ \(copied) ≤ \(during) ≤ \(after)")
        #expect(try home.sqlite("SELECT count(*) = max(seq) FROM audit", in: backup) == "1", "no gap in the copied audit")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600, "readable by whoever took it only")
        // Restored beside the audit key (which backups do not hold), the copy opens as a Handoff database,
        // passes integrity_check and verifies; the backup itself is audited in the original.
        let restored = home.state.file("restored/demo.db")
        try FileManager.default.createDirectory(atPath: home.state.file("restored"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: backup, toPath: restored)
        try FileManager.default.copyItem(atPath: demo + ".audit-key", toPath: restored + ".audit-key")
        #expect(try home.sqlite("PRAGMA integrity_check", in: restored) == "ok")
        let verified = try expectSuccess(home.handoff(["audit", "verify", "--db", restored]))
        #expect(verified.stdout.contains("audit chain intact: \(copied) records"))
        try expectSuccess(home.handoff(["task", "list", "--db", restored]))
        let keyless = try home.handoff(["task", "list", "--db", backup])
        #expect(keyless.status == 1 && keyless.stderr.contains("the audit key \(backup).audit-key is missing"))
        #expect(try home.sqlite("SELECT count(*) FROM audit WHERE action = 'backup'") == "1")

        let again = try home.handoff(["backup", backup, "--db", demo])
        #expect(again.status == 1 && again.stderr.contains("File exists"), "an existing file is never replaced")
        let supervisor = try home.handoff(["backup", home.state.file("other.db"), "--db", demo, "--as", "sam"])
        #expect(supervisor.status == 1 && supervisor.stderr.contains("needs the admin role"))
        #expect(!FileManager.default.fileExists(atPath: home.state.file("other.db")))
    }
}
