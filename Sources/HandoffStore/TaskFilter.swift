import HandoffCore

/// Which tasks a listing shows.
public struct TaskFilter: Hashable, Sendable {
    public var queue: String?
    public var states: Set<TaskState>?
    public var owner: String?
    public var priority: Priority?
    /// Include completed and cancelled tasks when no states are given.
    public var includeClosed: Bool
    /// At most this many tasks.
    public var limit: Int

    public init(queue: String? = nil, states: Set<TaskState>? = nil, owner: String? = nil,
                priority: Priority? = nil, includeClosed: Bool = false, limit: Int = 500) {
        self.queue = queue
        self.states = states
        self.owner = owner
        self.priority = priority
        self.includeClosed = includeClosed
        self.limit = limit
    }
}
