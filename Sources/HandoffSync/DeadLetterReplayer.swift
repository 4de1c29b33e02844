import Foundation
import HandoffCore
import HandoffStore

/// Replays dead letters after a fix: decodes the kept bytes again and applies them with the
/// current routes; a success closes the dead letter as replayed (audited), a failure counts an attempt.
public struct DeadLetterReplayer: Sendable {
    /// What a replay came to.
    public enum Result: Hashable, Sendable, CustomStringConvertible {
        case replayed(EventIngestor.Outcome)
        case stillFailing(EventRejection)

        public var description: String {
            switch self {
            case let .replayed(outcome): "replayed (\(outcome))"
            case let .stillFailing(rejection): "still failing: \(rejection)"
            }
        }
    }

    public let ingestor: EventIngestor

    public init(ingestor: EventIngestor) { self.ingestor = ingestor }

    /// Replays dead letter `id` inside the caller's transaction, as `operator`'s act.
    public func replay(_ id: Int64, by person: Actor, in session: StoreSession, at now: Date) throws -> Result {
        let letter = try session.deadLetter(id)
        try Integration.authorizeDeadLetterHandling(person)
        guard letter.status == .open else {
            throw TransitionError.invalidInput(field: "dead letter", problem: "dead letter \(id) is already \(letter.status.rawValue)")
        }
        let delivery = Delivery(raw: letter.raw, transport: letter.transport)
        if case let .failure(rejection) = delivery.decoded {
            try session.recordFailedReplay(of: id, rejection, at: now)
            return .stillFailing(rejection)
        }
        let event = try delivery.decoded.get()
        // Route first, changing nothing: a letter that still cannot be routed is counted on itself,
        // never copied into a second open dead letter with the new reason.
        if case let .failure(rejection) = ingestor.routes.route(event) {
            try session.recordFailedReplay(of: id, rejection, at: now)
            return .stillFailing(rejection)
        }
        let outcome: EventIngestor.Outcome
        if let logged = try session.inboxEntry(source: event.source, eventID: event.id), logged.status == .dead,
           EventIngestor.sameContent(logged.raw, letter.raw) {
            outcome = try ingestor.reapply(logged, in: session, at: now)
        } else if letter.reason == .idConflict {
            let rejection = EventRejection(.idConflict, "\(event.id) from \(event.source) still has different content from the logged event")
            try session.recordFailedReplay(of: id, rejection, at: now)
            return .stillFailing(rejection)
        } else {
            outcome = try ingestor.ingest(delivery, in: session, at: now)
        }
        if case let .deadLettered(reason) = outcome {
            let rejection = EventRejection(reason, "replay failed again")
            try session.recordFailedReplay(of: id, rejection, at: now)
            return .stillFailing(rejection)
        }
        try session.closeDeadLetter(id, as: .replayed, note: "replayed: \(outcome)", by: person, at: now)
        return .replayed(outcome)
    }
}
