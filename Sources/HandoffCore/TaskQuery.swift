/// Parses the console's filter text, e.g. `state:pending owner:me priority:stat patient:nunez cardio`.
public enum TaskQuery {
    /// Applies the terms of `text` to `base`; unknown `key:value` terms are reported, not ignored.
    public static func parse(_ text: String, me: String, base: TaskFilter = TaskFilter()) -> Result<TaskFilter, QueryError> {
        var filter = base
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            guard let colon = token.firstIndex(of: ":"), colon != token.startIndex else {
                filter.search.append(contentsOf: words(token, in: .any))
                continue
            }
            let key = token[..<colon].lowercased()
            let value = String(token[token.index(after: colon)...])
            if value.isEmpty { continue }
            switch key {
            case "state", "is":
                guard let state = TaskState(rawValue: value.lowercased()) else { return .failure(.unknownValue(key: key, value: value)) }
                filter.states = (filter.states ?? []).union([state])
            case "owner":
                switch value.lowercased() {
                case "me": filter.owner = me
                case "none", "nobody": filter.unownedOnly = true
                default: filter.owner = value
                }
            case "priority", "pri":
                guard let priority = Priority(rawValue: value.lowercased()) else { return .failure(.unknownValue(key: key, value: value)) }
                filter.priority = priority
            case "patient":
                filter.search.append(contentsOf: words(value, in: .patient))
            case "title":
                filter.search.append(contentsOf: words(value, in: .title))
            case "ref", "id":
                filter.search.append(contentsOf: words(value, in: .reference))
            case "queue":
                filter.queue = value
            default:
                return .failure(.unknownKey(key))
            }
        }
        return .success(filter)
    }

    /// Splits `text` into searchable words: letters and digits only, at least two characters
    /// (a one-letter prefix matches nearly everything and only slows typing down).
    static func words(_ text: String, in field: SearchTerm.Field) -> [SearchTerm] {
        text.split { !($0.isLetter || $0.isNumber) }.filter { $0.count >= 2 }.map { SearchTerm(String($0), in: field) }
    }
}

/// A filter term the console does not understand.
public enum QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownKey(String)
    case unknownValue(key: String, value: String)

    public var description: String {
        switch self {
        case let .unknownKey(key):
            "unknown filter '\(key):' — use state:, owner:, priority:, patient:, title:, ref: or queue:"
        case let .unknownValue(key, value):
            "'\(value)' is not a valid \(key) — \(key == "priority" || key == "pri" ? "routine, urgent, asap or stat" : TaskState.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
