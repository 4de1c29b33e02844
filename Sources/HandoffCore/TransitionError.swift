/// Why an action was refused, and what to do instead.
public enum TransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The action is not legal from the task's state; `allowed` lists what the actor can do now.
    case illegalFromState(action: ActionKind, task: TaskID, state: TaskState, allowed: [ActionKind])
    /// None of the actor's roles may take this action; `needs` lists the roles that may.
    case notPermitted(action: ActionKind, roles: Set<Role>, needs: Set<Role>)
    /// The actor has a suitable role but is not a member (or supervisor) of the task's queue.
    case notInQueue(action: ActionKind, queue: String)
    /// Only the task's owner may take this action.
    case notOwner(action: ActionKind, task: TaskID, owner: String?)
    /// A reviewer may not approve their own work.
    case ownWork(task: TaskID)
    /// The queue requires clinical review: request review instead of completing.
    case reviewRequired(queue: String)
    /// The queue does not use clinical review: complete instead.
    case reviewNotRequired(queue: String)
    /// The actor is outside the task's queue: they may open it only with an emergency reason.
    case breakGlassRequired(task: TaskID, queue: String)
    /// The user cannot be given this task.
    case assigneeNotEligible(user: String, queue: String, reason: String)
    /// Some input is missing or malformed.
    case invalidInput(field: String, problem: String)

    public var description: String {
        switch self {
        case let .illegalFromState(action, task, state, allowed):
            let options = allowed.isEmpty ? "nothing you may do" : allowed.map(\.rawValue).joined(separator: ", ")
            return "\(task) is \(state.rawValue): cannot \(action.rawValue) from \(state.rawValue); allowed now: \(options)"
        case let .notPermitted(action, roles, needs):
            let held = roles.isEmpty ? "no roles" : roles.sorted().map(\.rawValue).joined(separator: ", ")
            let wanted = needs.sorted().map(\.rawValue).joined(separator: " or ")
            return "\(action.rawValue) is not permitted for your roles (\(held)); it needs \(wanted) — ask an admin (handoff users set-roles)"
        case let .notInQueue(action, queue):
            return "cannot \(action.rawValue): you are not a member of queue \(queue) — ask an admin (handoff queues members \(queue) --add USER), "
                + "or in an emergency act with --break-glass REASON (recorded in the audit and shown to supervisors)"
        case let .notOwner(action, task, owner):
            if let owner {
                return "only the owner (\(owner)) may \(action.rawValue) \(task); ask them or a supervisor to reassign it"
            }
            return "\(task) has no owner: claim it before you \(action.rawValue) it"
        case let .ownWork(task):
            return "you may not approve \(task): a reviewer may not approve their own work — another nurse must review it"
        case let .reviewRequired(queue):
            return "queue \(queue) requires clinical review: use request-review, not complete"
        case let .reviewNotRequired(queue):
            return "queue \(queue) does not use clinical review: use complete"
        case let .breakGlassRequired(task, queue):
            return "\(task) is in queue \(queue), which you do not belong to: in an emergency, break the glass with a reason "
                + "(handoff task show \(task) --break-glass REASON), recorded in the audit and shown to supervisors; "
                + "otherwise ask an admin (handoff queues members \(queue) --add USER)"
        case let .assigneeNotEligible(user, queue, reason):
            return "cannot assign to \(user) in queue \(queue): \(reason)"
        case let .invalidInput(field, problem):
            return "\(field): \(problem)"
        }
    }
}
