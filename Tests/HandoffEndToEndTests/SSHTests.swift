import Foundation
import HandoffTestSupport
import Testing

/// Handoff over a real OpenSSH server (docs/SSH.md): an admin logs in normally and reassigns work; a coordinator
/// in the confined group gets the console or allowed commands only; an OS user unknown to Handoff is refused.
/// The audit names each person with the client's address.
@Suite(.serialized, .enabled(if: (SSHServer.available && TmuxSession.available) || OSUsers.requiredByCI,
                             "needs root, OpenSSH (openssh-server, openssh-client) and tmux"))
struct SSHTests {
    let shared: SharedDatabase
    let server: SSHServer
    let layout: HandoffOverSSH
    let admin: String, coordinator: String, sick: String, marco: String, stranger: String
    /// Each SSH user's private key.
    let keys: [String: String]

    init() throws {
        guard SSHServer.available, TmuxSession.available else {
            throw UnexpectedResult(description: "CI=true: this suite needs root, /usr/sbin/sshd, ssh, ssh-keygen and tmux (.ci/run installs them)")
        }
        shared = try SharedDatabase()
        let confined = try shared.users.addGroup("hu")
        layout = HandoffOverSSH(binary: BuiltBinary.path, database: shared.path)
        server = try SSHServer(allowGroups: [shared.users.group], configuration: layout.confinement(group: confined))
        admin = try shared.addUser("sshadm", roles: "admin", homeUnder: server.homes)
        coordinator = try shared.addUser("coord", roles: "coordinator", homeUnder: server.homes, groups: [confined])
        stranger = try shared.users.add("stranger", homeUnder: server.homes, groups: [confined])
        sick = try shared.addUser("sick", roles: "coordinator")
        marco = try shared.addUser("marco", roles: "coordinator")
        var keys: [String: String] = [:]
        for user in [admin, coordinator, stranger] { keys[user] = try server.authorize(user) }
        self.keys = keys

        let db = shared.path
        try expectSuccess(shared.run(["queues", "add", "intake", "--title", "Referral intake", "--db", db], as: shared.admin))
        try expectSuccess(shared.run(["queues", "members", "intake", "--add", coordinator, "--add", sick, "--add", marco, "--db", db],
                                     as: shared.admin))
        for title in ["Referral for Patient/1001", "Referral for Patient/1002", "Referral for Patient/2002"] {
            try expectSuccess(shared.run(["task", "create", "--queue", "intake", "--title", title, "--db", db], as: sick))
        }
        for task in ["T-1", "T-2"] { try expectSuccess(shared.run(["task", "claim", task, "--db", db], as: sick)) }
    }

    /// The audit as an admin reads it: `handoff audit log --format json`, run locally.
    func audit() throws -> [[String: Any]] {
        let log = try expectSuccess(shared.run(["audit", "log", "--format", "json", "--db", shared.path], as: shared.admin))
        return try #require(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
    }

