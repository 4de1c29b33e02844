import Foundation

/// A canonical event from the integration layer: CloudEvents 1.0, JSON structured mode.
public struct CloudEvent: Hashable, Sendable {
    public var id: String
    /// The producing system or channel; (`source`, `id`) is the idempotency key.
    public var source: String
    /// A dotted name such as `lab.result.signed`.
    public var type: String
    /// When the fact happened upstream.
    public var time: Date?
    /// The patient reference: an opaque reference, never a name.
    public var subject: String?
    public var dataContentType: String?
    /// e.g. `urn:handoff:event:lab.result.signed:v1`.
    public var dataSchema: String?
    public var data: JSONValue?
    /// W3C trace context, carried into tasks and audit records.
    public var traceparent: String?
    /// The business correlation key, e.g. a referral reference.
    public var correlationID: String?
    /// An opaque patient token: events with the same key apply in order.
    public var partitionKey: String?
    /// Extension attributes Handoff does not know, kept as received.
    public var extensions: [String: JSONValue]

    /// The major version of the payload schema named by `dataschema` (1 when absent).
    public var schemaVersion: Int? {
        guard let schema = dataSchema else { return 1 }
        guard let last = schema.split(separator: ":").last, last.hasPrefix("v") else { return nil }
        return Int(last.dropFirst())
    }
}

extension CloudEvent {
    /// The trace id of `traceparent` (its 32 hex digits), if it is well formed.
    public var traceID: String? { traceparent.flatMap(Self.traceID(of:)) }

    /// The trace id of a W3C `traceparent` value, if it is well formed.
    public static func traceID(of traceparent: String) -> String? {
        let parts = traceparent.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return String(parts[1])
    }
}
