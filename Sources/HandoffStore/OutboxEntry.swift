import Foundation

/// One outbound event as the outbox holds it: its place in the sequence and its JSON line.
public struct OutboxEntry: Hashable, Sendable {
    /// The outbound sequence number: delivery order.
    public let seq: Int64
    /// The event id (unique for this instance's source).
    public let id: String
    /// e.g. `task.assigned`.
    public let type: String
    /// The event in CloudEvents JSON structured mode, one line without its newline.
    public let line: String
    /// When the change happened.
    public let time: Date
}
