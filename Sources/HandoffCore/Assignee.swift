/// The user a task is being assigned to, as the rules need to see them.
public struct Assignee: Hashable, Sendable {
    /// The user name.
    public var name: String
    /// The user's roles.
    public var roles: Set<Role>
    /// Whether the user is a member of the task's queue.
    public var isMember: Bool
    /// Whether the user supervises the task's queue.
    public var isSupervisor: Bool
    /// Whether the user account is disabled.
    public var isDisabled: Bool

    public init(name: String, roles: Set<Role>, isMember: Bool, isSupervisor: Bool = false, isDisabled: Bool = false) {
        self.name = name
        self.roles = roles
        self.isMember = isMember
        self.isSupervisor = isSupervisor
        self.isDisabled = isDisabled
    }
}
