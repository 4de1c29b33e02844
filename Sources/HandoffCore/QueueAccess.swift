/// How an actor stands towards one queue: the facts the rules need, gathered by the caller.
public struct QueueAccess: Hashable, Sendable {
    /// The queue's name.
    public var queue: String
    /// Whether work in this queue must be signed off by a clinical reviewer.
    public var requiresReview: Bool
    /// Whether the actor is a member of the queue.
    public var isMember: Bool
    /// Whether the actor supervises the queue.
    public var isSupervisor: Bool

    public init(queue: String, requiresReview: Bool, isMember: Bool, isSupervisor: Bool) {
        self.queue = queue
        self.requiresReview = requiresReview
        self.isMember = isMember
        self.isSupervisor = isSupervisor
    }

    /// The access of someone who broke the glass: for one audited action, as if a member and a supervisor
    /// of the queue (their roles still decide what they may do).
    var withGlassBroken: QueueAccess {
        var access = self
        access.isMember = true
        access.isSupervisor = true
        return access
    }
}
