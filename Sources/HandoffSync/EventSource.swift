import Foundation
import HandoffStore

/// Where the worker pulls canonical events from: a spool directory or an HTTP feed.
///
/// A source reads without consuming: the worker applies the batch and calls ``SourceBatch/commit``
/// in the same transaction, so the cursor moves only with the effects; then ``SourceBatch/finish``
/// tidies up outside the transaction (moving a finished file aside).
public protocol EventSource: AnyObject, Sendable {
    /// A name for status and logs, e.g. `spool /var/spool/handoff`.
    var name: String { get }
    /// The next batch of at most `limit` deliveries, or `nil` when there is nothing to do now.
    func next(limit: Int, now: Date, store: HandoffStore) throws -> SourceBatch?
}

/// Deliveries read from a source, with how to record that they were consumed.
public struct SourceBatch: Sendable {
    public var deliveries: [Delivery]
    /// Advances the source's cursor, inside the transaction that applies the deliveries.
    public var commit: @Sendable (StoreSession, Date) throws -> Void
    /// Runs after the transaction committed (e.g. moves a finished file to `done/`).
    public var finish: @Sendable () throws -> Void

    public init(deliveries: [Delivery], commit: @escaping @Sendable (StoreSession, Date) throws -> Void,
                finish: @escaping @Sendable () throws -> Void = {}) {
        self.deliveries = deliveries
        self.commit = commit
        self.finish = finish
    }
}
