import Foundation
import HandoffCore

/// Everything needed to act on one task: the task, its notes and its history.
public struct TaskDetail: Hashable, Sendable {
    public var task: WorkTask
    public var notes: [Note]
    public var history: [StoredAudit]
    /// Display names of the people named in the task, notes and history.
    public var displayNames: [String: String]
}

/// A note on a task.
public struct Note: Hashable, Sendable {
    public var author: String
    public var time: Date
    public var text: String
}
