import Foundation

/// What can still be read of an event that failed validation — its source, id, type and trace, where
/// present as strings — so its dead letter can be found by id or trace and told apart from others.
public struct EventIdentity: Hashable, Sendable {
    public var source: String?
    public var id: String?
    public var type: String?
    public var traceID: String?

    /// Reads the identity from raw bytes that are a JSON object (nested no deeper than the decoder allows).
    public init?(raw: Data) {
        guard raw.count <= EventDecoder.maximumSize,
              let depth = EventDecoder.nestingDepth(raw), depth <= EventDecoder.maximumDepth,
              case let .object(members)? = try? JSONDecoder().decode(JSONValue.self, from: raw) else { return nil }
        source = members["source"]?.string
        id = members["id"]?.string
        type = members["type"]?.string
        traceID = members["traceparent"]?.string.flatMap(CloudEvent.traceID(of:))
        if source == nil, id == nil, type == nil, traceID == nil { return nil }
    }

    /// The identity of a decoded event.
    public init(_ event: CloudEvent) {
        source = event.source
        id = event.id
        type = event.type
        traceID = event.traceID
    }
}
