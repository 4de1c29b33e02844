import Foundation

/// Everything needed to act on one task: the task, its notes and its history.
public struct TaskDetail: Hashable, Sendable {
    public var task: WorkTask
    public var notes: [Note]
    public var history: [StoredAudit]
    /// Display names of the people named in the task, notes and history.
    public var displayNames: [String: String]

    public init(task: WorkTask, notes: [Note], history: [StoredAudit], displayNames: [String: String]) {
        self.task = task
        self.notes = notes
        self.history = history
        self.displayNames = displayNames
    }
}

/// A note on a task.
public struct Note: Hashable, Sendable {
    public var author: String
    public var time: Date
    public var text: String

    public init(author: String, time: Date, text: String) {
        self.author = author
        self.time = time
        self.text = text
    }
}
