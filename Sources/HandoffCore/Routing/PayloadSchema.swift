/// One version of an event type's `data` payload: the fields it must or may carry, and their types.
public struct PayloadSchema: Hashable, Sendable {
    /// One field, by its dotted path (`test.code`).
    public struct Field: Hashable, Sendable {
        public var path: String
        public var type: FieldType
        public var isOptional: Bool

        public init(path: String, type: FieldType, isOptional: Bool = false) {
            self.path = path
            self.type = type
            self.isOptional = isOptional
        }
    }

    /// The event type, e.g. `lab.result.signed`.
    public var eventType: String
    /// The major version, as in `urn:handoff:event:lab.result.signed:v1`.
    public var version: Int
    public var fields: [Field]

    public init(eventType: String, version: Int, fields: [Field]) {
        self.eventType = eventType
        self.version = version
        self.fields = fields
    }

    /// Whether `path` names a field of this schema (or lies inside one).
    public func declares(_ path: String) -> Bool {
        fields.contains { path == $0.path || path.hasPrefix($0.path + ".") }
    }

    /// Checks `data` against the schema; the rejection names the first field that is missing or mistyped.
    public func validate(_ data: JSONValue?) -> EventRejection? {
        guard let data, case .object = data else {
            return EventRejection(.dataInvalid, "\(eventType) v\(version): 'data' must be a JSON object")
        }
        for field in fields {
            guard let value = data.value(at: field.path), value != .null else {
                if field.isOptional { continue }
                return EventRejection(.dataInvalid, "\(eventType) v\(version): data.\(field.path) is required")
            }
            guard field.type.accepts(value) else {
                return EventRejection(.dataInvalid, "\(eventType) v\(version): data.\(field.path) must be \(field.type)")
            }
        }
        return nil
    }
}
