import Foundation

/// Rules for changing users, roles, queues and memberships.
public enum Directory {
    /// Checks that `actor` may make `change` and yields its audit record.
    public static func authorize(_ change: DirectoryChange, by actor: Actor, at now: Date) throws(DirectoryError) -> AuditEntry {
        guard actor.has(.admin) else { throw .notAdmin(user: actor.name) }
        try validate(change)
        return AuditEntry(time: now, actor: actor.name, actorRole: .admin, origin: actor.origin,
                          action: change.action, detail: change.detail)
    }

    /// The audit record for making the very first user of a new database its admin.
    public static func bootstrap(admin name: String, displayName: String, origin: String, at now: Date) throws(DirectoryError) -> AuditEntry {
        let change = DirectoryChange.addUser(name: name, displayName: displayName, roles: [.admin])
        try validate(change)
        return AuditEntry(time: now, actor: name, actorRole: .admin, origin: origin,
                          action: change.action, detail: change.detail.merging(["bootstrap": "true"]) { $1 })
    }

    /// Whether `name` is a valid user or queue name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 32 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
    }

    static func validate(_ change: DirectoryChange) throws(DirectoryError) {
        switch change {
        case let .addUser(name, displayName, roles):
            try checkName(name)
            guard !displayName.trimmed.isEmpty else { throw .emptyDisplayName }
            guard !roles.isEmpty else { throw .noRoles }
        case let .setRoles(user, roles):
            try checkName(user)
            guard !roles.isEmpty else { throw .noRoles }
        case let .disableUser(user), let .enableUser(user):
            try checkName(user)
        case let .addQueue(name, title, _):
            try checkName(name)
            guard !title.trimmed.isEmpty else { throw .emptyDisplayName }
        case let .addMember(queue, user), let .removeMember(queue, user),
             let .addSupervisor(queue, user), let .removeSupervisor(queue, user):
            try checkName(queue)
            try checkName(user)
        }
    }

    private static func checkName(_ name: String) throws(DirectoryError) {
        guard isValidName(name) else { throw .invalidName(name) }
    }
}
