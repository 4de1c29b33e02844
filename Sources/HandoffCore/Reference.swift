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
        guard let first = type.utf8.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first),
              type.utf8.count <= 64, type.utf8.allSatisfy(Self.isAlphanumeric), Self.isValidID(id)
        else { return nil }
        self.type = String(type)
        self.id = String(id)
    }

    /// A Handoff user as a FHIR reference: `Practitioner/cora`, or `Device/handoff-sync` for a service
    /// account; `nil` when the user name is not a valid FHIR id.
    public static func user(_ name: String, isService: Bool) -> Reference? {
        isValidID(name) ? Reference(type: isService ? "Device" : "Practitioner", id: name) : nil
    }

    private init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public var description: String { "\(type)/\(id)" }

    /// Whether `id` is a FHIR logical id: 1–64 of `A-Z a-z 0-9 - .`. Checked byte by byte, ASCII only,
    /// so no Unicode property is looked up (references are read with every task).
    public static func isValidID(_ id: some StringProtocol) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
