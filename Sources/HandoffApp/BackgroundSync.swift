import Foundation
import HandoffSync

/// Runs a sync worker (and, in the demo, the feeder that plays the integration layer) on a
/// background thread of the console's process. The worker never touches the terminal; the
/// console sees its work through the database, like any other session's.
public final class BackgroundSync: @unchecked Sendable {
    private let worker: SyncWorker
    private let feeder: DemoFeeder?
    private let lock: WorkerLock
    private let poll: TimeInterval
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let state = NSLock()
    private var stopping = false

    /// How often the worker says it is alive.
    static let heartbeatInterval: TimeInterval = 10

    /// `lock` must already be held: only one worker works on a database.
    public init(worker: SyncWorker, feeder: DemoFeeder?, lock: WorkerLock, poll: TimeInterval = 0.5) {
        self.worker = worker
        self.feeder = feeder
        self.lock = lock
        self.poll = poll
    }

    /// Starts the thread.
    public func start() {
        let thread = Thread { [self] in
            var lastBeat = Date.distantPast
            var failures = 0
            while !isStopping {
                do {
                    let now = Date()
                    if now.timeIntervalSince(lastBeat) >= Self.heartbeatInterval {
                        try worker.heartbeat(status: feeder == nil ? "running" : "running, demo feed")
                        lastBeat = now
                    }
                    _ = try feeder?.releaseIfDue(now: now)
                    if try worker.step() == nil { _ = wake.wait(timeout: .now() + poll) }
                    failures = 0
                } catch {
                    failures += 1
                    worker.recordError(String(describing: error))
                    _ = wake.wait(timeout: .now() + min(30, pow(2, Double(failures))))
                }
            }
            try? worker.heartbeat(status: "stopped")
            lock.release()
            finished.signal()
        }
        thread.name = "handoff-sync"
        thread.start()
    }

    private var isStopping: Bool { state.withLock { stopping } }

    /// Asks the thread to finish its current batch and waits until it has.
    public func stop() {
        state.withLock { stopping = true }
        wake.signal()
        finished.wait()
    }
}
