import Foundation
import HandoffTestSupport
import Testing

/// Handoff over a real OpenSSH server (docs/SSH.md): an admin logs in normally and reassigns work; a coordinator
/// in the confined group gets the console or allowed commands only; an OS user unknown to Handoff is refused.
/// The audit names each person with the client's address. Handoff is installed set-group-id (`handoff
/// install`), so over SSH, as everywhere, people reach the database only through the installed binary.
@Suite(.serialized, .enabled(if: (SSHServer.available && TmuxSession.available) || OSUsers.requiredByCI,
                             "needs root, OpenSSH (openssh-server, openssh-client) and tmux"))
struct SSHTests {
    let installed: InstalledHandoff
    let server: SSHServer
    let layout: HandoffOverSSH
    let admin: String, coordinator: String, sick: String, marco: String, stranger: String
    /// Each SSH user's private key.
    let keys: [String: String]

    init() throws {
        guard SSHServer.available, TmuxSession.available else {
            throw UnexpectedResult(description: "CI=true: this suite needs root, /usr/sbin/sshd, ssh, ssh-keygen and tmux (.ci/run installs them)")
        }
        installed = try InstalledHandoff()
        let confined = try installed.users.addGroup("hu")
        layout = HandoffOverSSH(binary: installed.binary)
        server = try SSHServer(allowGroups: [installed.users.group], configuration: layout.confinement(group: confined))
        admin = try installed.addUser("sshadm", roles: "admin", homeUnder: server.homes)
        coordinator = try installed.addUser("coord", roles: "coordinator", homeUnder: server.homes, groups: [confined])
        stranger = try installed.users.add("stranger", homeUnder: server.homes, groups: [confined])
        sick = try installed.addUser("sick", roles: "coordinator")
        marco = try installed.addUser("marco", roles: "coordinator")
        var keys: [String: String] = [:]
        for user in [admin, coordinator, stranger] { keys[user] = try server.authorize(user) }
        self.keys = keys

        try expectSuccess(installed.run(["queues", "add", "intake", "--title", "Referral intake"], as: installed.admin))
        try expectSuccess(installed.run(["queues", "members", "intake", "--add", coordinator, "--add", sick, "--add", marco],
                                        as: installed.admin))
        for title in ["Referral for Patient/1001", "Referral for Patient/1002", "Referral for Patient/2002"] {
            try expectSuccess(installed.run(["task", "create", "--queue", "intake", "--title", title], as: sick))
        }
        for task in ["T-1", "T-2"] { try expectSuccess(installed.run(["task", "claim", task], as: sick)) }
    }

    /// The audit as an admin reads it: `handoff audit log --format json`, run locally.
    func audit() throws -> [[String: Any]] {
        let log = try expectSuccess(installed.run(["audit", "log", "--format", "json"], as: installed.admin))
        return try #require(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
    }

    func ssh(_ user: String, _ command: String? = nil) throws -> CommandResult {
        try server.run(user, key: try #require(keys[user]), command: command)
    }

    @Test func anAdminLogsInNormallyAndReassignsSomeonesWork() throws {
        // Not in the confined group: an ordinary login whose shell runs the installed binary.
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
        let owners = try expectSuccess(installed.run(["task", "list", "--owner", marco, "--format", "json"], as: marco))
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
        let shown = try expectSuccess(installed.run(["task", "show", "T-3"], as: coordinator))
        #expect(shown.stdout.contains("called the clinic; no answer"), "\(shown)")
    }

    @Test func aConfinedLoginIsRefusedAShellAndEverythingNotAllowed() throws {
        let intruder = installed.users.prefix + "intruder"
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
        let users = try expectSuccess(installed.run(["users", "list", "--format", "json"], as: installed.admin))
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

/// How SSH logins reach Handoff: the installed binary, which takes its database from its own configuration.
struct HandoffOverSSH {
    let binary: String

    /// The sshd configuration confining members of `group` to Handoff, as docs/SSH.md sets it up.
    func confinement(group: String) -> String {
        """
        Match Group \(group)
            ForceCommand \(binary) ssh-command
            PermitTTY yes
            AllowTcpForwarding no
            X11Forwarding no
            PermitTunnel no
            AllowAgentForwarding no
            PermitUserRC no
        """
    }

    /// The command line an admin's login shell runs for `handoff ARGUMENTS`.
    func adminCommand(_ arguments: [String]) -> String {
        ([binary] + arguments).map(Self.quoted).joined(separator: " ")
    }

    /// `word` in single quotes for a shell.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
