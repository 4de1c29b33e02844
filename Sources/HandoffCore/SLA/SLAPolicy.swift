import Foundation

/// A queue's service levels: goals by priority, the states that pause the clock, and the
/// thresholds at which the sweeper acts.
public struct SLAPolicy: Hashable, Sendable {
    /// One goal: for tasks of a priority (or any, as the catch-all), this much working time on a calendar.
    public struct Goal: Hashable, Sendable {
        /// The priority it applies to; `nil` is the catch-all.
        public var priority: Priority?
        public var target: Target
        /// The name of the calendar the target is measured on.
        public var calendar: String

        public init(priority: Priority?, target: Target, calendar: String) {
            self.priority = priority
            self.target = target
            self.calendar = calendar
        }
    }

    /// How much working time a goal allows.
    public enum Target: Hashable, Sendable {
        /// Hours of working time, e.g. 4.
        case hours(Double)
        /// Business days: each the calendar's working hours of one day.
        case businessDays(Double)

        /// The target in seconds of working time on `calendar`.
        public func seconds(on calendar: WorkCalendar) -> TimeInterval {
            switch self {
            case let .hours(hours): hours * 3_600
            case let .businessDays(days): days * calendar.businessDay
            }
        }
    }

    /// A fraction of the target at which the sweeper acts, e.g. warning at 0.75, breach at 1.
    public struct Threshold: Hashable, Sendable {
        public var name: String
        public var fraction: Double
        public var actions: [EscalationAction]

        public init(name: String, fraction: Double, actions: [EscalationAction]) {
            self.name = name
            self.fraction = fraction
            self.actions = actions
        }
    }

    public var queue: String
    /// Tried in order; the first whose priority matches (or the catch-all) applies.
    public var goals: [Goal]
    /// States in which the clock stands still; at least `pending`.
    public var pausedStates: Set<TaskState>
    /// In increasing order of fraction.
    public var thresholds: [Threshold]
    /// What happens to a pending task whose expected-by time has passed.
    public var overdueActions: [EscalationAction]

    public init(queue: String, goals: [Goal], pausedStates: Set<TaskState> = [.pending], thresholds: [Threshold],
                overdueActions: [EscalationAction] = [.flag]) {
        self.queue = queue
        self.goals = goals
        self.pausedStates = pausedStates
        self.thresholds = thresholds.sorted { $0.fraction < $1.fraction }
        self.overdueActions = overdueActions
    }

    /// The goal for a task of `priority`: the first that names it, else the catch-all.
    public func goal(for priority: Priority) -> Goal? {
        goals.first { $0.priority == priority } ?? goals.first { $0.priority == nil }
    }
}

/// What the escalation sweeper does at a threshold; each one an audited action.
public enum EscalationAction: Hashable, Sendable {
    /// Flag the task as escalated.
    case flag
    /// Raise the priority one step (or to the given one).
    case raisePriority(to: Priority?)
    /// Move the task to another queue (e.g. `escalations`).
    case moveTo(queue: String)
    /// Give the task to a supervisor of its queue.
    case assignToSupervisor
}

extension EscalationAction: CustomStringConvertible {
    /// As the policies file spells it, e.g. `move-to escalations`.
    public var description: String {
        switch self {
        case .flag: "flag"
        case let .raisePriority(to): to.map { "raise-priority to \($0.rawValue)" } ?? "raise-priority"
        case let .moveTo(queue): "move-to \(queue)"
        case .assignToSupervisor: "assign-to-supervisor"
        }
    }
}

extension SLAPolicy {
    /// Where a task's clock stands against the thresholds at `now`: the last threshold crossed, and when
    /// the sweeper must look next — now, if a crossed threshold was not acted on yet (`done` holds those that
    /// were), else when the next one will be crossed; `nil` when the clock is stopped or paused.
    public func thresholds(of clock: SLAClock, status: SLAStatus, done: Set<String>, at now: Date) -> (crossed: String?, next: Date?) {
        let crossed = thresholds.last { status.fraction >= $0.fraction }?.name
        guard clock.ending == nil, status.stage != .paused else { return (crossed, nil) }
        if thresholds.contains(where: { status.fraction >= $0.fraction && !done.contains($0.name) }) { return (crossed, now) }
        guard let next = thresholds.first(where: { $0.fraction > status.fraction && !done.contains($0.name) }) else { return (crossed, nil) }
        var partial = clock
        partial.target = clock.target * next.fraction
        return (crossed, partial.due(at: now))
    }
}
