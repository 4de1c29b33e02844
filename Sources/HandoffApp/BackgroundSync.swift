import Foundation
import HandoffSync

/// Runs a sync worker (and, in the demo, the feeder that plays the integration layer, and the outbound
/// publisher) on background threads of the console's process. The jobs never touch the terminal; the
/// console sees their work through the database, like any other session's.
public final class BackgroundSync: @unchecked Sendable {
    /// One job on its thread, with the lock that makes it the only one of its kind on the database.
    private struct Runner {
        let loop: SyncLoop
        let lock: WorkerLock
        let name: String
    }

    private let runners: [Runner]
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let state = NSLock()
    private var stopping = false

    /// `lock` (and `publisher`'s lock) must already be held: only one of each job works on a database.
    public init(worker: SyncWorker, feeder: DemoFeeder?, lock: WorkerLock,
                publisher: (job: OutboundPublisher, lock: WorkerLock)? = nil, poll: TimeInterval = 0.5) {
        var runners = [Runner(loop: SyncLoop(job: worker, status: feeder == nil ? "running" : "running, demo feed", poll: poll) { [feeder] now in
            _ = try feeder?.releaseIfDue(now: now)
        }, lock: lock, name: "handoff-sync")]
        if let publisher {
            runners.append(Runner(loop: SyncLoop(job: publisher.job, poll: poll), lock: publisher.lock, name: "handoff-outbound"))
        }
        self.runners = runners
    }

    /// Starts the threads.
    public func start() {
        for runner in runners {
            let thread = Thread { [self] in
                runner.loop.run(stopRequested: { isStopping }, wait: { _ = wake.wait(timeout: .now() + $0) })
                runner.lock.release()
                finished.signal()
            }
            thread.name = runner.name
            thread.start()
        }
    }

    private var isStopping: Bool { state.withLock { stopping } }

    /// Asks the threads to finish their current batch and waits until they have.
    public func stop() {
        state.withLock { stopping = true }
        for _ in runners {
            wake.signal()
        }
        for _ in runners { finished.wait() }
    }
}
