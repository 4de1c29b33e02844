/// The workflow's rules in one place: one row per action, as in the domain table.
public enum TransitionTable {
    private static let active = TaskState.active
    private static let workable: Set<TaskState> = [.queued, .assigned, .inProgress]

    /// Every action on an existing task (creation is ruled by ``create``).
    public static let rules: [ActionKind: TransitionRule] = [
        .note: .init(from: Set(TaskState.allCases), to: .same,
                     who: [.queueMember, .owner, .queueSupervisor, .admin, .service]),
        .reprioritise: .init(from: active, to: .same, who: [.queueSupervisor, .admin, .service]),
        .reopen: .init(from: [.completed], to: .state(.queued), who: [.queueSupervisor, .admin, .service]),
        .claim: .init(from: [.queued], to: .state(.assigned), who: [.queueMember]),
        .assign: .init(from: [.queued, .assigned, .inProgress, .pending, .review, .exception], to: .assignedOrSame,
                       who: [.queueSupervisor, .admin, .service]),
        .release: .init(from: [.assigned, .inProgress], to: .state(.queued), who: [.owner, .queueSupervisor, .admin]),
        .start: .init(from: [.assigned], to: .state(.inProgress), who: [.owner]),
        .pend: .init(from: workable, to: .state(.pending), who: [.owner, .queueSupervisor, .service]),
        .resume: .init(from: [.pending], to: .ownedOrQueued, who: [.owner, .queueSupervisor, .service]),
        .requestReview: .init(from: [.inProgress], to: .state(.review), who: [.owner], review: .reviewQueuesOnly),
        .approve: .init(from: [.review], to: .state(.completed), who: [.clinicalReviewer]),
        .return: .init(from: [.review], to: .returned, who: [.clinicalReviewer, .service]),
        .complete: .init(from: [.inProgress], to: .state(.completed), who: [.owner], review: .nonReviewQueuesOnly),
        .raiseException: .init(from: active.subtracting([.exception]), to: .state(.exception), who: [.owner, .service]),
        .resolveException: .init(from: [.exception], to: .resolution, who: [.queueMember, .queueSupervisor, .service]),
        .updateException: .init(from: [.exception], to: .same, who: [.service]),
        .cancel: .init(from: active, to: .state(.cancelled), who: [.queueSupervisor, .admin, .service]),
        .escalate: .init(from: active, to: .same, who: [.queueSupervisor, .service]),
        .move: .init(from: active, to: .same, who: [.queueSupervisor, .admin, .service]),
    ]

    /// Who may create a task in a queue, by hand or by routing.
    public static let create: [Party] = [.queueMember, .queueSupervisor, .admin, .service]

    /// Who may open a task's detail (anyone else only by breaking the glass, see ``Workflow/view(_:by:access:at:breakGlass:)``).
    public static let view: [Party] = [.queueMember, .owner, .queueSupervisor, .admin, .service]

    /// The rule for `action`; every action but `create` and `view` has one.
    public static func rule(for action: ActionKind) -> TransitionRule? { rules[action] }
}
