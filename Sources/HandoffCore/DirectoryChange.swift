/// A change to the people and queues Handoff knows: audited like task actions.
public enum DirectoryChange: Hashable, Sendable {
    case addUser(name: String, displayName: String, roles: Set<Role>)
    case setRoles(user: String, roles: Set<Role>)
    case disableUser(String)
    case enableUser(String)
    case addQueue(name: String, title: String, requiresReview: Bool)
    case addMember(queue: String, user: String)
    case removeMember(queue: String, user: String)
    case addSupervisor(queue: String, user: String)
    case removeSupervisor(queue: String, user: String)

    /// The audit action name, e.g. `user.add`.
    public var action: String {
        switch self {
        case .addUser: "user.add"
        case .setRoles: "user.set-roles"
        case .disableUser: "user.disable"
        case .enableUser: "user.enable"
        case .addQueue: "queue.add"
        case .addMember: "queue.member.add"
        case .removeMember: "queue.member.remove"
        case .addSupervisor: "queue.supervisor.add"
        case .removeSupervisor: "queue.supervisor.remove"
        }
    }

    /// Non-PHI details for the audit record.
    var detail: [String: String] {
        switch self {
        case let .addUser(name, _, roles):
            ["user": name, "roles": Role.format(roles)]
        case let .setRoles(user, roles):
            ["user": user, "roles": Role.format(roles)]
        case let .disableUser(user), let .enableUser(user):
            ["user": user]
        case let .addQueue(name, _, requiresReview):
            ["queue": name, "requiresReview": String(requiresReview)]
        case let .addMember(queue, user), let .removeMember(queue, user),
             let .addSupervisor(queue, user), let .removeSupervisor(queue, user):
            ["queue": queue, "user": user]
        }
    }
}

extension Role {
    /// Formats roles as a sorted, comma-separated list, e.g. `nurse,supervisor`.
    public static func format(_ roles: Set<Role>) -> String {
        roles.sorted().map(\.rawValue).joined(separator: ",")
    }
}