    func ssh(_ user: String, _ command: String? = nil) throws -> CommandResult {
        try server.run(user, key: try #require(keys[user]), command: command)
    }

    @Test func anAdminLogsInNormallyAndReassignsSomeonesWork() throws {
        // Not in the confined group: an ordinary login whose shell runs the command (which, naming the
        // binary's path and --db, the confined gate would refuse).
        let result = try ssh(admin, layout.adminCommand(["task", "reassign", "--from", sick, "--to", marco, "--reason", "off sick"]))
        #expect(result.status == 0, "\(result)\n\(server.log)")
        #expect(result.stdout.contains("Reassigned 2 tasks from \(sick) to \(marco): T-1, T-2"), "\(result)")

        let reassigned = try audit().filter { $0["action"] as? String == "reassign" }
        #expect(reassigned.map { $0["task"] as? String } == ["T-1", "T-2"])
        for record in reassigned {
            #expect(record["actor"] as? String == admin)
            #expect(record["origin"] as? String == "ssh 127.0.0.1")
            #expect((record["detail"] as? [String: String])?["reason"] == "off sick")
        }
        let owners = try expectSuccess(shared.run(["task", "list", "--owner", marco, "--format", "json", "--db", shared.path], as: marco))
        #expect(owners.stdout.contains("\"T-1\"") && owners.stdout.contains("\"T-2\""), "\(owners)")
    }

    @Test func aConfinedCoordinatorGetsTheConsoleInATerminal() throws {
        let line = server.client(coordinator, key: try #require(keys[coordinator]), terminal: true)
        let tmux = try TmuxSession(line.map(HandoffOverSSH.quoted).joined(separator: " ") + "; echo SSH-ENDED=$?; sleep 600")
        defer { try? tmux.killSession() }
        let screen = try tmux.waitFor(seconds: 30) { $0.contains("\(coordinator) (coordinator)") && $0.contains("Patient/2002") }
        #expect(screen.contains("Referral for Patient/2002"), "\(screen)")
        try tmux.type(":task T-3")
        try tmux.keys("Enter")
        try tmux.waitFor("History")
        try tmux.keys("q")
        try tmux.waitFor { !$0.contains("History") }
        try tmux.keys("q")
        let ended = try tmux.waitFor("SSH-ENDED=")
        #expect(ended.contains("SSH-ENDED=0"), "\(ended)\n\(server.log)")

        let views = try audit().filter { $0["action"] as? String == "view" && $0["task"] as? String == "T-3" }
        #expect(views.count == 1, "\(views)")
        #expect(views.first?["actor"] as? String == coordinator)
        #expect(views.first?["origin"] as? String == "ssh 127.0.0.1")
    }

    @Test func aConfinedLoginRunsAllowedCommandsWithoutAShell() throws {
        let list = try ssh(coordinator, "handoff task list --queue intake --format json")
        #expect(list.status == 0, "\(list)\n\(server.log)")
        #expect(list.stdout.contains("Referral for Patient/2002"), "\(list)")

        // The semicolon is inside quotes: part of the note, not a second command.
        let note = try ssh(coordinator, "handoff task note T-3 'called the clinic; no answer'")
        #expect(note.status == 0, "\(note)")
        let notes = try audit().filter { $0["action"] as? String == "note" }
        #expect(notes.count == 1, "\(notes)")
        #expect(notes.first?["actor"] as? String == coordinator)
        #expect(notes.first?["origin"] as? String == "ssh 127.0.0.1")
        let shown = try expectSuccess(shared.run(["task", "show", "T-3", "--db", shared.path], as: coordinator))
        #expect(shown.stdout.contains("called the clinic; no answer"), "\(shown)")
    }

    @Test func aConfinedLoginIsRefusedAShellAndEverythingNotAllowed() throws {
        let intruder = shared.users.prefix + "intruder"
        let cases: [(command: String, message: String)] = [
            ("/bin/sh -c id", "this login runs only Handoff, not '/bin/sh'; allowed: handoff with no command (the console)"),
            ("bash", "this login runs only Handoff, not 'bash'"),
            ("handoff users add \(intruder) --name Intruder --roles admin", "'handoff users add' is not allowed over this login; allowed:"),
            ("handoff demo", "'handoff demo' is not allowed over this login"),
            ("handoff task list; id", "';' outside quotes would chain, pipe or redirect commands"),
            ("handoff task list --db /tmp/other.db", "--db is not allowed over this login"),
        ]
        for (command, message) in cases {
            let result = try ssh(coordinator, command)
            #expect(result.status == 1, "\(command): \(result)")
            #expect(result.stderr.hasPrefix("handoff: "), "\(command): \(result)")
            #expect(result.stderr.contains(message), "\(command): \(result)")
            #expect(result.stdout.isEmpty, "\(command): \(result)")
        }
        let users = try expectSuccess(shared.run(["users", "list", "--format", "json", "--db", shared.path], as: shared.admin))
        #expect(users.stdout.contains(coordinator) && !users.stdout.contains(intruder), "\(users)")
    }

    @Test func anOSUserUnknownToHandoffIsRefused() throws {
        for command in [nil, "handoff task list"] as [String?] {
            let result = try ssh(stranger, command)
            #expect(result.status == 1, "\(String(describing: command)): \(result)\n\(server.log)")
            #expect(result.stderr.contains("handoff: unknown user '\(stranger)': an admin can add them with 'handoff users add \(stranger)"),
                    "\(String(describing: command)): \(result)")
            #expect(result.stdout.isEmpty, "\(String(describing: command)): \(result)")
        }
    }
}

/// How SSH logins reach Handoff in these tests: the binary and the database. Confined logins get the
/// database from sshd (`SetEnv HANDOFF_DB` in their `Match` block), the admin names it with `--db`. This is
/// the one place to change when the installed set-group-id layout (a fixed binary and database, environment
/// overrides ignored) replaces the built binary and a database in a temporary directory.
struct HandoffOverSSH {
    let binary: String
    let database: String

    /// The sshd configuration confining members of `group` to Handoff, as docs/SSH.md sets it up.
    func confinement(group: String) -> String {
        """
        Match Group \(group)
            ForceCommand \(binary) ssh-command
            SetEnv HANDOFF_DB=\(database)
            PermitTTY yes
            AllowTcpForwarding no
            X11Forwarding no
            PermitTunnel no
            AllowAgentForwarding no
            PermitUserRC no
        """
    }

    /// The command line an admin's login shell runs for `handoff ARGUMENTS` on this database.
    func adminCommand(_ arguments: [String]) -> String {
        ([binary] + arguments + ["--db", database]).map(Self.quoted).joined(separator: " ")
    }

    /// `word` in single quotes for a shell.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
