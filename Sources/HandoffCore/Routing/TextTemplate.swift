/// Text with placeholders taken from an event's payload: `Review {test.display}`, `{reason|none given}`.
///
/// A placeholder names a dotted path in `data`, or `missing` (the fields a `missing-any` condition found
/// absent); after `|` comes the text used when the value is absent.
public struct TextTemplate: Hashable, Sendable, CustomStringConvertible {
    enum Part: Hashable, Sendable {
        case literal(String)
        case field(path: String, fallback: String?)
    }

    let parts: [Part]
    public let description: String

    /// Parses `text`; `nil` with the problem when a brace is unbalanced or a placeholder is empty.
    public static func parse(_ text: String) -> Result<TextTemplate, TemplateProblem> {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{" else { return .failure(TemplateProblem("'}' without '{' in \"\(text)\"")) }
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                return .failure(TemplateProblem("'{' without '}' in \"\(text)\""))
            }
            let inner = rest[rest.index(after: open)..<close]
            let pieces = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let path = pieces[0].trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty, path.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else {
                return .failure(TemplateProblem("'{\(inner)}' is not a placeholder; write {field} or {field|fallback}"))
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.field(path: path, fallback: pieces.count > 1 ? String(pieces[1]) : nil))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return .success(TextTemplate(parts: parts, description: text))
    }

    /// The paths the placeholders name.
    public var paths: [String] {
        parts.compactMap { if case let .field(path, _) = $0 { path } else { nil } }
    }

    /// The text with each placeholder replaced by its value from `data`, or from `extra` (`missing`).
    public func render(_ data: JSONValue?, extra: [String: String] = [:]) -> String {
        parts.map { part in
            switch part {
            case let .literal(text): return text
            case let .field(path, fallback):
                let value = extra[path] ?? data?.value(at: path)?.text ?? ""
                return value.isEmpty ? (fallback ?? "") : value
            }
        }.joined()
    }
}

/// Why a template could not be parsed.
public struct TemplateProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
