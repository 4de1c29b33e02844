/// A supervisor of a queue and how much open work they own there: whom the sweeper's
/// `assign-to-supervisor` chooses among.
public struct SupervisorLoad: Hashable, Sendable {
    /// The user name.
    public var name: String
    /// The user's roles (a supervisor of the queue without the supervisor role cannot be given work).
    public var roles: Set<Role>
    /// Whether the user is also a member of the queue.
    public var isMember: Bool
    /// Whether the user account is disabled.
    public var isDisabled: Bool
    /// How many open tasks of the queue they own, not counting the task being escalated.
    public var openTasks: Int

    public init(name: String, roles: Set<Role>, isMember: Bool = false, isDisabled: Bool = false, openTasks: Int) {
        self.name = name
        self.roles = roles
        self.isMember = isMember
        self.isDisabled = isDisabled
        self.openTasks = openTasks
    }

    /// The supervisor to give escalated work to: of the enabled holders of the supervisor role, the one
    /// with the fewest open tasks, ties by name; `nil` when there is none.
    public static func leastLoaded(_ supervisors: [SupervisorLoad]) -> SupervisorLoad? {
        supervisors.filter { !$0.isDisabled && $0.roles.contains(.supervisor) }
            .min { ($0.openTasks, $0.name) < ($1.openTasks, $1.name) }
    }

    /// The supervisor as the workflow rules see an assignee.
    public var assignee: Assignee {
        Assignee(name: name, roles: roles, isMember: isMember, isSupervisor: true, isDisabled: isDisabled)
    }
}
