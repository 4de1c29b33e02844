import Foundation
import HandoffCore

/// A dead letter as the console shows it to integration support.
public struct DeadLetterItem: Hashable, Sendable {
    public var id: Int64
    public var reason: DeadLetterReason
    /// What was wrong, in words.
    public var detail: String
    public var type: String?
    public var eventID: String?
    public var source: String?
    public var transport: String
    public var firstSeen: Date
    public var attempts: Int
    /// The event's bytes as text; sanitised where drawn.
    public var raw: String

    public init(id: Int64, reason: DeadLetterReason, detail: String, type: String?, eventID: String?, source: String?,
                transport: String, firstSeen: Date, attempts: Int, raw: String) {
        self.id = id
        self.reason = reason
        self.detail = detail
        self.type = type
        self.eventID = eventID
        self.source = source
        self.transport = transport
        self.firstSeen = firstSeen
        self.attempts = attempts
        self.raw = raw
    }
}
