/// How an exception task is resolved.
public enum ExceptionOutcome: String, CaseIterable, Codable, Sendable {
    /// Back to the queue to be worked normally.
    case requeue
    /// The work is done.
    case completed
    /// The work cannot be done: the task is cancelled as failed.
    case failed

    /// The state a task moves to when resolved with this outcome.
    public var targetState: TaskState {
        switch self {
        case .requeue: .queued
        case .completed: .completed
        case .failed: .cancelled
        }
    }
}
