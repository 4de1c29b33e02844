import Foundation

/// What the escalation sweeper does to one task at one moment: which thresholds it crossed and the
/// task actions that carry them out. Pure: the sweeper's shell records the thresholds and applies
/// the actions through the workflow rules, in one transaction.
public struct EscalationPlan: Hashable, Sendable {
    /// A threshold crossed, or an overdue expected-by time, named for the audit and for once-only bookkeeping.
    public struct Crossing: Hashable, Sendable {
        /// A stable key within the task's cycle, e.g. `warning` or `overdue 2026-12-01T09:00:00Z`.
        public var key: String
        /// Why, in words, e.g. `SLA warning: 75 % of 4 h used`.
        public var reason: String
        public var actions: [EscalationAction]

        public init(key: String, reason: String, actions: [EscalationAction]) {
            self.key = key
            self.reason = reason
            self.actions = actions
        }
    }

    public var crossings: [Crossing]

    /// The thresholds `task` has crossed by `now` (per `status`) and its overdue expected-by time, minus
    /// those already acted on in this cycle (`done`), in the order they were crossed.
    public static func plan(for task: WorkTask, policy: SLAPolicy, status: SLAStatus?, done: Set<String>, at now: Date) -> EscalationPlan {
        var crossings: [Crossing] = []
        if let status, task.state.isActive, status.stage != .paused || status.fraction >= 1 {
            for threshold in policy.thresholds where status.fraction >= threshold.fraction && !done.contains(threshold.name) {
                let percent = Int((threshold.fraction * 100).rounded())
                crossings.append(Crossing(key: threshold.name, reason: "SLA \(threshold.name): \(percent) % of the goal used",
                                          actions: threshold.actions))
            }
        }
        if task.state == .pending, let expected = task.expectedBy, expected <= now {
            let key = "overdue \(Timestamp.format(expected))"
            if !done.contains(key) {
                crossings.append(Crossing(key: key, reason: "expected data overdue since \(Timestamp.format(expected))",
                                          actions: policy.overdueActions))
            }
        }
        return EscalationPlan(crossings: crossings)
    }

    /// The task actions for one crossing, given the task as it stands: flag (escalate, raising the
    /// priority), then move to another queue, whatever order the policy lists them in. `assignToSupervisor`
    /// says whether the shell then gives the task to a supervisor of the queue it is in by then (see
    /// ``supervisorAssignment(of:among:reason:)``): who they are is the store's to find out.
    public static func actions(for crossing: Crossing, on task: WorkTask) -> (actions: [TaskAction], assignToSupervisor: Bool) {
        var raise: Priority?
        var flag = false
        var move: String?
        var assign = false
        for action in crossing.actions {
            switch action {
            case .flag: flag = true
            case let .raisePriority(to):
                let target = to ?? task.priority.raised ?? task.priority
                if target > task.priority { raise = max(raise ?? target, target) }
                flag = true
            case let .moveTo(queue): if queue != task.queue { move = queue }
            case .assignToSupervisor: assign = true
            }
        }
        var actions: [TaskAction] = flag ? [.escalate(reason: crossing.reason, priority: raise)] : []
        if let move { actions.append(.move(toQueue: move, reason: crossing.reason)) }
        return (actions, assign)
    }

    /// How `assign-to-supervisor` comes out for `task`, given the supervisors of its queue.
    public enum SupervisorAssignment: Hashable, Sendable {
        /// Give the task to this supervisor (the action to apply).
        case assign(TaskAction)
        /// The chosen supervisor already owns the task: nothing to do.
        case alreadyOwned(by: String)
        /// The queue has no enabled supervisor: nothing can be done.
        case noSupervisor
    }

    /// Gives `task` to the least-loaded enabled supervisor of its queue (``SupervisorLoad/leastLoaded(_:)``)
    /// with `reason` (the threshold's) — unless that supervisor owns it already, or there is none.
    public static func supervisorAssignment(of task: WorkTask, among supervisors: [SupervisorLoad], reason: String) -> SupervisorAssignment {
        guard let chosen = SupervisorLoad.leastLoaded(supervisors) else { return .noSupervisor }
        guard chosen.name != task.owner else { return .alreadyOwned(by: chosen.name) }
        return .assign(.assign(to: chosen.assignee, reason: reason))
    }
}
