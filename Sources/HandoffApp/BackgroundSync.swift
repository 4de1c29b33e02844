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

    /// `lock` must already be held: only one worker works on a database.
    public init(worker: SyncWorker, feeder: DemoFeeder?, lock: WorkerLock, poll: TimeInterval = 0.5) {
        self.worker = worker
        self.feeder = feeder
        self.lock = lock
        self.poll = poll
    }

    /// Starts the thread.
    public func start() {
        let loop = SyncLoop(worker: worker, status: feeder == nil ? "running" : "running, demo feed", poll: poll) { [feeder] now in
            _ = try feeder?.releaseIfDue(now: now)
        }
        let thread = Thread { [self] in
            loop.run(stopRequested: { isStopping }, wait: { _ = wake.wait(timeout: .now() + $0) })
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
