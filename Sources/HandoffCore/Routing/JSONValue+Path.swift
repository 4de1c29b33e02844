extension JSONValue {
    /// The value at a dotted path such as `test.display`; through an array, the values of each element.
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            switch current {
            case let .object(members)?: current = members[String(key)]
            case let .array(elements)?: current = .array(elements.compactMap { $0[String(key)] })
            default: return nil
            }
        }
        return current
    }

    /// The value as text for a template: strings as they are, lists joined with `, `.
    public var text: String {
        switch self {
        case .null: ""
        case let .bool(value): value ? "true" : "false"
        case let .number(value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case let .string(value): value
        case let .array(values): values.map(\.text).filter { !$0.isEmpty }.joined(separator: ", ")
        case let .object(members): members.keys.sorted().map { "\($0): \(members[$0]!.text)" }.joined(separator: "; ")
        }
    }
}
