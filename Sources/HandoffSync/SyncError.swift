/// A failure of the sync machinery itself (not of one event), worded for the operator.
public enum SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spool directory cannot be used.
    case spool(String)
    /// Another process runs `job` (e.g. the sync worker) on the database.
    case anotherWorker(job: String, pid: String, database: String)
    /// The HTTP feed failed.
    case feed(String)

    public var description: String {
        switch self {
        case let .spool(problem): "spool: \(problem)"
        case let .anotherWorker(job, pid, database):
            "another \(job) (pid \(pid)) is running on \(database); only one works at a time — stop it, or start this one with --wait to take over when it ends"
        case let .feed(problem): "feed: \(problem)"
        }
    }
}
