import Foundation
import HandoffCore
import HandoffStore

/// Applies events to the tasks inside the caller's transaction: inbox check, routing, the task
/// changes with their audit records, parking of out-of-order events, and dead letters.
public struct EventIngestor: Sendable {
    /// What became of one delivery.
    public enum Outcome: Hashable, Sendable {
        case applied(created: Int, changed: Int)
        case ignored
        case duplicate
        case parked
        case deadLettered(DeadLetterReason)
    }

    public var routes: Routes
    /// The service account the changes are attributed to.
    public var actor: Actor
    /// How long an out-of-order event is retried before it is dead-lettered as `no_matching_task`.
    public var parkTimeout: TimeInterval
    /// The first retry interval of a parked event; it doubles with each attempt, up to a minute.
    public var retryInterval: TimeInterval

    public init(routes: Routes, actor: Actor, parkTimeout: TimeInterval = 600, retryInterval: TimeInterval = 2) {
        self.routes = routes
        self.actor = actor
        self.parkTimeout = parkTimeout
        self.retryInterval = retryInterval
    }

    /// Ingests one delivery. Failures of the event itself end in the dead-letter store; only
    /// database failures are thrown (and roll back the caller's transaction).
    public func ingest(_ delivery: Delivery, in session: StoreSession, at now: Date) throws -> Outcome {
        let event: CloudEvent
        switch delivery.decoded {
        case let .failure(rejection):
            try session.deadLetter(rejection, raw: delivery.raw, event: nil, transport: delivery.transport, at: now)
            return .deadLettered(rejection.reason)
        case let .success(decoded):
            event = decoded
        }
        if let earlier = try session.inboxEntry(source: event.source, eventID: event.id) {
            if Self.sameContent(earlier.raw, delivery.raw) { return .duplicate }
            let rejection = EventRejection(.idConflict, "\(event.id) from \(event.source) was received before (event log #\(earlier.seq)) with different content")
            try session.deadLetter(rejection, raw: delivery.raw, event: event, transport: delivery.transport, at: now)
            return .deadLettered(.idConflict)
        }
        switch routes.route(event) {
        case let .failure(rejection):
            try session.deadLetter(rejection, raw: delivery.raw, event: event, transport: delivery.transport, at: now)
            return .deadLettered(rejection.reason)
        case let .success(routed):
            var entry = InboxEntry(
                source: event.source, eventID: event.id, type: event.type, eventTime: event.time, receivedAt: now,
                traceID: event.traceID, correlationKey: routed.correlationKey, partitionKey: event.partitionKey,
                subject: event.subject, status: .ignored, outcome: "", transport: delivery.transport, raw: delivery.raw
            )
            let outcome = try apply(routed, event: event, entry: &entry, in: session, at: now)
            try session.recordEvent(entry)
            if case .applied = outcome, let key = routed.correlationKey { try releaseParked(key, in: session, at: now) }
            return outcome
        }
    }

    /// Retries parked events that are due; those out of time are dead-lettered as `no_matching_task`.
    /// Returns how many were retried.
    @discardableResult
    public func retryParked(in session: StoreSession, at now: Date) throws -> Int {
        let due = try session.parkedEvents(dueBy: now)
        for entry in due { try retry(entry, in: session, at: now) }
        return due.count
    }

    /// Applies an event from the log again with the current routes: one that was ignored (a route was
    /// missing then) or dead (its task never came, or a handler failed). Applied events are left alone,
    /// so a replay never creates duplicates.
    public func reapply(_ logged: InboxEntry, in session: StoreSession, at now: Date) throws -> Outcome {
        guard logged.status == .ignored || logged.status == .dead else { return .duplicate }
        let event: CloudEvent
        switch EventDecoder.decode(logged.raw).flatMap({ decoded in routes.route(decoded).map { _ in decoded } }) {
        case let .failure(rejection):
            try session.deadLetter(rejection, raw: logged.raw, event: try? EventDecoder.decode(logged.raw).get(),
                                   transport: logged.transport, at: now)
            return .deadLettered(rejection.reason)
        case let .success(decoded):
            event = decoded
        }
        guard case let .success(routed) = routes.route(event) else { return .ignored }
        var entry = logged
        entry.attempts += 1
        let outcome = try apply(routed, event: event, entry: &entry, in: session, at: now)
        try session.updateEvent(source: entry.source, eventID: entry.eventID, status: entry.status, outcome: entry.outcome,
                                tasks: entry.tasks, attempts: entry.attempts, nextAttempt: entry.nextAttempt)
        if case .applied = outcome, let key = routed.correlationKey { try releaseParked(key, in: session, at: now) }
        return outcome
    }

    // MARK: - Applying

