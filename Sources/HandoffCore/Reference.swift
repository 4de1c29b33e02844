/// A FHIR-style reference to clinical data held elsewhere, e.g. `Patient/123`.
///
/// Handoff never copies the chart: tasks point at it with these.
public struct Reference: Hashable, Sendable, StringCodable {
    /// The resource type, e.g. `DiagnosticReport`.
    public let type: String
    /// The logical id, e.g. `9`.
    public let id: String

    /// Parses `Type/id`: an upper-case resource type and an id of 1–64 of `A-Z a-z 0-9 - .`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let type = parts[0], id = parts[1]
        guard let first = type.first, first.isASCII, first.isUppercase,
              type.count <= 64, type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              (1...64).contains(id.count),
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else { return nil }
        self.type = String(type)
        self.id = String(id)
    }

    public var description: String { "\(type)/\(id)" }

}
