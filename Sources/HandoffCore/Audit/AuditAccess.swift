/// Which audit records a person may read: admins every record; supervisors the records of the tasks in
/// the queues they supervise; nobody else any.
public enum AuditAccess: Equatable, Sendable {
    case all
    case supervisedQueues

    /// The access `actor` has to the audit log, or why they have none.
    public static func of(_ actor: Actor) throws(TransitionError) -> AuditAccess {
        if actor.has(.admin) { return .all }
        if actor.has(.supervisor) { return .supervisedQueues }
        throw .invalidInput(field: "role", problem: "the audit log is for supervisors (their queues) and admins; you have "
            + actor.roles.sorted().map(\.rawValue).joined(separator: ", "))
    }

    /// Refuses anyone but an admin: verifying the audit chain and taking checkpoints is theirs.
    public static func checkChain(by actor: Actor) throws(TransitionError) {
        guard actor.has(.admin) else {
            throw .invalidInput(field: "role", problem: "verifying the audit chain and taking checkpoints is for admins; you have "
                + actor.roles.sorted().map(\.rawValue).joined(separator: ", "))
        }
    }
}
