import Foundation

/// Changes to how the whole database behaves (SLA policies and the like): admins only, audited.
public enum Administration {
    /// The audit record of a configuration change by `actor`, who must be an admin.
    public static func configurationChange(_ change: String, detail: [String: String], by actor: Actor,
                                           at now: Date) throws(TransitionError) -> AuditEntry {
        guard actor.has(.admin) else {
            throw .invalidInput(field: "role", problem: "changing \(change.split(separator: ".").first ?? "the configuration") needs the admin role")
        }
        return AuditEntry(time: now, actor: actor.name, actorRole: .admin, origin: actor.origin, action: change, detail: detail)
    }

    /// The audit record of a backup of the whole database taken by `actor`, who must be an admin.
    public static func backup(to file: String, by actor: Actor, at now: Date) throws(TransitionError) -> AuditEntry {
        guard actor.has(.admin) else {
            throw .invalidInput(field: "role", problem: "a backup holds every task and the whole audit: it needs the admin role")
        }
        return AuditEntry(time: now, actor: actor.name, actorRole: .admin, origin: actor.origin, action: "backup",
                          detail: ["file": (file as NSString).lastPathComponent])
    }
}
