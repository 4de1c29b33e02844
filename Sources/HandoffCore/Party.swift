/// Who may take an action, in the words of the domain table.
public enum Party: Hashable, Sendable, CaseIterable {
    /// A coordinator or nurse who is a member of the task's queue.
    case queueMember
    /// The task's current owner.
    case owner
    /// A nurse who is a member or supervisor of the task's queue and not the task's owner.
    case clinicalReviewer
    /// A supervisor of the task's queue.
    case queueSupervisor
    /// Any admin.
    case admin
    /// A service account (sync worker, escalation sweeper).
    case service

    /// The roles that can qualify for this party (any role can own a task).
    var roles: Set<Role> {
        switch self {
        case .queueMember: Role.workers
        case .owner: Set(Role.allCases)
        case .clinicalReviewer: [.nurse]
        case .queueSupervisor: [.supervisor]
        case .admin: [.admin]
        case .service: [.service]
        }
    }

    /// Whether the party needs a relation to the queue, beyond a role.
    var needsQueue: Bool {
        self == .queueMember || self == .clinicalReviewer || self == .queueSupervisor
    }

    /// The role through which `actor` is this party, or `nil` if they are not.
    func role(of actor: Actor, task: WorkTask?, access: QueueAccess) -> Role? {
        switch self {
        case .queueMember:
            guard access.isMember else { return nil }
            return actor.roles.intersection(roles).sorted().first
        case .owner:
            guard let owner = task?.owner, owner == actor.name else { return nil }
            return actor.primaryRole
        case .clinicalReviewer:
            guard actor.has(.nurse), access.isMember || access.isSupervisor,
                  task?.owner != actor.name else { return nil }
            return .nurse
        case .queueSupervisor:
            return actor.has(.supervisor) && access.isSupervisor ? .supervisor : nil
        case .admin:
            return actor.has(.admin) ? .admin : nil
        case .service:
            return actor.has(.service) ? .service : nil
        }
    }
}
