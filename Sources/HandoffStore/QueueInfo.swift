import Foundation
import HandoffCore

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
}
