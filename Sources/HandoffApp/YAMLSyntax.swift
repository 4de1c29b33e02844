import HandoffCore
import Yams

/// Turns Yams' parse errors into a line number and a message a person can act on, and quotes values
/// from configuration files safely for those messages.
enum YAMLSyntax {
    /// A value from a file, quoted for a message: control characters escaped and long text cut, so a
    /// message never replays a file's bytes to the terminal.
    static func quoted(_ node: Node) -> String {
        let safe = DisplayText.sanitize(node.scalar?.string ?? "…")
        return "'" + (safe.count > 40 ? safe.prefix(39) + "…" : safe) + "'"
    }

    /// `file:line: problem`, or `file: problem` when the line is not known.
    static func message(file: String, line: Int?, problem: String) -> String {
        line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)"
    }

    /// The line (from 1, when known) and problem of a YAML syntax error.
    static func problem(in error: any Error) -> (line: Int?, text: String) {
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text))" } ?? ""
            return (mark.line, "not valid YAML: \(problem)\(during)")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the key's first use; point at the line that repeats it, the one to remove.
            let key = duplicates.first ?? ""
            let lines = context.text.split(separator: "\n", omittingEmptySubsequences: false)
            let repeated = lines.indices.dropFirst(context.mark.line).first { lines[$0].contains(key + ":") }
            return (repeated.map { $0 + 1 } ?? context.mark.line,
                    "'\(DisplayText.sanitize(key))' is given again (first on line \(context.mark.line)): keep one")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return (line, "not valid YAML: \(problem)")
        default:
            return (nil, "not valid YAML")
        }
    }
}
