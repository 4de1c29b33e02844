import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync
import Logging

/// `handoff demo`: the demo database, seeded from SampleData the first time.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the demo database (~/.local/state/handoff/demo.db), created from SampleData the first time.",
        discussion: "You are the demo's admin; --as USER shows the demo as one of the sample users (e.g. cora, nina, sam).")

    @Flag(help: "Delete the demo database and create it again.")
    var reset = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this sample user.", valueName: "user"))
    var actAs: String?

    @Flag(help: "Print the queues and your work instead of opening the console.")
    var print = false

    @Flag(name: .customLong("no-sync"), help: "Do not run the sync worker and the sample event feed beside the console.")
    var noSync = false

    @Option(name: .customLong("feed-interval"),
            help: ArgumentHelp("How often the demo's integration layer releases the next sample event, e.g. 2s, 1m; 0s for all at once.", valueName: "duration"))
    var feedInterval = "2s"

    func validate() throws {
        guard let seconds = DurationText.seconds(feedInterval), seconds >= 0 else {
            throw ValidationError("--feed-interval: '\(feedInterval)' is not a duration like 2s or 1m")
        }
    }

    @Option(help: ArgumentHelp("Write the demo's sync worker's log to this file (created with mode 0600); without it, the worker does not log.", valueName: "file"))
    var log: String?

    @OptionGroup var logging: LogLevelOption

    @OptionGroup var console: ConsoleOptionsGroup

    func run() throws {
        let path = Locations.current.demoDatabase
        let manager = FileManager.default
        if reset {
            for suffix in ["", "-wal", "-shm", ".sync-lock", ".outbound-lock", ".audit-key"] where manager.fileExists(atPath: path + suffix) {
                try manager.removeItem(atPath: path + suffix)
            }
            for folder in [Locations.current.demoSpool, Locations.current.demoOutbound] where manager.fileExists(atPath: folder) {
                try manager.removeItem(atPath: folder)
            }
        }
        if !manager.fileExists(atPath: path) {
            // Seed beside it and move it into place whole, so a second terminal never sees half a demo; its
            // audit is sealed with the key file of its final place.
            let seeding = path + ".seeding-\(ProcessInfo.processInfo.processIdentifier)"
            defer { for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: seeding + suffix) } }
            let summary = try Seed.seed(path: seeding, auditKeyPath: AuditKey.path(forDatabase: path), from: nil, markAsDemo: true)
            // link() never replaces: if another terminal got there first, theirs is kept.
            if link(seeding, path) == 0 {
                Swift.print("Created the demo at \(path): \(summary.tasks) synthetic tasks in \(summary.queues) queues.\n")
            }
        }
        let session = try Session.open(path: path, actAs: actAs)
        if print { return try Overview.show(session) }
        let sync = noSync ? nil : try Self.demoSync(session.store, interval: DurationText.seconds(feedInterval) ?? 2, logger: try workerLogger())
        try console.open(session, sync: sync)
    }

    /// The console owns the terminal: the worker logs to the `--log` file, or not at all.
    private func workerLogger() throws -> Logger {
        guard let log else { return Logger(label: "handoff.demo-sync") { _ in SwiftLogNoOpLogHandler() } }
        return try LogFile(path: log).logger(label: "handoff.demo-sync", level: logging.level)
    }

    /// The worker and the sample event feed for the demo console, unless another demo console
    /// already runs them (one worker per database).
    static func demoSync(_ store: HandoffStore, interval: TimeInterval, logger: Logger) throws -> BackgroundSync? {
        guard let folder = Locations.current.sampleData(), FileManager.default.fileExists(atPath: folder + "/events"),
              let lock = try? WorkerLock(database: store.path, wait: false) else { return nil }
        let service = try store.read { try $0.actor(named: "handoff-sync", origin: "sync") }
        let spool = Locations.current.demoSpool
        let feeder = try DemoFeeder(sampleEvents: folder + "/events", spool: spool, store: store, interval: interval)
        let worker = try SyncSetup.worker(
            store: store, routes: try SyncSetup.routes(file: folder + "/routes.yaml", store: store), actor: service,
            sources: [SpoolSource(directory: spool)], parkTimeout: 120,
            logger: logger)
        // The demo's changes go back out too, when no other demo console delivers them already. Without a
        // spool it can prepare, the demo goes on without it (the events wait in the outbox).
        var publisher: (job: OutboundPublisher, lock: WorkerLock)?
        if let outboundLock = try? WorkerLock(database: store.path, job: .outbound, wait: false) {
            let job = try OutboundPublisher(store: store, directory: Locations.current.demoOutbound,
                                            logger: Logger(label: "handoff.demo-outbound", factory: { _ in logger.handler }))
            do {
                try job.prepare()
                publisher = (job, outboundLock)
            } catch {
                logger.warning("demo outbound spool unusable; events stay in the outbox", metadata: ["error": "\(error)"])
                outboundLock.release()
            }
        }
        return BackgroundSync(worker: worker, feeder: feeder, lock: lock, publisher: publisher)
    }
}
