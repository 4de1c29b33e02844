import Foundation

/// One pause of one of a task's SLA cycles, as the store keeps it.
public struct SLAPauseRecord: Hashable, Sendable {
    public var task: TaskID
    public var cycle: Int
    public var pause: SLAClock.Pause

    public init(task: TaskID, cycle: Int, pause: SLAClock.Pause) {
        self.task = task
        self.cycle = cycle
        self.pause = pause
    }
}
