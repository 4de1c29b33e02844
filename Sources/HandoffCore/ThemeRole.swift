/// What a piece of the console means, which a theme gives a style.
///
/// The console draws with roles, never with colours, so every theme file styles the same meanings.
/// The raw values are the keys of a theme file's `roles` mapping.
public enum ThemeRole: String, CaseIterable, Sendable {
    /// The top bar: product, user and database.
    case title
    /// Column headings and section titles.
    case header
    /// The bottom bar: counts, key hints and messages.
    case status
    /// The row or field under the cursor.
    case selection
    /// Rows marked for an action on several tasks at once.
    case marked
    /// A row that someone else changed since it was last drawn.
    case changed
    /// An error message.
    case error
    /// Secondary text: times, ids, closed tasks.
    case muted
    case priorityRoutine = "priority-routine"
    case priorityUrgent = "priority-urgent"
    case priorityAsap = "priority-asap"
    case priorityStat = "priority-stat"
    case stateQueued = "state-queued"
    case stateAssigned = "state-assigned"
    case stateInProgress = "state-in-progress"
    case statePending = "state-pending"
    case stateReview = "state-review"
    case stateCompleted = "state-completed"
    case stateCancelled = "state-cancelled"
    case stateException = "state-exception"
    /// A due time that is comfortably ahead.
    case slaOK = "sla-ok"
    /// A due time that is close.
    case slaWarning = "sla-warning"
    /// A due time that has passed.
    case slaBreached = "sla-breached"

    /// The role that colours a task's priority.
    public static func priority(_ priority: Priority) -> ThemeRole {
        switch priority {
        case .routine: .priorityRoutine
        case .urgent: .priorityUrgent
        case .asap: .priorityAsap
        case .stat: .priorityStat
        }
    }

    /// The role that colours a task's state.
    public static func state(_ state: TaskState) -> ThemeRole {
        switch state {
        case .queued: .stateQueued
        case .assigned: .stateAssigned
        case .inProgress: .stateInProgress
        case .pending: .statePending
        case .review: .stateReview
        case .completed: .stateCompleted
        case .cancelled: .stateCancelled
        case .exception: .stateException
        }
    }

    /// For roles that must stand out without colour: the attributes that count as standing out, and
    /// the one added when a style has none of them. `nil` for roles that colour merely decorates.
    var monochromeEmphasis: (accepted: Set<ThemeAttribute>, added: ThemeAttribute)? {
        let any: Set<ThemeAttribute> = [.bold, .reverse, .underline, .standout]
        switch self {
        case .selection: return ([.reverse, .standout], .reverse)
        case .error, .slaBreached: return (any, .reverse)
        case .marked, .priorityStat: return (any, .bold)
        default: return nil
        }
    }
}
