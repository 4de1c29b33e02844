/// Who is acting: a person or a service account, with the roles they hold now
/// and where they act from.
public struct Actor: Hashable, Sendable {
    /// The user name (the operating-system login name).
    public var name: String
    /// The roles held at the time of acting.
    public var roles: Set<Role>
    /// Where the action comes from, e.g. `local` or `ssh 192.0.2.10`.
    public var origin: String

    public init(name: String, roles: Set<Role>, origin: String = "local") {
        self.name = name
        self.roles = roles
        self.origin = origin
    }

    /// Whether the actor holds `role`.
    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// The role to record for an action the actor is allowed because they own the task.
    var primaryRole: Role { roles.sorted().first ?? .coordinator }
}
