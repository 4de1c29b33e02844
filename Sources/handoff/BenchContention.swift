import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff bench contention`: many processes changing the same tasks at once, against the rate at which
/// one process commits on the same disk, and proof that no change was lost.
struct BenchContention: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contention",
        abstract: "Measure task changes from many processes on shared tasks against the single-writer commit rate.",
        discussion: """
            Creates DB (refused if it exists, unless --force) with one coordinator per process, all members \
            of one queue, and --tasks tasks in it; you become its admin. First measures the single-writer \
            commit rate on the same disk: --commits one-row INSERT transactions, one after another, to a \
            scratch file beside DB (DB-commit-rate, removed afterwards) with the store's settings (WAL, \
            synchronous=FULL). Then starts --processes writer processes of this binary and lets them go at \
            once: each, as its own coordinator, attempts --actions actions on tasks drawn from its own \
            seeded sequence (claim, pend, resume, release on its own tasks; a note on others'), one \
            transaction each with the version it read; a conflict is counted, not retried. Prints one table \
            with the goals; exits 1 when a writer failed, an action failed with an unexpected error, or the \
            audit records and task versions do not account for every successful action. Build in release \
            mode: swift build -c release --product handoff.
            """)

    @Option(help: ArgumentHelp("The new database file to create.", valueName: "path")) var db: String
    @Option(help: ArgumentHelp("How many writer processes.", valueName: "n")) var processes = 16
    @Option(help: ArgumentHelp("Actions each process attempts.", valueName: "n")) var actions = 1_000
    @Option(help: ArgumentHelp("How many tasks the processes share.", valueName: "n")) var tasks = 200
    @Option(help: ArgumentHelp("The seed of the processes' choices.", valueName: "s")) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("One-row transactions of the single-writer baseline.", valueName: "n")) var commits = 2_000
    @Option(help: ArgumentHelp("Also write the figures as JSON to this file (for 'bench run').", valueName: "path")) var figures: String?
    @Flag(help: "Replace DB (and its -wal and -shm files, and a scratch file left by an earlier run) if it exists.")
    var force = false

    func validate() throws {
        guard (1...256).contains(processes) else { throw ValidationError("--processes must be between 1 and 256, not \(processes)") }
        guard (1...100_000).contains(tasks) else { throw ValidationError("--tasks must be between 1 and 100,000, not \(tasks)") }
        guard actions > 0, commits > 0 else { throw ValidationError("--actions and --commits must be positive") }
    }

    func run() throws {
        let scratch = db + "-commit-rate"
        try Bench.clear(db, force: force)
        try Bench.clear(scratch, force: force)
        let workload = ContentionWorkload(writers: processes, tasks: tasks, seed: seed)
        let me = try SystemIdentity.currentUserName()
        let origin = SystemIdentity.origin()
        let store = try HandoffStore.openOrCreate(at: db)
        try workload.setUp(store, admin: me, displayName: SystemIdentity.currentDisplayName() ?? me, origin: origin, at: Date())
        let admin = try store.read { try $0.actor(named: me, origin: origin) }

        Self.progress("single writer: \(commits) one-row transactions")
        let baseline = try CommitRate.measure(scratch: scratch, commits: commits)
        let before = try ContentionLedger.read(store, workload: workload, as: admin)
        Self.progress("\(processes) writers × \(actions) actions on \(tasks) shared tasks")
        let run = try runWriters(workload)
        let after = try ContentionLedger.read(store, workload: workload, as: admin)
        let chain = try store.read { try $0.verifyAudit() }
        try store.close()

        let report = ContentionReport(workload: workload, actionsPerWriter: actions, tallies: run.tallies, unfinished: run.unfinished,
                                      elapsed: run.elapsed, baseline: (commits, baseline), before: before, after: after, chain: chain)
        print(Self.table(report))
        if let figures { try BenchmarkFigure.write(Self.figures(report), to: figures) }
        let problems = report.problems
        guard problems.isEmpty else { throw CommandFailure(problems.joined(separator: "; ")) }
    }

    // MARK: - Writer processes

    /// Starts one writer process per writer, lets them all go at once once every one is ready, and waits
    /// for them: their tallies, the writers that did not finish, and the time from the start signal until
    /// the last writer exited.
    private func runWriters(_ workload: ContentionWorkload) throws -> (tallies: [ContentionTally], unfinished: [String], elapsed: Duration) {
        let manager = FileManager.default
        let folder = manager.temporaryDirectory.appendingPathComponent("handoff-contention-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? manager.removeItem(atPath: folder) }
        var writers: [(process: Process, start: Pipe, ready: Pipe, tally: String)] = []
        // On the way out of a failed start, no writer is left behind.
        defer { for writer in writers where writer.process.isRunning { writer.process.terminate(); writer.process.waitUntilExit() } }
        for index in 0..<workload.writers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Locations.runningBinary)
            let tally = folder + "/\(ContentionWorkload.writer(index)).json"
            process.arguments = ["bench", "contention-writer", "--db", db, "--index", String(index), "--actions", String(actions),
                                 "--seed", String(seed), "--tally", tally]
            let start = Pipe(), ready = Pipe()
            process.standardInput = start
            process.standardOutput = ready
            try process.run()
            writers.append((process, start, ready, tally))
        }
        for (index, writer) in writers.enumerated() {
            guard Self.firstLine(of: writer.ready.fileHandleForReading) == "ready" else {
                throw CommandFailure("writer \(ContentionWorkload.writer(index)) did not start (see its message above)")
            }
        }
        // A writer that dies now must not take this process with it: its pipe then reports EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        let clock = ContinuousClock()
        let started = clock.now
        for writer in writers {
            try? writer.start.fileHandleForWriting.write(contentsOf: Data("go\n".utf8))
            try? writer.start.fileHandleForWriting.close()
        }
        writers.forEach { $0.process.waitUntilExit() }
        let elapsed = clock.now - started

        var tallies: [ContentionTally] = [], unfinished: [String] = []
        for (index, writer) in writers.enumerated() {
            if writer.process.terminationStatus == 0, let data = manager.contents(atPath: writer.tally),
               let tally = try? JSONDecoder().decode(ContentionTally.self, from: data) {
                tallies.append(tally)
            } else {
                unfinished.append(ContentionWorkload.writer(index))
            }
        }
        return (tallies, unfinished, elapsed)
    }

    /// The first line `handle` delivers, without its newline (what came before the end, if none).
    private static func firstLine(of handle: FileHandle) -> String {
        var bytes = Data()
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk)
        }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    private static func progress(_ message: String) {
        FileHandle.standardError.write(Data("bench contention: \(message)\n".utf8))
    }

    // MARK: - The table

    /// The report as one table: measurement, figure, goal.
    static func table(_ report: ContentionReport) -> String {
        let number = { (value: Int) in value.formatted() }
        let rate = { (value: Double) in Int(value.rounded()).formatted() }
        let verdict = { (met: Bool) in met ? "met" : "MISSED" }
        let workload = report.workload
        let succeeded = report.count(.succeeded)
        let latency = report.latency, conflicts = report.conflictLatency
        let seconds = report.elapsed / .seconds(1)
        let byAction = report.succeededByAction.map { "\($0.action) \(number($0.count))" }.joined(separator: ", ")
        let lost = report.nothingLost ? "zero lost"
            : "audit \(signed(report.auditAdded - succeeded)), versions \(signed(report.versionsAdvanced - succeeded)) against successes"
                + (report.unfinished.isEmpty ? "" : "; \(report.unfinished.count) writers unfinished")
        let chain = report.chain.firstBreak == nil ? "intact, \(number(report.chain.records)) records" : "BROKEN"
        let rows: [[String]] = [
            ["cores", String(ProcessInfo.processInfo.activeProcessorCount), ""],
            ["processes × actions", "\(workload.writers) × \(number(report.actionsPerWriter)) on \(number(workload.tasks)) shared tasks", ""],
            ["successful actions", number(succeeded), ""],
            ["  by action", byAction.isEmpty ? "none" : byAction, ""],
            ["conflicts", "\(number(report.count(.conflict))) (reported to the writer, not retried)", ""],
            ["refused by the rules", number(report.count(.refused)), ""],
            ["other errors", number(report.count(.failed)), ""],
            ["wall time", String(format: "%.2f s (start signal to the last writer's exit)", seconds), ""],
            ["actions/s", rate(report.actionsPerSecond), ""],
            ["single-writer commits/s", "\(rate(report.commitsPerSecond)) (\(number(report.baseline.commits)) one-row INSERTs, synchronous=FULL)", ""],
            ["actions/s ÷ commits/s", String(format: "%.0f %%", report.ratio * 100),
             String(format: "≥ %.0f %%: ", ContentionReport.ratioGoal * 100) + verdict(report.ratioMet)],
            ["latency p50", BenchConsole.format(latency.median), ""],
            ["latency p99", BenchConsole.format(latency.p99), "≤ \(BenchConsole.format(ContentionReport.latencyGoal)): \(verdict(report.latencyMet))"],
            ["conflict latency p50 / p99", "\(BenchConsole.format(conflicts.median)) / \(BenchConsole.format(conflicts.p99))", ""],
            ["audit records added", number(report.auditAdded), "= successful actions"],
            ["task versions advanced", number(report.versionsAdvanced), "= successful actions"],
            ["audit chain", chain, ""],
            ["lost", lost, "zero: \(verdict(report.nothingLost))"],
        ]
        var text = TextTable(headers: ["measurement", "figure", "goal"], rows: rows).render(maxColumnWidth: 80)
        text += "\nLatency: one action's write transaction, from asking for the write lock to the commit (successful actions)."
        if workload.writers != ContentionReport.goalWriters {
            text += "\nThe goals are stated for \(ContentionReport.goalWriters) processes; this run had \(workload.writers)."
        }
        return text
    }

    /// The lines of the benchmark table the report gives, with their goals.
    static func figures(_ report: ContentionReport) -> [BenchmarkFigure] {
        let rate = { (value: Double) in Int(value.rounded()).formatted() }
        let workload = report.workload
        let succeeded = report.count(.succeeded)
        return [
            BenchmarkFigure(.transitions, "\(workload.writers) processes × \(report.actionsPerWriter.formatted()) actions on \(workload.tasks) tasks",
                            "\(rate(report.actionsPerSecond)) actions/s (\(succeeded.formatted()) done, \(report.count(.conflict).formatted()) conflicts)"),
            BenchmarkFigure(.transitions, "one writer, one-row commits, same disk", "\(rate(report.commitsPerSecond)) commits/s"),
            BenchmarkFigure(.transitions, "actions/s ÷ commits/s", String(format: "%.0f %%", report.ratio * 100),
                            goal: String(format: "≥ %.0f %%", ContentionReport.ratioGoal * 100), met: report.ratioMet),
            BenchmarkFigure(.transitions, "latency of an action, p50 / p99",
                            "\(BenchmarkFigure.milliseconds(report.latency.median)) / \(BenchmarkFigure.milliseconds(report.latency.p99))",
                            goal: "p99 ≤ \(BenchmarkFigure.milliseconds(ContentionReport.latencyGoal))", met: report.latencyMet),
            BenchmarkFigure(.transitions, "lost (audit records and versions = successes)",
                            report.nothingLost ? "zero" : "\(report.auditAdded - succeeded) audit, \(report.versionsAdvanced - succeeded) versions",
                            goal: "zero", met: report.nothingLost),
        ]
    }

    private static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }
}

extension BenchContention {
    /// `handoff bench contention-writer`: one writer process of `bench contention`, which starts it; not
    /// for use by hand (hidden from help). Says `ready` on stdout once it has read its tasks, waits for `go`
    /// on stdin, attempts its actions and writes its tally as JSON.
    struct Writer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contention-writer",
            abstract: "One writer process of 'handoff bench contention', which starts it.",
            shouldDisplay: false)

        @Option(help: ArgumentHelp("A database made by 'handoff bench contention'.", valueName: "path")) var db: String
        @Option(help: ArgumentHelp("Which writer (from 0).", valueName: "n")) var index: Int
        @Option(help: ArgumentHelp("Actions to attempt.", valueName: "n")) var actions: Int
        @Option(help: ArgumentHelp("The seed of the run.", valueName: "s")) var seed: UInt64
        @Option(help: ArgumentHelp("The file to write the tally to.", valueName: "path")) var tally: String

        func validate() throws {
            guard index >= 0, actions > 0 else { throw ValidationError("--index must not be negative, --actions must be positive") }
        }

        func run() throws {
            let store = try HandoffStore.open(at: db)
            guard try store.read({ try ContentionWorkload.madeIt($0) }) else {
                throw CommandFailure("\(db) was not made by 'handoff bench contention': a writer changes only its databases")
            }
            let actor = try store.read { try $0.actor(named: ContentionWorkload.writer(index), origin: "bench") }
            let tasks = try store.read { try ContentionWorkload.sharedTasks(in: $0, visibleTo: actor) }.map(\.id)
            guard !tasks.isEmpty else { throw CommandFailure("\(db) has no shared tasks") }
            var writer = ContentionWorker(store: store, actor: actor, tasks: tasks, seed: seed, index: index)
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            guard readLine() == "go" else { throw CommandFailure("no start signal from 'handoff bench contention'") }
            let result = writer.run(actions: actions) { Date() }
            try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: tally))
        }
    }
}
