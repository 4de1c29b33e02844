import Foundation
import HandoffCore
import HandoffStore
import Logging

/// The background sync worker: pulls deliveries from its sources and applies them in batches,
/// each batch one transaction holding the events' effects, their audit records, the inbox entries,
/// the counters and the source's cursor — so a crash at any instant loses and duplicates nothing.
public final class SyncWorker: PollingJob, @unchecked Sendable {
    public let store: HandoffStore
    public let ingestor: EventIngestor
    public let sources: [any EventSource]
    /// The most deliveries applied in one transaction.
    public let batchSize: Int
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// The escalation sweeper running beside the worker, when the database has SLA policies.
    public let sweeper: EscalationSweeper?
    /// The source asked first on the next step: sources take turns, so a backlog in one cannot starve another.
    private var turn = 0

    public init(store: HandoffStore, ingestor: EventIngestor, sources: [any EventSource], batchSize: Int = 500,
                sweeper: EscalationSweeper? = nil, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "handoff.sync")) {
        self.sweeper = sweeper
        self.store = store
        self.ingestor = ingestor
        self.sources = sources
        self.batchSize = batchSize
        self.now = now
        self.logger = logger
    }

    /// Applies one batch from the first source that has one, and retries parked events that are due.
    /// Returns `nil` when there was nothing to do.
    public func step() throws -> SyncTally? {
        let time = now()
        for offset in sources.indices {
            let source = sources[(turn + offset) % sources.count]
            guard let batch = try source.next(limit: batchSize, now: time, store: store) else { continue }
            turn = (turn + offset + 1) % sources.count
            let tally = try apply(batch.deliveries, commit: batch.commit, at: time)
            try batch.finish()
            if tally.received > 0 { log(tally, from: source.name) }
            return tally
        }
        if let sweeper, try !store.read({ try $0.tasksDueForSweep(at: time, limit: 1) }).isEmpty {
            let swept = try store.write { session -> SyncTally in
                var tally = SyncTally()
                tally.escalations = try sweeper.sweep(in: session, at: time).crossings
                try record(tally, in: session, at: time)
                return tally
            }
            if swept.escalations > 0 {
                logger.debug("escalation sweep", metadata: ["crossings": "\(swept.escalations)"])
                return swept
            }
        }
        // Write only when a parked event is due, so an idle worker does not wake every console.
        guard try !store.read({ try $0.parkedEvents(dueBy: time, limit: 1) }).isEmpty else { return nil }
        let retried = try store.write { session -> SyncTally in
            var tally = SyncTally()
            tally.retries = try ingestor.retryParked(in: session, at: time)
            try record(tally, in: session, at: time)
            return tally
        }
        guard retried.retries > 0 else { return nil }
        logger.debug("parked events retried", metadata: ["retries": "\(retried.retries)"])
        return retried
    }

    public func poll() throws -> Bool { try step() != nil }

    /// Applies everything the sources hold now; parked events may remain. Returns the totals.
    @discardableResult
    public func drain() throws -> SyncTally {
        var total = SyncTally()
        while let tally = try step() { total = total + tally }
        return total
    }

    /// Applies deliveries given directly (a replay), in one transaction.
    public func apply(_ deliveries: [Delivery], commit: (StoreSession, Date) throws -> Void = { _, _ in },
                      at time: Date) throws -> SyncTally {
        try store.write { session -> SyncTally in
            var tally = SyncTally()
            var newest: Date?
            for delivery in deliveries {
                let outcome = try ingestor.ingest(delivery, in: session, at: time)
                tally.count(outcome)
                logDelivery(delivery, outcome)
                if case let .deadLettered(reason) = outcome { logDeadLetter(delivery, reason) }
                if case let .success(event) = delivery.decoded, let eventTime = event.time {
                    newest = max(newest ?? eventTime, eventTime)
                }
            }
            try commit(session, time)
            tally.retries = try ingestor.retryParked(in: session, at: time)
            try record(tally, in: session, at: time)
            if let newest {
                let previous = try session.syncValue("last.eventTime").flatMap(Timestamp.parse)
                if previous.map({ newest > $0 }) ?? true {
                    try session.setSyncValue("last.eventTime", Timestamp.format(newest), at: time)
                }
            }
            return tally
        }
    }

    /// Notes that the worker is alive, and on which host and process.
    public func heartbeat(status: String) throws {
        let time = now()
        try store.write { try $0.recordHeartbeat(of: "worker", status: status, pid: ProcessInfo.processInfo.processIdentifier, at: time) }
    }

    /// Records a failure of the machinery (not of an event) as the last error.
    public func recordError(_ message: String) {
        let time = now()
        logger.error("sync failed", metadata: ["error": .string(DisplayText.sanitize(message))])
        _ = try? store.write { session in
            try session.setSyncValue("last.error", message, at: time)
            try session.setSyncValue("last.errorAt", Timestamp.format(time), at: time)
        }
    }

    private func record(_ tally: SyncTally, in session: StoreSession, at time: Date) throws {
        for (key, value) in tally.counters { try session.addToSyncCounter(key, value, at: time) }
    }

    // MARK: - Logging: ids, types, references and trace ids only, never payloads

    private func log(_ tally: SyncTally, from source: String) {
        logger.info("batch applied", metadata: [
            "source": .string(source), "received": "\(tally.received)", "created": "\(tally.created)",
            "changed": "\(tally.changed)", "duplicates": "\(tally.duplicates)", "parked": "\(tally.parked)",
            "deadLettered": "\(tally.deadLettered)", "retries": "\(tally.retries)",
        ])
    }

    private func logDeadLetter(_ delivery: Delivery, _ reason: DeadLetterReason) {
        var metadata = Self.identity(of: delivery)
        metadata["reason"] = .string(reason.rawValue)
        logger.notice("event dead-lettered", metadata: metadata)
    }

    /// What became of each delivery, at trace level.
    private func logDelivery(_ delivery: Delivery, _ outcome: EventIngestor.Outcome) {
        logger.trace("event", metadata: Self.identity(of: delivery).merging(Self.metadata(of: outcome)) { $1 })
    }

    /// A delivery's transport and, when it decoded, its id, source, type and trace id: every untrusted
    /// string sanitised, nothing from the payload.
    private static func identity(of delivery: Delivery) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["transport": .string(DisplayText.sanitize(delivery.transport))]
        if case let .success(event) = delivery.decoded {
            metadata["event"] = .string(DisplayText.sanitize(event.id))
            metadata["source"] = .string(DisplayText.sanitize(event.source))
            metadata["type"] = .string(DisplayText.sanitize(event.type))
            if let trace = event.traceID { metadata["trace"] = .string(trace) }
        }
        return metadata
    }

    private static func metadata(of outcome: EventIngestor.Outcome) -> Logger.Metadata {
        switch outcome {
        case let .applied(created, changed): ["outcome": "applied", "created": "\(created)", "changed": "\(changed)"]
        case .ignored: ["outcome": "ignored"]
        case .duplicate: ["outcome": "duplicate"]
        case .parked: ["outcome": "parked"]
        case let .deadLettered(reason): ["outcome": "dead-lettered", "reason": .string(reason.rawValue)]
        }
    }
}
