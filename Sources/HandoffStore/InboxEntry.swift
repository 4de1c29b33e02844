import Foundation
import HandoffCore

/// One event in the inbox and event log: accepted once per (`source`, `id`), kept as received.
public struct InboxEntry: Hashable, Sendable {
    /// What became of the event.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Its task changes were made.
        case applied
        /// Accepted; the routes asked for no change.
        case ignored
        /// Waiting for the task it must act on (out of order); retried until its time runs out.
        case parked
        /// Its task never appeared, or a handler failed: see the dead letters.
        case dead
    }

    public var seq: Int64
    public var source: String
    public var eventID: String
    public var type: String
    public var eventTime: Date?
    public var receivedAt: Date
    /// The trace id (32 hex digits) of the event's `traceparent`.
    public var traceID: String?
    public var correlationKey: String?
    public var partitionKey: String?
    public var subject: String?
    public var status: Status
    /// What routing did, in words without payload values.
    public var outcome: String
    /// The tasks the event created or changed.
    public var tasks: [TaskID]
    /// Where it came from, e.g. `spool:/var/spool/handoff/0001.ndjson`.
    public var transport: String
    public var attempts: Int
    /// For a parked event: when it is retried next.
    public var nextAttempt: Date?
    /// The event's bytes as received.
    public var raw: Data

    public init(seq: Int64 = 0, source: String, eventID: String, type: String, eventTime: Date?, receivedAt: Date,
                traceID: String?, correlationKey: String?, partitionKey: String?, subject: String?, status: Status,
                outcome: String, tasks: [TaskID] = [], transport: String, attempts: Int = 1, nextAttempt: Date? = nil, raw: Data) {
        self.seq = seq
        self.source = source
        self.eventID = eventID
        self.type = type
        self.eventTime = eventTime
        self.receivedAt = receivedAt
        self.traceID = traceID
        self.correlationKey = correlationKey
        self.partitionKey = partitionKey
        self.subject = subject
        self.status = status
        self.outcome = outcome
        self.tasks = tasks
        self.transport = transport
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.raw = raw
    }
}
