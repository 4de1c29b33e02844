import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff bench run`: the whole benchmark suite, one table.
struct BenchRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole benchmark suite on a generated database and print one table with the goals.",
        discussion: """
            In DIR (made for the purpose; one an earlier run made is reused): generates a database of --tasks \
            tasks and a spool of --events events (bench generate; kept and reused by later runs of the same \
            seed and sizes with --reuse), then runs, each in its own process of this binary, bench console \
            (first frame, key to frame, bytes to the terminal, peak memory), bench dashboard, bench contention \
            (--processes writers on a scratch database) and bench ingest (the spool into a copy of the \
            database, beside sqlite3). Each one's own report goes to stderr; stdout gets the one table. Exits \
            1 when a benchmark failed (never for a missed goal). Run it from a release build: \
            swift run -c release handoff bench run
            """)

    @Option(help: ArgumentHelp("The directory for the databases, spool and reports.", valueName: "dir"))
    var dir = FileManager.default.temporaryDirectory.appendingPathComponent("handoff-bench").path
    @Option(help: ArgumentHelp("Tasks in the generated database.", valueName: "n")) var tasks = 1_000_000
    @Option(help: ArgumentHelp("Events in the spool the worker ingests.", valueName: "m")) var events = 200_000
    @Option(help: ArgumentHelp("Writer processes of the contention figure.", valueName: "n")) var processes = 16
    @Option(help: ArgumentHelp("Actions per writer process.", valueName: "n")) var actions = 1_000
    @Option(help: ArgumentHelp("Key presses per console measurement.", valueName: "n")) var presses = 500
    @Option(help: ArgumentHelp("Dashboard reads per measurement.", valueName: "n")) var runs = 10
    @Option(help: ArgumentHelp("The seed of the workload, the events and the writers.", valueName: "s")) var seed: UInt64 = 1
    @Flag(help: "Keep the database and spool an earlier run generated with the same seed and sizes instead of generating them again.")
    var reuse = false

    static let marker = ".handoff-bench"

    func validate() throws {
        guard tasks > 0, events > 0, processes > 0, actions > 0, presses > 0, runs > 0 else {
            throw ValidationError("--tasks, --events, --processes, --actions, --presses and --runs must be positive")
        }
    }

    func run() throws {
        try prepareDirectory()
        let database = dir + "/bench.db", spool = dir + "/bench.db-spool"
        let ready = try reuse && generated(database, spool: spool)
        if !ready {
            try child("generate", ["bench", "generate", "--tasks", String(tasks), "--events", String(events), "--seed", String(seed),
                                   "--db", database, "--spool", spool, "--force"])
        }
        var figures: [BenchmarkFigure] = []
        var failures: [String] = []
        func measure(_ name: String, _ arguments: [String]) {
            let report = dir + "/\(name).json"
            try? FileManager.default.removeItem(atPath: report)
            do {
                try child(name, arguments + ["--figures", report])
                figures += try BenchmarkFigure.read(from: report)
            } catch {
                failures.append("bench \(name): \(error)")
            }
        }
        measure("console", ["bench", "console", "--db", database, "--presses", String(presses), "--launched-at", ""])
        measure("dashboard", ["bench", "dashboard", "--db", database, "--runs", String(runs)])
        measure("contention", ["bench", "contention", "--db", dir + "/contention.db", "--force", "--processes", String(processes),
                               "--actions", String(actions), "--seed", String(seed)])
        measure("ingest", ["bench", "ingest", "--db", database, "--spool", spool, "--work", dir + "/ingest", "--seed", String(seed)])

        let table = BenchmarkTable(heading: heading(), figures: figures)
        print(table.render())
        if !table.missed.isEmpty { print("\nMISSED: \(table.missed.count) of \(figures.filter { $0.met != nil }.count) goals.") }
        guard failures.isEmpty else { throw CommandFailure(failures.joined(separator: "; ")) }
    }

    /// Where, when and how the figures were measured.
    private func heading() -> [String] {
        #if DEBUG
        let build = "DEBUG build: the figures mean nothing (swift run -c release handoff bench run)"
        #else
        let build = "release build"
        #endif
        let sqlite = StoreSession.sqliteLibraryVersion
        return [
            "Handoff benchmark suite — \(Timestamp.format(Date())), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
                + "SQLite \(sqlite), \(build)",
            "database: \(tasks.formatted()) generated tasks (seed \(seed)); \(events.formatted()) events; "
                + "\(processes) writers × \(actions.formatted()) actions; \(presses) presses per console measurement",
        ]
    }

    /// Makes `dir`, or checks that an earlier run made it: nothing else is ever written into.
    private func prepareDirectory() throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: dir, isDirectory: &isDirectory) {
            let ours = try isDirectory.boolValue
                && (manager.fileExists(atPath: dir + "/" + Self.marker) || manager.contentsOfDirectory(atPath: dir).isEmpty)
            guard ours else {
                throw CommandFailure("\(dir) exists and was not made by 'bench run': give a new --dir")
            }
        } else {
            try manager.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        manager.createFile(atPath: dir + "/" + Self.marker, contents: nil)
    }

    /// Whether `database` and `spool` are what this run would generate (same seed and sizes).
    private func generated(_ database: String, spool: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: database),
              let files = try? FileManager.default.contentsOfDirectory(atPath: spool), !files.isEmpty,
              try BenchIngest.countEvents(in: spool) == events else { return false }
        let store = try HandoffStore.open(at: database)
        defer { try? store.close() }
        let workload = try store.read { try $0.meta("workload") } ?? ""
        return workload.hasPrefix("synthetic: seed \(seed), \(tasks) tasks,")
    }

    /// Runs `handoff ARGUMENTS` (this binary), its output going to stderr; fails unless it exits 0. An
    /// empty `--launched-at` is filled in with the moment of launch.
    private func child(_ name: String, _ arguments: [String]) throws {
        FileHandle.standardError.write(Data("\nbench run: \(name)\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Locations.runningBinary)
        process.standardOutput = FileHandle.standardError
        let launch = arguments.firstIndex(of: "--launched-at")
        var arguments = arguments
        if let launch { arguments[launch + 1] = String(monotonicNanoseconds()) }
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure("exited with status \(process.terminationStatus)")
        }
    }
}
