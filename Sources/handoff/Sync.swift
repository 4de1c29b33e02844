import ArgumentParser
import Dispatch
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync

/// `handoff sync`: the background sync worker and its status.
struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the sync worker that turns canonical events into tasks, or show its status.",
        subcommands: [SyncRun.self, SyncStatus.self, SyncReplay.self],
        defaultSubcommand: SyncRun.self)
}

/// `handoff sync [run]`: the worker in the foreground.
struct SyncRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Pull events from the spool directory (and an HTTP feed) and apply them (the default of 'handoff sync').",
        discussion: """
            Only a user with the service role may run the worker (in production, the account a systemd unit runs \
            'handoff sync' as). One worker per database works at a time. SIGTERM or SIGINT finish the current batch \
            and stop. Logs go to stderr: ids, types, references and trace ids, never payloads.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var worker: WorkerOptions
    @OptionGroup var logging: LogLevelOption
    @Flag(help: "Drain what is in the spool now, then exit.") var once = false
    @Flag(help: "If another worker runs on this database, wait for it to end instead of exiting.") var wait = false
    @Option(help: ArgumentHelp("How often to look for new events when idle, in whole seconds, e.g. 1s or 5s.", valueName: "duration"))
    var poll = "1s"

    func validate() throws {
        try worker.validate()
        guard let seconds = DurationText.seconds(poll), seconds > 0 else { throw ValidationError("--poll: '\(poll)' is not a positive duration like 1s or 5s") }
    }

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeWorker(session.actor)
        let lock = try WorkerLock(database: session.store.path, wait: wait)
        defer { lock.release() }
        logging.logToStandardError()
        let worker = try self.worker.make(session: session, spoolDefault: Locations.current.defaultSpool)
        if once {
            let tally = try worker.drain()
            try worker.heartbeat(status: "stopped after --once")
            print(SyncRun.summary(tally))
            return
        }
        let stop = StopSignal()
        SyncLoop(job: worker, poll: DurationText.seconds(poll) ?? 1)
            .run(stopRequested: { stop.requested }, wait: { stop.wait(seconds: $0) })
    }

    static func summary(_ tally: SyncTally) -> String {
        "received \(tally.received): created \(tally.created) tasks, changed \(tally.changed), ignored \(tally.ignored), " +
            "duplicates \(tally.duplicates), waiting for their task \(tally.parked), dead-lettered \(tally.deadLettered), retries \(tally.retries)"
            + (tally.escalations > 0 ? ", SLA escalations \(tally.escalations)" : "")
    }
}

/// Options of the worker shared by `sync run` and the demo.
struct WorkerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The spool directory ($HANDOFF_SPOOL, else ~/.local/share/handoff/spool).", valueName: "dir"))
    var spool: String?
    @Option(help: ArgumentHelp("The routes file ($HANDOFF_ROUTES, else ~/.config/handoff/routes.yaml, else SampleData/routes.yaml).", valueName: "file"))
    var routes: String?
    @Option(name: .customLong("park-timeout"), help: ArgumentHelp("How long an out-of-order event waits for its task before it is dead-lettered.", valueName: "duration"))
    var parkTimeout = "10m"
    @Option(name: .customLong("partial-timeout"), help: ArgumentHelp("How long a spool file's last line may stay without its newline before it is dead-lettered.", valueName: "duration"))
    var partialTimeout = "30s"
    @Option(help: ArgumentHelp("Also pull from an HTTP feed: GET URL?after=CURSOR returning {\"events\": [...], \"next\": CURSOR}.", valueName: "url"))
    var feed: String?
    @Option(name: .customLong("feed-timeout"), help: ArgumentHelp("How long one feed request may take.", valueName: "duration"))
    var feedTimeout = "10s"

    func validate() throws {
        if let feed {
            guard let url = URL(string: feed), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--feed: '\(feed)' is not an http:// or https:// URL")
            }
        }
        for (name, value) in [("--park-timeout", parkTimeout), ("--partial-timeout", partialTimeout), ("--feed-timeout", feedTimeout)] {
            guard let seconds = DurationText.seconds(value), seconds >= 0 else {
                throw ValidationError("\(name): '\(value)' is not a duration like 10m, 30s or 1h")
            }
        }
    }

    func routesFile() throws -> String {
        guard let file = routes ?? Locations.current.routesFile() else {
            throw CommandFailure("no routes file: give --routes FILE (the sample one is SampleData/routes.yaml)")
        }
        return file
    }

    /// A worker on `session`'s database reading the spool (created if missing).
    func make(session: Session, spoolDefault: String) throws -> SyncWorker {
        let routes = try SyncSetup.routes(file: try routesFile(), store: session.store)
        // Installed, the spool is the configuration's: never a directory a person names, whose files the
        // worker would read and move with the group's rights. (Routes files are read with the person's own.)
        try InstalledRules.refuseInstalled("--spool", spool)
        let directory = spool ?? spoolDefault
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var sources: [any EventSource] = [SpoolSource(directory: directory, partialLineTimeout: DurationText.seconds(partialTimeout) ?? 30)]
        if let feed, let url = URL(string: feed) {
            sources.append(HTTPFeedSource(url: url, timeout: DurationText.seconds(feedTimeout) ?? 10))
        }
        return try SyncSetup.worker(store: session.store, routes: routes, actor: session.actor, sources: sources,
                                    parkTimeout: DurationText.seconds(parkTimeout) ?? 600)
    }
}

/// SIGTERM and SIGINT ask the worker to stop after its current batch.
final class StopSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false
    private var sources: [any DispatchSourceSignal] = []

    init() {
        // A parent may start us with these signals blocked (the mask is inherited): unblock them, or a
        // stop request would stay pending for ever.
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGTERM, SIGINT] { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool { lock.withLock { stopped } }

    func request() {
        lock.withLock { stopped = true }
        semaphore.signal()
    }

    /// Waits up to `seconds`, returning early when a stop is requested.
    func wait(seconds: Double) {
        guard !requested else { return }
        _ = semaphore.wait(timeout: .now() + seconds)
    }
}

/// `handoff sync status`.
struct SyncStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the worker's counters, lag and last error.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try Session.open(options)
        let report = try session.store.read { try SyncStatusReport.read($0, now: session.now) }
        switch format {
        case .table: print(report.lines(now: session.now).joined(separator: "\n"))
        case .json: print(try JSONOutput.render(report))
        }
    }
}

/// `handoff sync replay --since TIME`.
struct SyncReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Apply logged events again with the current routes (those ignored or dead before); never duplicates.")

    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Events received since this time: RFC 3339, or a duration back from now (2h, 3d).", valueName: "time"))
    var since: String
    @Option(help: ArgumentHelp("The routes file.", valueName: "file")) var routes: String?
    @Option(name: .customLong("service-account"), help: ArgumentHelp("The service account the changes are attributed to.", valueName: "user"))
    var serviceAccount = "handoff-sync"

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeDeadLetterHandling(session.actor)
        guard let start = Timestamp.parse(since) ?? DurationText.seconds(since).map({ session.now.addingTimeInterval(-$0) }) else {
            throw ValidationError("--since: '\(since)' is neither an RFC 3339 time nor a duration like 2h")
        }
        let file = try routes ?? Locations.current.routesFile() ?? { throw CommandFailure("no routes file: give --routes FILE") }()
        let ingestor = try SyncSetup.replayIngestor(routesFile: file, store: session.store, serviceAccount: serviceAccount,
                                                    requestedBy: session.actor)
        var tally = SyncTally()
        var after: Int64 = 0
        while true {
            let batch = try session.store.read { try $0.loggedEvents(since: start, afterSeq: after) }
            guard let last = batch.last else { break }
            after = last.seq
            let outcomes = try session.store.write { db in try batch.map { try ingestor.reapply($0, in: db, at: session.now) } }
            for outcome in outcomes { tally.count(outcome) }
        }
        print("replayed since \(Timestamp.format(start)): " + SyncRun.summary(tally).replacingOccurrences(of: "duplicates", with: "already applied"))
    }
}
