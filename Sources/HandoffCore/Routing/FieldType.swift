/// The type a payload field must have, as a routes file names it.
public enum FieldType: Hashable, Sendable, CustomStringConvertible {
    case string
    case bool
    case number
    case array
    case object
    /// Any JSON value but null.
    case any
    /// A `Type/id` reference, of the given resource type when one is named.
    case reference(String?)
    /// One of a fixed set of strings.
    case oneOf([String])

    /// Parses a type as written in a routes file: `string`, `bool`, `number`, `array`, `object`, `any`,
    /// `reference`, `reference(Patient)`, `one-of(approved, denied)`.
    public init?(_ text: String) {
        switch text {
        case "string": self = .string
        case "bool": self = .bool
        case "number": self = .number
        case "array": self = .array
        case "object": self = .object
        case "any": self = .any
        case "reference": self = .reference(nil)
        default:
            guard text.hasSuffix(")"), let open = text.firstIndex(of: "(") else { return nil }
            let name = text[..<open]
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let items = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            switch name {
            case "reference" where items.count == 1: self = .reference(items[0])
            case "one-of" where !items.isEmpty: self = .oneOf(items)
            default: return nil
            }
        }
    }

    /// Whether `value` (not null) has this type.
    public func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.bool, .bool), (.number, .number), (.array, .array), (.object, .object): true
        case (.any, _): value != .null
        case let (.reference(type), .string(text)):
            Reference(text).map { type == nil || $0.type == type } ?? false
        case let (.oneOf(options), .string(text)): options.contains(text)
        default: false
        }
    }

    public var description: String {
        switch self {
        case .string: "string"
        case .bool: "bool"
        case .number: "number"
        case .array: "array"
        case .object: "object"
        case .any: "any"
        case let .reference(type): type.map { "reference(\($0))" } ?? "reference"
        case let .oneOf(options): "one-of(\(options.joined(separator: ", ")))"
        }
    }
}
