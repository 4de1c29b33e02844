/// A condition a route places on an event's payload.
public enum RouteCondition: Hashable, Sendable {
    /// The field at the path equals the value (`decision: denied`, `critical: true`).
    case equals(path: String, value: JSONValue)
    /// At least one of the fields is absent or null; the absent ones become `{missing}`.
    case missingAny([String])

    /// Whether `data` satisfies the condition; for `missingAny`, the fields found missing.
    func evaluate(_ data: JSONValue?) -> (matches: Bool, missing: [String]) {
        switch self {
        case let .equals(path, value):
            return (data?.value(at: path) == value, [])
        case let .missingAny(paths):
            let missing = paths.filter { data?.value(at: $0) == nil || data?.value(at: $0) == .null }
            return (!missing.isEmpty, missing)
        }
    }
}
