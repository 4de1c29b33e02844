import Foundation

/// One number on the supervisor dashboard, named so that the tasks behind it can be listed (drill-down).
public enum DashboardFigure: Hashable, Sendable {
    /// Open tasks of a queue, in one state or (with `nil`) in all.
    case open(queue: String, state: TaskState?)
    /// Open tasks of a queue nobody owns.
    case unassigned(queue: String)
    /// The open tasks of a queue, oldest first (the age shown is the first one's).
    case oldest(queue: String)
    /// Open tasks past a threshold and not yet due.
    case atRisk(queue: String)
    /// Open tasks past their due time.
    case breachedNow(queue: String)
    /// Tasks whose due time passed today before they were done.
    case breachedToday(queue: String)
    /// Tasks completed today, and those of them completed late.
    case completedToday(queue: String)
    case lateToday(queue: String)
    /// Tasks created in an hour of the flow window (`nil`: the whole window).
    case arrivals(hour: Int?)
    /// Tasks completed in an hour of the flow window (`nil`: the whole window).
    case completions(hour: Int?)
    /// Tasks claimed or assigned out of a queue in the window (time to claim).
    case claims
    /// Tasks that left `pending` in the window (time pending external data).
    case pendingEnded
    /// Open work a person owns.
    case openWork(user: String)
    /// Tasks reassigned in the window (to or from `user`, or all with `nil`).
    case reassignments(user: String?)
    /// Tasks opened by break-glass in the window.
    case breakGlass

    /// A heading for the list of tasks behind the figure.
    public var title: String {
        switch self {
        case let .open(queue, state): "\(queue): open" + (state.map { ", \($0.rawValue)" } ?? "")
        case let .unassigned(queue): "\(queue): open and unassigned"
        case let .oldest(queue): "\(queue): open work, oldest first"
        case let .atRisk(queue): "\(queue): at risk (past a threshold, not yet due)"
        case let .breachedNow(queue): "\(queue): breached now (open, past due)"
        case let .breachedToday(queue): "\(queue): breached today"
        case let .completedToday(queue): "\(queue): completed today"
        case let .lateToday(queue): "\(queue): completed late today"
        case let .arrivals(hour): "arrivals" + Self.window(hour)
        case let .completions(hour): "completions" + Self.window(hour)
        case .claims: "claimed or assigned in the last 24 h (time to claim)"
        case .pendingEnded: "left pending in the last 24 h (time pending external data)"
        case let .openWork(user): "open work owned by \(user)"
        case let .reassignments(user): "reassigned in the last 24 h" + (user.map { ", to or from \($0)" } ?? "")
        case .breakGlass: "opened or acted on by break-glass in the last 24 h"
        }
    }

    private static func window(_ hour: Int?) -> String {
        guard let hour else { return " in the last 24 h" }
        let ago = DashboardScope.hours - hour
        return " \(ago)–\(ago - 1) h ago"
    }
}
