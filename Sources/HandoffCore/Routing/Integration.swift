import Foundation

/// Who may run the integration machinery and handle what it rejects: the rules in one place.
public enum Integration {
    /// Only a service account may run the sync worker (or, with `job`, another background job such as
    /// the outbound publisher) on a shared database.
    public static func authorizeWorker(_ actor: Actor, job: String = "the sync worker") throws(TransitionError) {
        guard actor.has(.service) else {
            throw .invalidInput(field: "role", problem: "running \(job) needs the service role: run it as the service "
                + "account (under systemd as that user; on the demo, --as handoff-sync), not as \(actor.name)")
        }
    }

    /// Reading the outbound publisher's state, replaying its events or naming the instance is
    /// integration support: admins (and services).
    public static func authorizeOutbound(_ actor: Actor) throws(TransitionError) {
        guard actor.has(.admin) || actor.has(.service) else {
            throw .invalidInput(field: "role", problem: "the outbound events are for admins; you have \(actor.roles.sorted().map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Replaying or discarding dead letters is integration support: admins (and services).
    public static func authorizeDeadLetterHandling(_ actor: Actor) throws(TransitionError) {
        guard actor.has(.admin) || actor.has(.service) else {
            throw .invalidInput(field: "role", problem: "handling dead letters needs the admin role; you have \(actor.roles.sorted().map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The audit record of closing dead letter `id` as `status` (replayed or discarded) with `note`.
    public static func close(deadLetter id: Int64, reason: DeadLetterReason, status: String, note: String, isOpen: Bool,
                             by actor: Actor, at now: Date) throws(TransitionError) -> AuditEntry {
        try authorizeDeadLetterHandling(actor)
        guard isOpen else { throw .invalidInput(field: "dead letter", problem: "dead letter \(id) is already closed") }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalidInput(field: "reason", problem: "say why (--reason)") }
        return AuditEntry(time: now, actor: actor.name, actorRole: actor.has(.admin) ? .admin : .service, origin: actor.origin,
                          action: "deadletter.\(status == "replayed" ? "replay" : "discard")",
                          detail: ["deadLetter": String(id), "reason": reason.rawValue, "note": String(text.prefix(500))])
    }
}
