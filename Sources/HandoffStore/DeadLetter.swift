import Foundation
import HandoffCore

/// An event that could not be applied, kept with its reason and raw bytes until an operator
/// replays or discards it. Never purged automatically.
public struct DeadLetter: Hashable, Sendable {
    /// Where the dead letter stands.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case open
        /// Replayed after a fix and applied.
        case replayed
        /// Discarded by an operator, with a reason.
        case discarded
    }

    public var id: Int64
    /// The event's `source` and `id`, when it could be read that far.
    public var source: String?
    public var eventID: String?
    public var type: String?
    public var reason: DeadLetterReason
    /// What was wrong, in words (no payload values).
    public var detail: String
    public var raw: Data
    public var transport: String
    public var traceID: String?
    public var correlationKey: String?
    public var firstSeen: Date
    public var lastSeen: Date
    /// How many times it was delivered or retried.
    public var attempts: Int
    public var status: Status
    public var closedBy: String?
    public var closedAt: Date?
    public var closeNote: String?
}
