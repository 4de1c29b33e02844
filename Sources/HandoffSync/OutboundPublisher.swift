import Foundation
import HandoffCore
import HandoffStore
import Logging

/// The outbound publisher: a service that delivers the outbox's events to the outbound spool, in
/// sequence order, a batch per file.
///
/// Each step reads the events after the cursor, delivers them as one complete file
/// (``OutboundSpool/deliver(_:)``) and only then moves the cursor, in its own transaction. A crash
/// between the two leaves the file delivered and the cursor behind, so the next start delivers the same
/// events — with the same ids — again: at least once, never lost, never out of order. Consumers
/// deduplicate by event id.
public final class OutboundPublisher: PollingJob, @unchecked Sendable {
    public let store: HandoffStore
    public let spool: OutboundSpool
    /// The most events in one file.
    public let batchSize: Int
    /// How long after their change delivered events stay in the outbox (for `outbound replay`); `nil` keeps them.
    public let retention: TimeInterval?
    /// How long a batch smaller than ``batchSize`` may wait for company, so a trickle of changes makes
    /// fewer, larger files rather than one file per change.
    public let linger: TimeInterval
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var lastPrune = Date.distantPast
    /// The first waiting event of a partial batch, and when this publisher first saw it (its own clock:
    /// a change stamped by another machine's clock does not decide how long to linger).
    private var waitingSince: (seq: Int64, at: Date)?

    /// A publisher delivering `store`'s events to the spool `directory`.
    public init(store: HandoffStore, directory: String, batchSize: Int = 1_000, retention: TimeInterval? = 7 * 86_400,
                linger: TimeInterval = 0, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "handoff.outbound")) throws {
        self.store = store
        self.linger = linger
        spool = OutboundSpool(directory: directory, instance: try store.read { try $0.outboundSettings().instance })
        self.batchSize = batchSize
        self.retention = retention
        self.now = now
        self.logger = logger
    }

    /// Gets the spool ready: creates it if missing and removes temporary files a killed publisher left.
    public func prepare() throws {
        let removed = try spool.prepare()
        if removed > 0 { logger.notice("removed unfinished outbound files", metadata: ["files": "\(removed)"]) }
    }

    /// Delivers the next batch; returns how many events it held (0 when there was nothing to deliver, or,
    /// unless `flush`, when a partial batch is younger than ``linger``).
    public func step(flush: Bool = false) throws -> Int {
        let (cursor, entries) = try store.read { session in
            let cursor = try session.outboundCursor()
            return (cursor, try session.outboundEvents(after: cursor, limit: batchSize))
        }
        guard let first = entries.first, let last = entries.last else { return 0 }
        if !flush, entries.count < batchSize, linger > 0 {
            let time = now()
            if waitingSince?.seq != first.seq { waitingSince = (first.seq, time) }
            if time.timeIntervalSince(waitingSince?.at ?? time) < linger { return 0 }
        }
        let file = try spool.deliver(entries)
        let time = now()
        let recorded = try store.write { try $0.recordOutboundDelivery(after: cursor, through: last.seq, events: entries.count, file: file, at: time) }
        guard recorded else {
            // The file went out, but a replay moved the cursor back meanwhile: the next step starts there.
            logger.notice("outbound cursor moved during delivery (a replay); delivering from there", metadata: ["file": .string(file)])
            return entries.count
        }
        logger.info("outbound events delivered", metadata: [
            "file": .string(file), "events": "\(entries.count)", "first": "\(first.seq)", "last": "\(last.seq)"])
        return entries.count
    }

    /// Delivers everything the outbox holds now, lingering for nothing; returns how many events.
    @discardableResult
    public func drain() throws -> Int {
        var total = 0
        while case let count = try step(flush: true), count > 0 { total += count }
        return total
    }

    public func poll() throws -> Bool {
        if try step() > 0 { return true }
        let time = now()
        if time.timeIntervalSince(lastPrune) >= 60 {
            lastPrune = time
            try prune()
        }
        return false
    }

    /// Deletes delivered events whose change is older than the retention (at most 10,000 at a time);
    /// returns how many. The loop does this at most once a minute when idle; `--once` after its drain.
    @discardableResult
    public func prune() throws -> Int {
        let time = now()
        guard let retention else { return 0 }
        let pruned = try store.write { try $0.pruneOutbound(before: time.addingTimeInterval(-retention), limit: 10_000, at: time) }
        if pruned > 0 { logger.debug("delivered outbound events pruned", metadata: ["events": "\(pruned)"]) }
        return pruned
    }

    public func heartbeat(status: String) throws {
        let time = now()
        try store.write { session in
            try session.recordHeartbeat(of: "outbound", status: status, pid: ProcessInfo.processInfo.processIdentifier, at: time)
            try session.setSyncValue("outbound.spool", spool.directory, at: time)
        }
    }

    public func recordError(_ message: String) {
        let time = now()
        logger.error("outbound delivery failed", metadata: ["error": .string(DisplayText.sanitize(message))])
        _ = try? store.write { session in
            try session.setSyncValue("outbound.lastError", message, at: time)
            try session.setSyncValue("outbound.lastErrorAt", Timestamp.format(time), at: time)
        }
    }
}
