import Foundation

/// The worker's run loop, shared by `handoff sync` and the demo's background worker: a heartbeat every
/// ten seconds, one step at a time, a pause when there is nothing to do, and a growing pause (up to
/// 30 s) after failures of the machinery, each recorded as the last error.
public struct SyncLoop: Sendable {
    /// How often the worker says it is alive.
    public static let heartbeatInterval: TimeInterval = 10

    public let worker: SyncWorker
    /// The worker's status line while it runs, e.g. `running`.
    public let status: String
    /// How long to wait when there is nothing to do.
    public let poll: TimeInterval
    /// Work to do before each step (the demo releases its next sample event here).
    public let beforeStep: @Sendable (Date) throws -> Void

    public init(worker: SyncWorker, status: String = "running", poll: TimeInterval,
                beforeStep: @escaping @Sendable (Date) throws -> Void = { _ in }) {
        self.worker = worker
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
                    try worker.heartbeat(status: status)
                    lastBeat = now
                }
                try beforeStep(now)
                if try worker.step() == nil { wait(poll) }
                failures = 0
            } catch {
                failures += 1
                worker.recordError(String(describing: error))
                wait(min(30, pow(2, Double(failures))))
            }
        }
        try? worker.heartbeat(status: "stopped")
    }
}
