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

    /// The task actions for one crossing, given the task as it stands: flag (escalate), raise the priority,
    /// then move to another queue. Assigning to a supervisor is not carried out yet (named in `skipped`,
    /// for the sweeper's log).
    public static func actions(for crossing: Crossing, on task: WorkTask) -> (actions: [TaskAction], skipped: [EscalationAction]) {
        var raise: Priority?
        var flag = false
        var move: String?
        var skipped: [EscalationAction] = []
        for action in crossing.actions {
            switch action {
            case .flag: flag = true
            case let .raisePriority(to):
                let target = to ?? task.priority.raised ?? task.priority
                if target > task.priority { raise = max(raise ?? target, target) }
                flag = true
            case let .moveTo(queue): if queue != task.queue { move = queue }
            case .assignToSupervisor: skipped.append(action)
            }
        }
        var actions: [TaskAction] = flag ? [.escalate(reason: crossing.reason, priority: raise)] : []
        if let move { actions.append(.move(toQueue: move, reason: crossing.reason)) }
        return (actions, skipped)
    }
}
