import Foundation

/// Which audit records to list: those of a task, an actor, since a time; the newest `limit`, oldest first.
public struct AuditQuery: Hashable, Sendable {
    public var task: TaskID?
    public var actor: String?
    public var since: Date?
    public var limit: Int

    public init(task: TaskID? = nil, actor: String? = nil, since: Date? = nil, limit: Int = 1_000) {
        self.task = task
        self.actor = actor
        self.since = since
        self.limit = limit
    }
}