    private func apply(_ routed: RoutedEvent, event: CloudEvent, entry: inout InboxEntry,
                       in session: StoreSession, at now: Date) throws -> Outcome {
        let open = try routed.correlationKey.flatMap { try session.openTask(correlationKey: $0) }
        // Only an amendment looks at closed work (to reopen it); every other event needs the open task alone.
        let closed = open == nil && routed.mayReopen ? try routed.correlationKey.flatMap { try session.latestClosedTask(correlationKey: $0) } : nil
        let effect = EventEffect.plan(routed, eventType: event.type, open: open, closed: closed)
        do {
            return try session.savepoint { () throws -> Outcome in
                switch effect {
                case let .create(draft):
                    let task = try session.createTask(draft, by: actor, at: now, event: event.id)
                    entry.status = .applied
                    entry.outcome = "created \(task.id) in \(task.queue)" + (task.state == .exception ? " as an exception" : "")
                    entry.tasks = [task.id]
                    return .applied(created: 1, changed: 0)
                case let .act(id, actions):
                    for action in actions {
                        try session.perform(action, on: id, by: actor, at: now, trace: event.traceparent, event: event.id)
                    }
                    entry.status = .applied
                    entry.outcome = "\(id): " + actions.map(\.kind.rawValue).joined(separator: ", ")
                    entry.tasks = [id]
                    return .applied(created: 0, changed: 1)
                case let .park(reason):
                    entry.status = .parked
                    entry.outcome = reason
                    entry.nextAttempt = now.addingTimeInterval(retryInterval)
                    return .parked
                case let .ignore(reason):
                    entry.status = .ignored
                    entry.outcome = reason
                    return .ignored
                }
            }
        } catch let error where Self.isEventFailure(error) {
            // The event's own changes were undone; it is kept as a dead letter, and the line goes on.
            let rejection = EventRejection(.handlerError, "\(effect.name) failed: \(error)")
            try session.deadLetter(rejection, raw: entry.raw, event: event, transport: entry.transport,
                                   correlationKey: routed.correlationKey, at: now)
            entry.status = .dead
            entry.outcome = rejection.detail
            entry.tasks = []
            return .deadLettered(.handlerError)
        }
    }

    /// Applies, in arrival order, the parked events waiting for `key`'s task, now that it may exist.
    private func releaseParked(_ key: String, in session: StoreSession, at now: Date) throws {
        for entry in try session.parkedEvents(correlationKey: key) { try retry(entry, in: session, at: now) }
    }

    private func retry(_ parked: InboxEntry, in session: StoreSession, at now: Date) throws {
        guard case let .success(event) = EventDecoder.decode(parked.raw), case let .success(routed) = routes.route(event) else {
            // The routes changed under it: keep it as a dead letter with the new reason.
            let rejection = EventDecoder.decode(parked.raw).flatMap { routes.route($0) }.failureValue
                ?? EventRejection(.handlerError, "cannot be routed any more")
            try session.deadLetter(rejection, raw: parked.raw, event: try? EventDecoder.decode(parked.raw).get(),
                                   transport: parked.transport, at: now)
            try session.updateEvent(source: parked.source, eventID: parked.eventID, status: .dead, outcome: rejection.detail,
                                    tasks: [], attempts: parked.attempts + 1, nextAttempt: nil)
            return
        }
        var entry = parked
        entry.attempts += 1
        let outcome = try apply(routed, event: event, entry: &entry, in: session, at: now)
        if case .parked = outcome {
            if now.timeIntervalSince(parked.receivedAt) >= parkTimeout {
                let rejection = EventRejection(.noMatchingTask, "no open task for \(routed.correlationKey ?? "?") appeared within \(Int(parkTimeout)) s (\(entry.attempts) attempts)")
                try session.deadLetter(rejection, raw: parked.raw, event: event, transport: parked.transport,
                                       correlationKey: routed.correlationKey, at: now)
                entry.status = .dead
                entry.outcome = rejection.detail
                entry.nextAttempt = nil
            } else {
                let backoff = min(60, retryInterval * pow(2, Double(min(entry.attempts - 1, 10))))
                entry.nextAttempt = min(now.addingTimeInterval(backoff), parked.receivedAt.addingTimeInterval(parkTimeout))
            }
        }
        try session.updateEvent(source: entry.source, eventID: entry.eventID, status: entry.status, outcome: entry.outcome,
                                tasks: entry.tasks, attempts: entry.attempts, nextAttempt: entry.nextAttempt)
    }

    /// Whether an error belongs to the event (a rule refused its change) rather than to the database,
    /// whose failures roll the whole batch back to be tried again.
    static func isEventFailure(_ error: any Error) -> Bool {
        switch error {
        case is TransitionError: true
        case let error as StoreError: if case .sqlite = error { false } else { true }
        default: false
        }
    }

    /// Whether two deliveries carry the same event: equal as parsed JSON (key order, white space and
    /// number spelling aside), so a redelivery re-serialised by another engine is still a duplicate.
    static func sameContent(_ a: Data, _ b: Data) -> Bool {
        if a == b { return true }
        guard let left = try? JSONDecoder().decode(JSONValue.self, from: a),
              let right = try? JSONDecoder().decode(JSONValue.self, from: b) else { return false }
        return left == right
    }
}

extension EventEffect {
    /// The effect's name for messages.
    var name: String {
        switch self {
        case .create: "create"
        case let .act(_, actions): actions.map(\.kind.rawValue).joined(separator: ", ")
        case .park: "park"
        case .ignore: "ignore"
        }
    }
}

extension Result {
    /// The error, if this is a failure.
    var failureValue: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
