import Foundation

/// A queue with its people and the number of its tasks in each state.
public struct QueueInfo: Hashable, Sendable {
    public var name: String
    public var title: String
    public var requiresReview: Bool
    public var members: [String]
    public var supervisors: [String]
    public var counts: [TaskState: Int]

    /// Tasks not completed or cancelled.
    public var openCount: Int { counts.filter { $0.key.isActive }.values.reduce(0, +) }

    public init(name: String, title: String, requiresReview: Bool, members: [String], supervisors: [String], counts: [TaskState: Int]) {
        self.name = name
        self.title = title
        self.requiresReview = requiresReview
        self.members = members
        self.supervisors = supervisors
        self.counts = counts
    }
}
