import Foundation
import HandoffApp
import HandoffTestSupport
import Testing

/// `handoff ssh-command` run directly with the variables sshd would set: what it runs, and that the gate's
/// allow-list matches the real command tree. (SSHTests runs it behind a real sshd.)
@Suite(.serialized)
struct SSHCommandTests {
    let directory = TemporaryDirectory("handoff-ssh-command")
    var db: String { directory.file("handoff.db") }

    init() throws {
        try expectSuccess(CommandRun.handoff(["init", "--db", db]))
        try expectSuccess(CommandRun.handoff(["queues", "add", "intake", "--title", "Referral intake", "--db", db]))
    }

    /// `handoff ssh-command` as sshd's forced command would run it, with the client's command `original`.
    func forced(_ original: String?) throws -> CommandResult {
        var environment = ["HANDOFF_DB": db, "SSH_CONNECTION": "192.0.2.7 50022 192.0.2.1 22"]
        environment["SSH_ORIGINAL_COMMAND"] = original
        return try CommandRun.handoff(["ssh-command"], environment: environment)
    }

    @Test func everyAllowedCommandIsALeafOfTheCommandTree() throws {
        // A leaf has no subcommands, so no word after it can pick a command the gate did not allow.
        for path in SSHCommandGate.allowed {
            let help = try expectSuccess(CommandRun.handoff(path + ["--help"]))
            #expect(help.stdout.contains("USAGE: handoff \(path.joined(separator: " "))"), "\(help)")
            #expect(!help.stdout.contains("SUBCOMMANDS:"), "\(help)")
        }
    }

    @Test func anAllowedCommandRunsAsThisBinaryWithTheSameEnvironment() throws {
        let created = try forced("handoff task create --queue intake --title 'Referral; urgent'")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("Created T-1 in intake"), "\(created)")
        let log = try expectSuccess(CommandRun.handoff(["audit", "log", "--task", "T-1", "--format", "json", "--db", db]))
        let records = try #require(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(records.map { $0["action"] as? String } == ["create"])
        #expect(records.first?["origin"] as? String == "ssh 192.0.2.7")
        let shown = try expectSuccess(CommandRun.handoff(["task", "show", "T-1", "--format", "json", "--db", db]))
        let detail = try #require(JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect((detail["task"] as? [String: Any])?["title"] as? String == "Referral; urgent", "\(shown)")
    }

    @Test(arguments: [nil, "", "handoff"] as [String?])
    func noCommandOpensTheConsole(original: String?) throws {
        let result = try forced(original)
        #expect(result.status == 1)
        #expect(result.stderr == "handoff: the console needs a terminal; use the command-line subcommands instead (handoff task list, handoff --help)\n")
    }

    @Test(arguments: [
        ("id", "handoff: this login runs only Handoff, not 'id'; allowed: handoff with no command (the console), or handoff console"),
        ("handoff init --db /tmp/elsewhere.db", "handoff: 'handoff init' is not allowed over this login; allowed: "),
        ("handoff task list --db=/tmp/elsewhere.db", "handoff: --db is not allowed over this login"),
        ("handoff task list > /tmp/out", "handoff: '>' outside quotes would chain, pipe or redirect commands in a shell"),
    ])
    func refusalsAreOneLineAndExitOne(original: String, message: String) throws {
        let result = try forced(original)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix(message), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }
}
