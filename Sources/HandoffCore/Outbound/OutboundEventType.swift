/// The type of the outbound event a task change emits: `task.` and what happened, e.g. `task.assigned`.
public enum OutboundEventType {
    /// The type for an audited `action`; `nil` for accesses (`view`), which change nothing. Approving a
    /// review completes the task, so it is `task.completed` too; claiming and assigning both give the
    /// task an owner (`task.assigned`).
    public static func of(_ action: ActionKind) -> String? {
        switch action {
        case .view: nil
        case .create: "task.created"
        case .claim, .assign: "task.assigned"
        case .release: "task.released"
        case .start: "task.started"
        case .pend: "task.pending"
        case .resume: "task.resumed"
        case .requestReview: "task.review.requested"
        case .approve, .complete: "task.completed"
        case .return: "task.review.returned"
        case .raiseException: "task.exception.raised"
        case .resolveException: "task.exception.resolved"
        case .updateException: "task.exception.updated"
        case .cancel: "task.cancelled"
        case .escalate: "task.escalated"
        case .move: "task.moved"
        case .reprioritise: "task.reprioritised"
        case .reopen: "task.reopened"
        case .note: "task.noted"
        }
    }

}
