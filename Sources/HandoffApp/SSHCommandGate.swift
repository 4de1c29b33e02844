/// What an SSH login confined to Handoff may run: the check behind `handoff ssh-command`, sshd's
/// `ForceCommand` for the `handoff-users` group (docs/SSH.md).
///
/// sshd hands the command the client asked for over in `SSH_ORIGINAL_COMMAND`. No command means the
/// console. Otherwise the line is split into words by ``ShellWords`` (no shell ever runs), its first
/// word must be `handoff` (or this binary's path), and what follows must start with one of the
/// ``allowed`` commands: the console and the work a coordinator, nurse or supervisor does in it, plus
/// read-only commands. Administration (users, queues, SLA policies, routes, the worker, dead-letter
/// replays, audit verification, backups, databases) is done from an ordinary login. Options that choose
/// another database or another person, or write a file on the server (``refusedOptions``), are refused
/// anywhere on the line: a file written there could be a login script (`~/.bashrc`) run outside the gate.
public struct SSHCommandGate: Sendable {
    /// The allowed commands as subcommand paths. Each is a leaf of the command tree (a command without
    /// subcommands of its own), so a following word is always an argument, never another subcommand.
    public static let allowed: [[String]] = [
        ["console"], ["overview"], ["dashboard"], ["trace"],
        ["task", "list"], ["task", "show"], ["task", "create"], ["task", "note"],
        ["task", "claim"], ["task", "assign"], ["task", "reassign"], ["task", "release"], ["task", "start"],
        ["task", "pend"], ["task", "resume"], ["task", "request-review"], ["task", "approve"], ["task", "return"],
        ["task", "complete"], ["task", "raise-exception"], ["task", "resolve-exception"], ["task", "cancel"],
        ["task", "reprioritise"], ["task", "reopen"], ["task", "escalate"], ["task", "move"],
        ["queues", "list"], ["users", "list"], ["audit", "log"], ["sla", "show"], ["sync", "status"],
        ["deadletter", "list"], ["deadletter", "show"],
    ]

    /// Options refused anywhere on the line (alone or as `--option=value`): `--db` names another
    /// database, `--as` another person.
    public static let refusedOptions = ["--db", "--as", "--out"]

    /// The first words accepted as naming Handoff.
    let programNames: Set<String>

    /// A gate accepting `programNames` as the first word, e.g. `handoff` and `/usr/local/bin/handoff`.
    public init(programNames: Set<String>) {
        self.programNames = programNames
    }

    /// The arguments to run `handoff` with for `originalCommand` (the value of `SSH_ORIGINAL_COMMAND`):
    /// none, meaning the console, when it is unset or blank.
    public func arguments(for originalCommand: String?) throws(SSHCommandRefusal) -> [String] {
        let words: [String]
        do {
            words = try ShellWords.split(originalCommand ?? "")
        } catch {
            throw .syntax(error)
        }
        guard let program = words.first else { return [] }
        guard programNames.contains(program) else { throw .notHandoff(program) }
        let arguments = Array(words.dropFirst())
        guard !arguments.isEmpty else { return [] }
        guard let command = Self.allowed.filter({ arguments.starts(with: $0) }).max(by: { $0.count < $1.count }) else {
            let named = arguments.prefix { !$0.hasPrefix("-") }.prefix(2)
            throw .notAllowed(named.isEmpty ? arguments[0] : named.joined(separator: " "))
        }
        for word in arguments.dropFirst(command.count) {
            if let option = Self.refusedOptions.first(where: { word == $0 || word.hasPrefix($0 + "=") }) {
                throw .option(option)
            }
        }
        return arguments
    }

    /// The allowed commands in one line, e.g. `handoff console | task list|show | …`.
    public static var summary: String {
        var groups: [(String, [String])] = []
        for path in allowed {
            let head = path[0], rest = path.dropFirst().joined(separator: " ")
            if let index = groups.firstIndex(where: { $0.0 == head }) {
                groups[index].1.append(rest)
            } else {
                groups.append((head, rest.isEmpty ? [] : [rest]))
            }
        }
        return "handoff with no command (the console), or handoff "
            + groups.map { $0.1.isEmpty ? $0.0 : $0.0 + " " + $0.1.joined(separator: "|") }.joined(separator: ", ")
    }
}

/// Why ``SSHCommandGate`` refused a command.
public enum SSHCommandRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line cannot be split into words without a shell.
    case syntax(ShellWordsError)
    /// The first word is not Handoff (e.g. a shell).
    case notHandoff(String)
    /// A Handoff command that is not allowed; the command's first words.
    case notAllowed(String)
    /// An option that is refused anywhere.
    case option(String)

    public var description: String {
        switch self {
        case let .syntax(error):
            "\(error); nothing was run"
        case let .notHandoff(program):
            "this login runs only Handoff, not '\(program)'; allowed: \(SSHCommandGate.summary)"
        case let .notAllowed(command):
            "'handoff \(command)' is not allowed over this login; allowed: \(SSHCommandGate.summary)"
        case let .option(option):
            option == "--out"
                ? "--out is not allowed over this login: it would write a file on the server; print to your terminal instead"
                : "\(option) is not allowed over this login: you act as yourself, on the database this login is set up for"
        }
    }
}
