import Foundation
import HandoffCore

/// A short form on the bottom line: one field at a time, Enter to go on, Esc to give up.
struct Form {
    /// One question.
    struct Field {
        enum Kind {
            /// Free text; `required` refuses an empty answer.
            case text(required: Bool)
            /// One key picks one choice.
            case choice([(key: Character, value: String, label: String)])
            /// `y` confirms, anything else gives up.
            case confirm
        }
        var label: String
        var kind: Kind
        /// Offered completions for text fields (Tab completes the typed prefix).
        var completions: [String] = []
    }

    var title: String
    var fields: [Field]
    var answers: [String] = []
    var text = ""
    /// Builds the action from the answers, or explains what is wrong.
    var submit: ([String]) -> Result<ConsoleCommand, FormError>

    var current: Field? { answers.count < fields.count ? fields[answers.count] : nil }

    /// The prompt line as shown.
    var prompt: String {
        guard let field = current else { return title }
        switch field.kind {
        case .text: return "\(title) — \(field.label): \(text)"
        case let .choice(choices):
            return "\(title) — \(field.label): " + choices.map { "[\($0.key)] \($0.label)" }.joined(separator: "  ")
        case .confirm: return "\(title) — \(field.label) (y/n)"
        }
    }

    /// Feeds a key; returns the finished command, `nil` to keep going, or an error to show.
    mutating func handle(_ key: Key) -> FormStep {
        guard let field = current else { return .cancelled }
        if key == .escape { return .cancelled }
        switch field.kind {
        case let .text(required):
            switch key {
            case let .character(character): text.append(character)
            case .backspace: if !text.isEmpty { text.removeLast() }
            case .tab:
                let matches = field.completions.filter { $0.lowercased().hasPrefix(text.lowercased()) }
                if let first = matches.first { text = matches.count == 1 ? first : commonPrefix(matches) ?? first }
            case .enter:
                let value = text.trimmingCharacters(in: .whitespaces)
                if required && value.isEmpty { return .invalid("\(field.label) is required") }
                answers.append(value)
                text = ""
            default: break
            }
        case let .choice(choices):
            guard case let .character(character) = key, let choice = choices.first(where: { $0.key == character }) else {
                return .invalid("press " + choices.map { String($0.key) }.joined(separator: ", ") + " or Esc")
            }
            answers.append(choice.value)
        case .confirm:
            guard key == .character("y") || key == .character("Y") else { return .cancelled }
            answers.append("yes")
        }
        guard current == nil else { return .more }
        switch submit(answers) {
        case let .success(command): return .done(command)
        case let .failure(error): return .invalid(error.message)
        }
    }

    private func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// What a form step led to.
enum FormStep {
    case more
    case done(ConsoleCommand)
    case invalid(String)
    case cancelled
}

/// Why a form's answers cannot be used.
struct FormError: Error {
    let message: String
}

/// What the console asks the data layer to do once a form is complete.
enum ConsoleCommand {
    case action(TaskAction, [TaskID])
    case assign(to: String, reason: String?, [TaskID])
    case replayDeadLetter(Int64)
    case discardDeadLetter(Int64, reason: String)
    case breakGlass(TaskID, reason: String)
}
