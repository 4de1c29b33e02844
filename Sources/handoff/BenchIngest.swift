import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync

/// `handoff bench ingest`: events per second from a spool into a large database, beside the rate at
/// which the `sqlite3` tool inserts the same rows in one transaction on the same machine.
struct BenchIngest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Measure the sync worker's ingest rate against the raw sqlite3 insert rate of the same rows.",
        discussion: """
            Copies DB twice (it is not changed), writes a synthetic spool of --events events, runs the worker on \
            one copy, then dumps exactly the rows the worker wrote (tasks, audit records, notes, outbound events, inbox, dead \
            letters) as INSERT statements and times `sqlite3` applying them to the other copy in one transaction. \
            Build in release mode: swift build -c release --product handoff.
            """)

    @Option(help: ArgumentHelp("A database made by 'handoff bench generate' (left unchanged).", valueName: "path")) var db: String
    @Option(help: ArgumentHelp("How many events to ingest.", valueName: "n")) var events = 200_000
    @Option(help: ArgumentHelp("The seed of the event stream.", valueName: "s")) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Events per transaction.", valueName: "n")) var batch = 500
    @Option(help: ArgumentHelp("A spool written by 'bench generate --events' to ingest (copied; default: a new one of --events events).", valueName: "dir"))
    var spool: String?
    @Option(help: ArgumentHelp("Also write the figures as JSON to this file (for 'bench run').", valueName: "path")) var figures: String?
    @Option(help: ArgumentHelp("A new directory for the copies and the spool (default: ingest-bench beside --db); one an earlier run made is replaced.", valueName: "dir")) var work: String?

    func validate() throws {
        guard events > 0, batch > 0 else { throw ValidationError("--events and --batch must be positive") }
    }

    func run() throws {
        let directory = work ?? (db as NSString).deletingLastPathComponent + "/ingest-bench"
        let manager = FileManager.default
        let marker = directory + "/.handoff-ingest-bench"
        if manager.fileExists(atPath: directory) {
            // Only a directory an earlier run made is replaced: --work never deletes anything else.
            guard manager.fileExists(atPath: marker) else {
                throw CommandFailure("\(directory) exists and was not made by 'bench ingest': give a new --work directory")
            }
            try manager.removeItem(atPath: directory)
        }
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        manager.createFile(atPath: marker, contents: nil)
        try HandoffStore.open(at: db).close()
        let workerDB = directory + "/worker.db", rawDB = directory + "/raw.db"
        for copy in [workerDB, rawDB] {
            try manager.copyItem(atPath: db, toPath: copy)
            try manager.copyItem(atPath: AuditKey.path(forDatabase: db), toPath: AuditKey.path(forDatabase: copy))
        }
        guard let routesFile = Locations.current.routesFile() else { throw CommandFailure("cannot find SampleData/routes.yaml") }

        let store = try HandoffStore.open(at: workerDB)
        let service = try Self.serviceAccount(store)
        let before = try store.read { try $0.highWaterMarks() }
        let tasksBefore = try store.read { try $0.taskCount() }
        let spool = directory + "/spool"
        let (files, events) = try self.spool.map { (try Self.copySpool($0, to: spool), try Self.countEvents(in: spool)) }
            ?? (try SyntheticEvents(seed: seed, count: events).write(to: spool), events)
        let worker = SyncWorker(
            store: store,
            ingestor: EventIngestor(routes: try SyncSetup.routes(file: routesFile, store: store), actor: service),
            sources: [SpoolSource(directory: spool)], batchSize: batch)

        let clock = ContinuousClock()
        let started = clock.now
        let tally = try worker.drain()
        let workerSeconds = (clock.now - started) / .seconds(1)
        try store.close()

        let script = directory + "/raw.sql"
        let rows = try Self.dumpRows(from: workerDB, after: before, into: script)
        let rawStarted = clock.now
        let raw = try Self.sqlite3(rawDB, input: script)
        let rawSeconds = (clock.now - rawStarted) / .seconds(1)
        guard raw.status == 0 else { throw CommandFailure("sqlite3 failed: \(raw.error)") }

        let workerRate = Double(events) / workerSeconds, rawRate = Double(events) / rawSeconds
        let ratio = workerRate / rawRate
        let format = { (value: Double) in Int(value.rounded()).formatted() }
        print("""
            Ingest: \(events.formatted()) events (\(files) spool files) into a database of \(tasksBefore.formatted()) tasks, \
            batches of \(batch), \(ProcessInfo.processInfo.activeProcessorCount) cores
              worker:  \(String(format: "%.2f", workerSeconds)) s  \(format(workerRate)) events/s  (created \(tally.created), changed \(tally.changed), \
            ignored \(tally.ignored), duplicates \(tally.duplicates), waiting \(tally.parked), dead letters \(tally.deadLettered))
              sqlite3: \(String(format: "%.2f", rawSeconds)) s  \(format(rawRate)) events/s  (the same \(rows.formatted()) rows as INSERTs, one transaction)
              ratio:   \(String(format: "%.0f", ratio * 100)) % of the raw rate
              goals:   ≥ 30,000 events/s: \(workerRate >= 30_000 ? "met" : "MISSED"); ≥ 30 % of raw: \(ratio >= 0.3 ? "met" : "MISSED")
            """)
        if let figures {
            try BenchmarkFigure.write([
                BenchmarkFigure(.ingest, "sync worker, \(events.formatted()) events into \(tasksBefore.formatted()) tasks",
                                "\(format(workerRate)) events/s", goal: "≥ 30,000 events/s", met: workerRate >= 30_000),
                BenchmarkFigure(.ingest, "sqlite3, the same \(rows.formatted()) rows in one transaction", "\(format(rawRate)) events/s"),
                BenchmarkFigure(.ingest, "worker ÷ sqlite3", String(format: "%.0f %%", ratio * 100), goal: "≥ 30 %", met: ratio >= 0.3),
            ], to: figures)
        }
    }

    /// Copies the spool files of `source` into the new directory `destination`; returns how many.
    static func copySpool(_ source: String, to destination: String) throws -> Int {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".ndjson") }
        guard !names.isEmpty else { throw CommandFailure("\(source) holds no .ndjson spool files") }
        try manager.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in names { try manager.copyItem(atPath: source + "/" + name, toPath: destination + "/" + name) }
        return names.count
    }

    /// The events (lines) in the spool files of `directory`.
    static func countEvents(in directory: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ndjson") }.reduce(0) { total, name in
            total + (try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))).split(separator: UInt8(ascii: "\n")).count
        }
    }

    /// A user with the service role, added if the database has none.
    static func serviceAccount(_ store: HandoffStore) throws -> Actor {
        try store.write { db in
            let services = try db.users().filter { $0.roles.contains(.service) && !$0.isDisabled }
            if let user = services.first(where: { $0.name == "handoff-sync" }) ?? services.first {
                return try db.actor(named: user.name, origin: "bench")
            }
            guard let admin = try db.users().first(where: { $0.roles.contains(.admin) }) else {
                throw CommandFailure("the database has no admin to add a service account")
            }
            try db.apply(.addUser(name: "bench-sync", displayName: "Benchmark sync worker", roles: [.service]),
                         by: try db.actor(named: admin.name, origin: "bench"), at: Date())
            return try db.actor(named: "bench-sync", origin: "bench")
        }
    }

    /// Writes the rows added after `before` as one transaction of INSERTs; returns how many rows.
    static func dumpRows(from database: String, after before: [String: Int64], into script: String) throws -> Int {
        FileManager.default.createFile(atPath: script, contents: Data("BEGIN;\n".utf8))
        guard let handle = FileHandle(forWritingAtPath: script) else { throw CommandFailure("cannot write \(script)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        var count = 0
        for (table, key) in StoreSession.rowKeys {
            let query = "SELECT * FROM \(table) WHERE \(key) > \(before[table] ?? 0) ORDER BY \(key)"
            let dump = try sqlite3(database, arguments: [".mode insert \(table)", query])
            guard dump.status == 0 else { throw CommandFailure("sqlite3 failed: \(dump.error)") }
            count += dump.output.split(separator: "\n").count
            try handle.write(contentsOf: Data(dump.output.utf8))
        }
        try handle.write(contentsOf: Data("COMMIT;\n".utf8))
        return count
    }

    /// Runs the `sqlite3` tool on `database`, with `arguments` as its commands or `input` as its standard input.
    static func sqlite3(_ database: String, arguments: [String] = [], input: String? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database] + arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        try process.run()
        nonisolated(unsafe) var errorText = Data()
        let reader = Thread { errorText = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputText = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1_000) }
        return (process.terminationStatus, String(decoding: outputText, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }
}
