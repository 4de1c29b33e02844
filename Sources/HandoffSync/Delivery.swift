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
}
