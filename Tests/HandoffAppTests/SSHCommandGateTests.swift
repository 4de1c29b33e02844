import HandoffApp
import Testing

/// What a login confined by `ForceCommand handoff ssh-command` may run.
struct SSHCommandGateTests {
    let gate = SSHCommandGate(programNames: ["handoff", "/usr/local/bin/handoff"])

    @Test(arguments: [nil, "", "  ", "handoff", "/usr/local/bin/handoff"] as [String?])
    func noCommandOpensTheConsole(original: String?) throws {
        #expect(try gate.arguments(for: original) == [])
    }

    @Test(arguments: [
        ("handoff console --readonly", ["console", "--readonly"]),
        ("handoff task list --queue lab --format json", ["task", "list", "--queue", "lab", "--format", "json"]),
        (#"handoff task reassign --from cora --to marco --reason "off sick""#,
         ["task", "reassign", "--from", "cora", "--to", "marco", "--reason", "off sick"]),
        ("/usr/local/bin/handoff task note T-3 'called the clinic; no answer'",
         ["task", "note", "T-3", "called the clinic; no answer"]),
        ("handoff task show T-3 --break-glass 'patient collapsed'", ["task", "show", "T-3", "--break-glass", "patient collapsed"]),
        ("handoff audit log --task T-3", ["audit", "log", "--task", "T-3"]),
        ("handoff task list --help", ["task", "list", "--help"]),
        ("handoff dashboard", ["dashboard"]),
        ("handoff task note T-3 database", ["task", "note", "T-3", "database"]),
    ] as [(String, [String])])
    func allowedCommandsRunAsGiven(original: String, arguments: [String]) throws {
        #expect(try gate.arguments(for: original) == arguments)
    }

    @Test(arguments: [
        ("/bin/sh -c id", SSHCommandRefusal.notHandoff("/bin/sh")),
        ("sh -c 'handoff task list'", .notHandoff("sh")),
        ("bash", .notHandoff("bash")),
        ("/bin/bash -i", .notHandoff("/bin/bash")),
        ("scp -t /tmp", .notHandoff("scp")),
        ("/tmp/handoff task list", .notHandoff("/tmp/handoff")),
        ("handoff-evil task list", .notHandoff("handoff-evil")),
        ("handoff users add x --name X --roles admin", .notAllowed("users add")),
        ("handoff users set-roles cora --roles admin", .notAllowed("users set-roles")),
        ("handoff queues members lab --add cora", .notAllowed("queues members")),
        ("handoff demo", .notAllowed("demo")),
        ("handoff init", .notAllowed("init")),
        ("handoff seed --db x", .notAllowed("seed")),
        ("handoff backup /tmp/copy.db", .notAllowed("backup /tmp/copy.db")),
        ("handoff bench generate", .notAllowed("bench generate")),
        ("handoff ssh-command", .notAllowed("ssh-command")),
        ("handoff install --prefix /usr/local", .notAllowed("install")),
        ("handoff sync", .notAllowed("sync")),
        ("handoff sync run", .notAllowed("sync run")),
        ("handoff sla", .notAllowed("sla")),
        ("handoff sla set policies.yaml", .notAllowed("sla set")),
        ("handoff audit", .notAllowed("audit")),
        ("handoff audit checkpoint /tmp/c", .notAllowed("audit checkpoint")),
        ("handoff audit verify", .notAllowed("audit verify")),
        ("handoff routes test events.json", .notAllowed("routes test")),
        ("handoff deadletter replay 1", .notAllowed("deadletter replay")),
        ("handoff task", .notAllowed("task")),
        ("handoff help task", .notAllowed("help task")),
        ("handoff --help", .notAllowed("--help")),
        ("handoff --db /tmp/other.db task list", .notAllowed("--db")),
        ("handoff task list --db /tmp/other.db", .option("--db")),
        ("handoff task list --db=/tmp/other.db", .option("--db")),
        ("handoff console --as cora", .option("--as")),
        ("handoff task claim T-1 --as=cora", .option("--as")),
        ("handoff audit log --out .bashrc", .option("--out")),
        ("handoff audit log --format json --out=/home/sam/.profile", .option("--out")),
        ("handoff task list; id", .syntax(.unquoted(";"))),
        ("handoff task list | sh", .syntax(.unquoted("|"))),
        ("handoff task note T-1 \"$(id)\"", .syntax(.expansionInDoubleQuotes("$"))),
    ] as [(String, SSHCommandRefusal)])
    func everythingElseIsRefused(original: String, refusal: SSHCommandRefusal) {
        #expect(throws: refusal) { try gate.arguments(for: original) }
    }

    @Test func everyAllowedCommandIsDistinctAndNoneIsAnAdministrationCommand() {
        #expect(Set(SSHCommandGate.allowed).count == SSHCommandGate.allowed.count)
        let administration: [[String]] = [
            ["init"], ["seed"], ["demo"], ["backup"], ["bench"], ["ssh-command"], ["install"], ["routes"],
            ["users", "add"], ["users", "set-roles"], ["users", "disable"], ["users", "enable"],
            ["queues", "add"], ["queues", "members"], ["sla", "set"], ["sync", "run"], ["sync", "replay"],
            ["audit", "verify"], ["audit", "checkpoint"], ["deadletter", "replay"], ["deadletter", "discard"],
        ]
        for path in SSHCommandGate.allowed {
            #expect(!administration.contains { path.starts(with: $0) }, "\(path)")
        }
    }

    @Test func refusalsSayWhatIsAllowed() {
        let message = SSHCommandRefusal.notAllowed("users add").description
        #expect(message.hasPrefix("'handoff users add' is not allowed over this login; allowed: handoff with no command (the console), or handoff console, overview"))
        #expect(message.contains("task list|show|create|note|claim|"))
        #expect(message.contains("audit log, sla show, sync status, deadletter list|show"))
        #expect(SSHCommandRefusal.notHandoff("/bin/sh").description.hasPrefix("this login runs only Handoff, not '/bin/sh'; allowed: handoff with no command"))
        #expect(SSHCommandRefusal.option("--db").description.hasPrefix("--db is not allowed over this login"))
        #expect(SSHCommandRefusal.option("--out").description.contains("it would write a file on the server"))
        #expect(SSHCommandRefusal.syntax(.unquoted(";")).description.hasSuffix("; nothing was run"))
    }
}
