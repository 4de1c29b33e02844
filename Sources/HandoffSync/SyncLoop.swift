import Foundation

/// The run loop of a background job (``PollingJob``), shared by `handoff sync`, `handoff outbound publish`
/// and the demo's background worker: a heartbeat every ten seconds, one batch at a time, a pause when
/// there is nothing to do, and a growing pause (up to 30 s) after failures of the machinery, each
/// recorded as the last error.
public struct SyncLoop: Sendable {
    /// How often the job says it is alive.
    public static let heartbeatInterval: TimeInterval = 10

    public let job: any PollingJob
    /// The job's status line while it runs, e.g. `running`.
    public let status: String
    /// How long to wait when there is nothing to do.
    public let poll: TimeInterval
    /// Work to do before each step (the demo releases its next sample event here).
    public let beforeStep: @Sendable (Date) throws -> Void

    public init(job: any PollingJob, status: String = "running", poll: TimeInterval,
                beforeStep: @escaping @Sendable (Date) throws -> Void = { _ in }) {
        self.job = job
        self.status = status
        self.poll = poll
        self.beforeStep = beforeStep
    }

    /// Runs until `stopRequested` says so; `wait` pauses and must return early when a stop is requested.
    public func run(stopRequested: () -> Bool, wait: (TimeInterval) -> Void) {
        var lastBeat = Date.distantPast
        var failures = 0
        while !stopRequested() {
            do {
                let now = Date()
                if now.timeIntervalSince(lastBeat) >= Self.heartbeatInterval {
                    try job.heartbeat(status: status)
                    lastBeat = now
                }
                try beforeStep(now)
                if try !job.poll() { wait(poll) }
                failures = 0
            } catch {
                failures += 1
                job.recordError(String(describing: error))
                wait(min(30, pow(2, Double(failures))))
            }
        }
        try? job.heartbeat(status: "stopped")
    }
}
