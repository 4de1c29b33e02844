import Foundation
import HandoffTestSupport
import Testing

/// `handoff install`: set-group-id into a prefix, a private data directory, a root-owned configuration.
/// People work through `handoff` but cannot reach the database file; environment variables and options
/// cannot point it elsewhere; files it writes for a person are theirs, and files they name are opened
/// with their rights only. Needs root (CI runs as root).
@Suite(.serialized, .enabled(if: (OSUsers.available && TmuxSession.available) || OSUsers.requiredByCI, "needs root and tmux"))
struct InstallTests {
    let installed: InstalledHandoff
    let cora: String
    var binary: String { installed.binary }
    var database: String { installed.database }

    init() throws {
        guard OSUsers.available, TmuxSession.available else {
            throw UnexpectedResult(description: "CI=true: the install tests need root and tmux (.ci/run runs as root and installs tmux)")
        }
        installed = try InstalledHandoff()
        cora = try installed.addUser("cora", roles: "coordinator")
    }

    func attributes(_ path: String) throws -> (owner: Int, group: Int, mode: Int) {
        let values = try FileManager.default.attributesOfItem(atPath: path)
        return ((values[.ownerAccountID] as? NSNumber)?.intValue ?? -1, (values[.groupOwnerAccountID] as? NSNumber)?.intValue ?? -1,
                (values[.posixPermissions] as? NSNumber)?.intValue ?? -1)
    }

