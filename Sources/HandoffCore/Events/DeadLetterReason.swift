/// Why an event could not be applied: the stable reason codes of the integration contract.
public enum DeadLetterReason: String, CaseIterable, Codable, Sendable {
    case invalidJSON = "invalid_json"
    case missingRequiredAttribute = "missing_required_attribute"
    case invalidAttribute = "invalid_attribute"
    case unsupportedSpecversion = "unsupported_specversion"
    case unknownType = "unknown_type"
    case unsupportedSchemaVersion = "unsupported_schema_version"
    case dataInvalid = "data_invalid"
    case idConflict = "id_conflict"
    case payloadTooLarge = "payload_too_large"
    case noMatchingTask = "no_matching_task"
    case handlerError = "handler_error"
}

/// An event refused with a reason code and a detail that says what was wrong.
public struct EventRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: DeadLetterReason
    public var detail: String

    public init(_ reason: DeadLetterReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
