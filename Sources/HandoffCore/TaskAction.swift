import Foundation

/// An action on an existing task, with the input it needs.
public enum TaskAction: Hashable, Sendable {
    /// Append a note; the state does not change.
    case note(String)
    /// Change the priority.
    case reprioritise(Priority)
    /// Reopen completed work: back to the queue, a new SLA cycle.
    case reopen(reason: String)
    /// Take a queued task for oneself.
    case claim
    /// Give the task to a coordinator or nurse of its queue, or to one of its supervisors (assign or reassign).
    case assign(to: Assignee, reason: String?)
    /// Give the task back to the queue.
    case release
    /// Begin working an assigned task.
    case start
    /// Wait for external data.
    case pend(reason: String, expectedBy: Date?)
    /// External data arrived: back to work.
    case resume
    /// Ask for clinical sign-off.
    case requestReview
    /// Sign off work under review.
    case approve
    /// Send work under review back: to its owner, or to the queue when `toQueue` or unowned.
    case returnFromReview(note: String, toQueue: Bool)
    /// Finish the work (queues without review).
    case complete
    /// The task cannot proceed normally.
    case raiseException(ExceptionDetail)
    /// Close an exception with an outcome and a note.
    case resolveException(ExceptionOutcome, note: String)
    /// Replace an open exception's context (its code stays).
    case updateException(context: [String: String])
    /// The work is no longer needed.
    case cancel(reason: String)
    /// Flag the task as escalated, optionally raising its priority.
    case escalate(reason: String, priority: Priority?)
    /// Move the task to another queue; its state and owner stay, and its SLA starts a new cycle there.
    case move(toQueue: String, reason: String)

    /// The action's name.
    public var kind: ActionKind {
        switch self {
        case .note: .note
        case .reprioritise: .reprioritise
        case .reopen: .reopen
        case .claim: .claim
        case .assign: .assign
        case .release: .release
        case .start: .start
        case .pend: .pend
        case .resume: .resume
        case .requestReview: .requestReview
        case .approve: .approve
        case .returnFromReview: .return
        case .complete: .complete
        case .raiseException: .raiseException
        case .resolveException: .resolveException
        case .updateException: .updateException
        case .cancel: .cancel
        case .escalate: .escalate
        case .move: .move
        }
    }
}