    @Test func aPersonWorksThroughHandoffButNeverReachesTheDatabaseFile() throws {
        let (group, admin, prefix) = (installed.group, installed.admin, installed.prefix)
        func run(_ executable: String, _ arguments: [String], as user: String, environment: [String: String] = [:]) throws -> CommandResult {
            try installed.run(arguments, as: user, executable: executable, environment: environment)
        }
        func home(_ user: String) throws -> String { try installed.home(user) }
        #expect(installed.installOutput.contains("created the system group \(group)"))
        #expect(installed.installOutput.contains("warning: this binary loads the Swift runtime as shared libraries"), "a debug build is dynamic")
        let gid = Int(try #require(getgrnam(group)).pointee.gr_gid)
        #expect(try attributes(binary) == (0, gid, 0o2755))
        #expect(try attributes(prefix + "/var/lib/handoff") == (0, gid, 0o2770))
        #expect(try attributes(database) == (0, gid, 0o660))
        #expect(try attributes(database + ".audit-key") == (0, gid, 0o640))
        #expect(try attributes(prefix + "/etc/handoff/handoff.conf") == (0, 0, 0o644))
        let again = try expectSuccess(CommandRun.handoff(["install", "--prefix", prefix, "--group", group, "--admin", admin]))
        #expect(again.stdout.contains("kept the configuration") && again.stdout.contains("kept the database"), "safe to run again")

        // Through handoff, the admin added a person, and that person works (the positive control)…
        let listed = try expectSuccess(run(binary, ["users", "list"], as: cora))
        #expect(listed.stdout.contains(cora) && listed.stdout.contains(admin))
        try expectSuccess(run(binary, ["task", "list"], as: cora))
        // …but the database file and its key are out of reach of the same person's own tools.
        let direct = try run("/usr/bin/sqlite3", [database, "SELECT count(*) FROM audit"], as: cora)
        #expect(direct.status != 0, "\(direct)")
        #expect(direct.stderr.contains("unable to open database") || direct.stderr.contains("ermission denied"), "\(direct.stderr)")
        let key = try run("/bin/cat", [database + ".audit-key"], as: cora)
        #expect(key.status != 0 && key.stdout.isEmpty)

        // Environment variables and options cannot point an installed handoff at another database.
        let other = installed.directory.file("other.db")
        let overridden = try expectSuccess(run(binary, ["users", "list"], as: cora,
                                               environment: ["HANDOFF_DB": other, "XDG_DATA_HOME": installed.directory.path]))
        #expect(overridden.stdout.contains(cora), "the installed database, whatever HANDOFF_DB says")
        #expect(!FileManager.default.fileExists(atPath: other))
        let named = try run(binary, ["task", "list", "--db", other], as: cora)
        #expect(named.status == 1 && named.stderr.contains("an installed handoff uses only the database set in"), "\(named)")
        let acting = try run(binary, ["task", "list", "--as", admin], as: cora)
        #expect(acting.status == 1 && acting.stderr.contains("--as is refused by an installed handoff"), "\(acting)")
        let demo = try run(binary, ["demo", "--print"], as: cora)
        #expect(demo.status == 1 && demo.stderr.contains("'demo' is not available in an installed handoff"), "\(demo)")
        #expect(!FileManager.default.fileExists(atPath: other))

        // An output path pointed at the database is refused, and the database is untouched.
        let records = try CommandRun.run("/usr/bin/sqlite3", ["-readonly", database, "SELECT count(*) FROM audit"]).stdout
        let overwrite = try run(binary, ["audit", "log", "--out", database], as: admin)
        #expect(overwrite.status == 1 && overwrite.stderr.contains("ermission denied"), "\(overwrite)")
        #expect(try CommandRun.run("/usr/bin/sqlite3", ["-readonly", database, "PRAGMA integrity_check"]).stdout == "ok\n")
        #expect(try CommandRun.run("/usr/bin/sqlite3", ["-readonly", database, "SELECT count(*) FROM audit"]).stdout == records)

        // Files written for a person belong to them, not to the group.
        let export = try home(admin) + "/audit.json"
        try expectSuccess(run(binary, ["audit", "log", "--format", "json", "--out", export], as: admin))
        let adminEntry = try #require(getpwnam(admin)).pointee
        #expect(try attributes(export) == (Int(adminEntry.pw_uid), Int(adminEntry.pw_gid), 0o600))
        let backup = try home(admin) + "/backup.db"
        try expectSuccess(run(binary, ["backup", backup], as: admin))
        #expect(try attributes(backup) == (Int(adminEntry.pw_uid), Int(adminEntry.pw_gid), 0o600))
        #expect(try CommandRun.run("/usr/bin/sqlite3", ["-readonly", backup, "PRAGMA integrity_check"]).stdout == "ok\n")
        // Testing routes against the database tells whether a patient has open work: admins (and services) only.
        let events = try home(cora) + "/events.ndjson"
        try FileManager.default.copyItem(atPath: SyncFixture.sampleData + "/events/0001-monday-0800.ndjson", toPath: events)
        try expectSuccess(CommandRun.run("/bin/chown", [cora, events]))
        let lookup = try run(binary, ["routes", "test", events], as: cora)
        #expect(lookup.status == 1 && lookup.stderr.contains("looking tasks up while testing routes is for admins"), "\(lookup)")
        let adminEvents = try home(admin) + "/events.ndjson"
        try FileManager.default.copyItem(atPath: events, toPath: adminEvents)
        try expectSuccess(CommandRun.run("/bin/chown", [admin, adminEvents]))
        try expectSuccess(run(binary, ["routes", "test", adminEvents], as: admin))

        // Doctor sees the installation as it should be.
        let doctor = try run(binary, ["doctor"], as: admin)
        #expect(doctor.stdout.contains("set-group-id"), "\(doctor)")
        #expect(!doctor.stdout.contains("problem "), "\(doctor.stdout)")
    }

    @Test func theInstalledPublisherDeliversIntoTheConfiguredSpoolOnly() throws {
        let admin = installed.admin
        let service = try installed.addUser("svc", roles: "service")
        let gid = Int(try #require(getgrnam(installed.group)).pointee.gr_gid)
        let outbound = installed.prefix + "/var/lib/handoff/outbound"
        #expect(try attributes(outbound) == (0, gid, 0o2770))
        #expect(try String(contentsOfFile: installed.prefix + "/etc/handoff/handoff.conf", encoding: .utf8).contains("outbound = \(outbound)\n"))
        try expectSuccess(installed.run(["queues", "add", "intake", "--title", "Referral intake"], as: admin))
        try expectSuccess(installed.run(["task", "create", "--queue", "intake", "--title", "Schedule cardiology", "--patient", "Patient/1001"], as: admin))

        // A person cannot run it; the service account can, but not into a directory of its choosing.
        let person = try installed.run(["outbound", "publish", "--once"], as: cora)
        #expect(person.status == 1 && person.stderr.contains("needs the service role"), "\(person)")
        let elsewhere = installed.directory.file("elsewhere")
        let named = try installed.run(["outbound", "publish", "--once", "--to", elsewhere], as: service)
        #expect(named.status == 1 && named.stderr.contains("--to \(elsewhere): an installed handoff takes this only from"), "\(named)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere))

        let published = try expectSuccess(installed.run(["outbound", "publish", "--once"], as: service))
        #expect(published.stdout == "delivered 1 outbound event to \(outbound)\n", "\(published)")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbound).filter { $0.hasSuffix(".ndjson") }
        #expect(files.count == 1)
        // The file belongs to the handoff group (the directory's set-group-id bit), not to others.
        let file = try attributes(outbound + "/" + (files.first ?? "-"))
        #expect(file.group == gid && file.mode & 0o007 == 0, "\(file)")
        let line = try String(contentsOfFile: outbound + "/" + (files.first ?? "-"), encoding: .utf8)
        #expect(line.contains("\"type\":\"task.created\"") && line.contains("\"subject\":\"Patient/1001\"") && !line.contains("cardiology"))
        let status = try expectSuccess(installed.run(["outbound", "status"], as: admin))
        #expect(status.stdout.contains("waiting:    0"), "\(status)")
    }

    @Test func aThemeFilePointedAtTheAuditKeyRevealsNothing() throws {
        let keyHex = try String(contentsOfFile: database + ".audit-key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        let themes = try installed.home(cora) + "/.config/handoff/themes"
        try expectSuccess(installed.run(["-p", themes], as: cora, executable: "/bin/mkdir"))
        try expectSuccess(installed.run(["-s", database + ".audit-key", themes + "/evil.yaml"], as: cora, executable: "/bin/ln"))
        let console = try TmuxSession("/usr/sbin/runuser -u \(cora) -- env HOME=\(try installed.home(cora)) TERM=xterm-256color \(binary) console --theme evil", width: 220)
        defer { try? console.killSession() }
        let screen = try console.waitFor { $0.contains("evil.yaml") }
        #expect(screen.contains("ermission denied"), "\(screen)")
        #expect(!screen.contains(String(keyHex.prefix(12))))
        try console.keys("q")
    }
}
