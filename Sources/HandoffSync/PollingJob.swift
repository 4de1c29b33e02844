/// Background work a ``SyncLoop`` runs: the sync worker, the outbound publisher.
public protocol PollingJob: AnyObject, Sendable {
    /// Does what there is to do now, one batch; `false` when there was nothing.
    func poll() throws -> Bool
    /// Notes that the job is alive, and its status line.
    func heartbeat(status: String) throws
    /// Records a failure of the machinery (not of one event) as the job's last error.
    func recordError(_ message: String)
}
