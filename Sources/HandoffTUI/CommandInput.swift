import HandoffCore

/// The console's `:` command line.
enum CommandInput: Equatable {
    case quit
    case help
    case dashboard
    case audit
    case queue(String)
    case task(TaskID)
    case assign(String)
    case theme(String)
    case unknown(String)

    static let names = ["queue", "task", "assign", "theme", "dash", "audit", "help", "quit"]

    /// Parses `queue NAME`, `task T-12`, `assign USER`, `theme NAME`, `dash`, `audit`, `help`, `quit` (or `q`).
    static func parse(_ text: String) -> CommandInput {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first else { return .unknown("type a command: " + names.joined(separator: ", ")) }
        let argument = words.dropFirst().joined(separator: " ")
        switch (name, argument.isEmpty) {
        case ("q", true), ("quit", true): return .quit
        case ("help", true): return .help
        case ("dash", true), ("dashboard", true): return .dashboard
        case ("audit", true): return .audit
        case ("queue", false): return .queue(argument)
        case ("task", false):
            guard let id = TaskID(argument) else { return .unknown("'\(argument)' is not a task id like T-12") }
            return .task(id)
        case ("assign", false): return .assign(argument)
        case ("theme", false): return .theme(argument)
        case ("queue", true), ("task", true), ("assign", true), ("theme", true):
            return .unknown(":\(name) needs an argument")
        default:
            return .unknown("unknown command ':\(name)' — commands: " + names.joined(separator: ", "))
        }
    }

    /// Completes the command name, or a queue name after `queue `.
    static func complete(_ text: String, queues: [String]) -> String {
        if text.hasPrefix("queue ") {
            let prefix = String(text.dropFirst(6))
            let matches = queues.filter { $0.hasPrefix(prefix) }
            return matches.count == 1 ? "queue " + matches[0] : text
        }
        let matches = names.filter { $0.hasPrefix(text) }
        return matches.count == 1 ? matches[0] + " " : text
    }
}
