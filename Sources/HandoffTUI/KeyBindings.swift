import HandoffCore

/// The keys of the console's commands; every one can be remapped in the key-bindings file.
public struct KeyBindings: Sendable {
    /// The console's commands that have keys.
    public enum Command: String, CaseIterable, Sendable {
        case claim, start, note, pend, resume
        case requestReview = "request-review", approve, `return`, complete
        case raiseException = "raise-exception", resolveException = "resolve-exception"
        case cancel, reassign, reprioritise, release, escalate, reopen
        case next, mark, filter, command, help, pause, refresh, quit, sort
        case myWork = "my-work", queues, exceptions, deadLetters = "dead-letters", dashboard, audit

        /// The task action this command performs, if it is one.
        var action: ActionKind? {
            switch self {
            case .claim: .claim
            case .start: .start
            case .note: .note
            case .pend: .pend
            case .resume: .resume
            case .requestReview: .requestReview
            case .approve: .approve
            case .return: .return
            case .complete: .complete
            case .raiseException: .raiseException
            case .resolveException: .resolveException
            case .cancel: .cancel
            case .reassign: .assign
            case .reprioritise: .reprioritise
            case .release: .release
            case .escalate: .escalate
            case .reopen: .reopen
            default: nil
            }
        }
    }

    /// The key of each command.
    public private(set) var keys: [Command: Character]

    /// The documented defaults.
    public static let defaults = KeyBindings(keys: [
        .claim: "c", .start: "s", .note: "e", .pend: "p", .resume: "u", .requestReview: "v", .approve: "a",
        .return: "b", .complete: "d", .raiseException: "x", .resolveException: "X", .cancel: "Z", .reassign: "r",
        .reprioritise: "P", .release: "L", .escalate: "E", .reopen: "O", .next: "n", .mark: " ", .filter: "/",
        .command: ":", .help: "?", .pause: "z", .sort: "o", .refresh: "R", .quit: "q", .myWork: "1", .queues: "2", .exceptions: "3",
        .deadLetters: "4", .dashboard: "5", .audit: "6",
    ])

    /// The defaults with `overrides` applied; refuses unknown commands and keys bound twice.
    public static func with(_ overrides: [String: String]) -> Result<KeyBindings, KeyBindingError> {
        var keys = defaults.keys
        for (name, value) in overrides {
            guard let command = Command(rawValue: name) else { return .failure(.unknownCommand(name)) }
            guard value.count == 1, let key = value.first, key.isASCII, !key.isNewline else {
                return .failure(.badKey(command: name, key: value))
            }
            keys[command] = key
        }
        var seen: [Character: Command] = [:]
        for command in Command.allCases {
            guard let key = keys[command] else { continue }
            if let other = seen[key] { return .failure(.duplicate(key: key, first: other.rawValue, second: command.rawValue)) }
            seen[key] = command
        }
        return .success(KeyBindings(keys: keys))
    }

    /// The command bound to `character`, if any.
    func command(for character: Character) -> Command? {
        keys.first { $0.value == character }?.key
    }

    /// The key of `command`, as shown in hints (`Space` for a space).
    func label(_ command: Command) -> String {
        guard let key = keys[command] else { return "" }
        return key == " " ? "Space" : String(key)
    }
}

/// A key-bindings file that cannot be used.
public enum KeyBindingError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownCommand(String)
    case badKey(command: String, key: String)
    case duplicate(key: Character, first: String, second: String)

    public var description: String {
        switch self {
        case let .unknownCommand(name):
            "unknown command '\(name)'; commands: " + KeyBindings.Command.allCases.map(\.rawValue).joined(separator: ", ")
        case let .badKey(command, key):
            "'\(key)' for \(command) is not a single printable ASCII key"
        case let .duplicate(key, first, second):
            "'\(key)' is bound to both \(first) and \(second)"
        }
    }
}
