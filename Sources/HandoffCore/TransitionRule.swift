/// One row of the workflow table: from which states an action is legal,
/// where it leads, and who may take it.
public struct TransitionRule: Sendable {
    /// Where an action leads.
    public enum Target: Sendable, Hashable {
        /// The state does not change.
        case same
        /// Always this state.
        case state(TaskState)
        /// `assigned` from `queued`; otherwise the state does not change (reassign).
        case assignedOrSame
        /// `in-progress` when the task has an owner, else `queued`.
        case ownedOrQueued
        /// As `ownedOrQueued`, or `queued` when the return asks for it.
        case returned
        /// Decided by the exception's resolution outcome.
        case resolution
    }

    /// Whether the action depends on the queue's review setting.
    public enum ReviewRule: Sendable, Hashable {
        case any
        /// Only in queues that require review.
        case reviewQueuesOnly
        /// Only in queues without review.
        case nonReviewQueuesOnly
    }

    public let from: Set<TaskState>
    public let target: Target
    public let who: [Party]
    public let review: ReviewRule

    public init(from: Set<TaskState>, to target: Target, who: [Party], review: ReviewRule = .any) {
        self.from = from
        self.target = target
        self.who = who
        self.review = review
    }
}
