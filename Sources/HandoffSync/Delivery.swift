import Foundation
import HandoffCore

/// One event as a source delivered it: its bytes, what decoding made of them, and where it came from.
public struct Delivery: Sendable {
    /// The event's bytes as received.
    public var raw: Data
    public var decoded: Result<CloudEvent, EventRejection>
    /// Where it came from, e.g. `spool:0001.ndjson:12` or a feed URL.
    public var transport: String

    public init(raw: Data, transport: String) {
        self.raw = raw
        self.decoded = EventDecoder.decode(raw)
        self.transport = transport
    }

    public init(raw: Data, rejection: EventRejection, transport: String) {
        self.raw = raw
        self.decoded = .failure(rejection)
        self.transport = transport
    }

    /// One element of a batch (a JSON array) as a delivery: its bytes are the element re-encoded with
    /// sorted keys; an element that is not an object is refused as `invalid_json`.
    public init(element: JSONValue, transport: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let raw = (try? encoder.encode(element)) ?? Data()
        guard case .object = element else {
            self.init(raw: raw, rejection: EventRejection(.invalidJSON, "a batch element must be a JSON object"), transport: transport)
            return
        }
        self.init(raw: raw, transport: transport)
    }
}
