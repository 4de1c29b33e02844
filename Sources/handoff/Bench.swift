import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff bench`: tools for measuring Handoff on large databases.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark tools.",
        subcommands: [BenchRun.self, Generate.self, BenchConsole.self, BenchIngest.self, BenchDashboard.self, BenchContention.self,
                      BenchContention.Writer.self])

    /// Makes way for a new database at `path` (given with `--db`): nothing to do when neither it nor its
    /// `-wal` and `-shm` files exist; with `force`, they are removed; otherwise refused.
    static func clear(_ path: String, force: Bool) throws {
        let manager = FileManager.default
        for file in ["", "-wal", "-shm"].map({ path + $0 }) {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: file, isDirectory: &isDirectory) else { continue }
            guard !isDirectory.boolValue else { throw CommandFailure("\(file) is a directory: --db takes the path of a database file") }
            guard force else { throw CommandFailure("\(file) already exists: pass --force to replace it, or choose another --db") }
            try manager.removeItem(atPath: file)
        }
    }

    /// `handoff bench generate`: a new database filled with a synthetic workload.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a database filled with a synthetic workload for benchmarks.",
            discussion: """
                Users (about one coordinator or nurse per 400 tasks), the six sample queues with the sample \
                SLA policies (sla.yaml), and tasks in every state with their audit histories and SLA state, as \
                if every change had gone through Handoff (the escalation sweeper never having run); you become \
                the database's admin. The same seed and size give the same workload, up to the moment it leads \
                to (now). Everything is invented.
                """)

        /// The most tasks one database may be generated with.
        static let maximumTasks = 10_000_000
        /// Tasks per transaction: large enough to amortise commits, small enough to bound memory.
        static let batchSize = 10_000

        @Option(help: ArgumentHelp("How many tasks to generate (1 to 10,000,000).", valueName: "n"))
        var tasks: Int

        @Option(help: ArgumentHelp("The seed: the same seed gives the same workload.", valueName: "s"))
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("The database file to create.", valueName: "path"))
        var db: String

        @Option(help: ArgumentHelp("Also write a spool of this many synthetic events (for 'bench ingest --spool').", valueName: "m"))
        var events: Int?

        @Option(help: ArgumentHelp("The new directory for the event spool (default: DB-spool).", valueName: "dir"))
        var spool: String?

        @Option(help: ArgumentHelp("The sample data folder whose SLA policies (sla.yaml) the database gets.", valueName: "dir"))
        var from: String?

        @Flag(help: "Replace the file (and its -wal and -shm files) if it exists.")
        var force = false

        func validate() throws {
            guard (1...Self.maximumTasks).contains(tasks) else {
                throw ValidationError("--tasks must be between 1 and 10,000,000, not \(tasks)")
            }
            if let events, !(1...Self.maximumTasks).contains(events) {
                throw ValidationError("--events must be between 1 and 10,000,000, not \(events)")
            }
            if spool != nil, events == nil { throw ValidationError("--spool names where --events go: give --events too") }
        }

        /// Where the event spool goes.
        var spoolDirectory: String { spool ?? db + "-spool" }

        func run() throws {
            guard let folder = from ?? Locations.current.sampleData() else { throw SampleDataError.notFound }
            guard let sla = try SampleData.load(from: folder).sla else {
                throw CommandFailure("\(folder) has no sla.yaml: generated tasks are measured against the sample SLA policies")
            }
            try Bench.clear(db, force: force)
            if events != nil { try clearSpool() }

            let clock = ContinuousClock()
            let started = clock.now
            let workload = SyntheticWorkload(seed: seed, tasks: tasks, now: Date(), slaPolicies: sla.policies)
            let store = try HandoffStore.openOrCreate(at: db)
            try setUpDirectory(store, for: workload, slaPolicies: sla.text)

            // Generating and mapping a batch takes about as long as inserting one: the next batch is
            // prepared on another thread while the writer inserts the current one.
            let starts = Array(stride(from: 0, to: tasks, by: Self.batchSize))
            let prepare = { (start: Int) in
                Background { [tasks] in
                    let batch = try workload.batch(start..<min(start + Self.batchSize, tasks))
                    return StoreSession.BulkRows(tasks: batch.tasks, audit: batch.audit, pauses: batch.pauses)
                }
            }
            var next = prepare(starts[0])
            for (index, start) in starts.enumerated() {
                let rows = try next.value()
                if index + 1 < starts.count { next = prepare(starts[index + 1]) }
                try store.write { try $0.bulkInsert(rows) }
                progress("\(start + rows.taskCount) of \(tasks) tasks")
            }
            let auditRecords = try store.read { try $0.auditCount() }
            try store.close()
            progress(nil)

            let seconds = (clock.now - started) / .seconds(1)
            print("Generated \(db): \(tasks) tasks, \(auditRecords) audit records, \(workload.users.count) users, "
                + "\(workload.queues.count) queues in \(seconds.formatted(.number.precision(.fractionLength(1)))) s "
                + "(\(Int(Double(tasks) / seconds)) tasks/s).")
            if let events {
                let files = try SyntheticEvents(seed: seed, count: events).write(to: spoolDirectory)
                print("Wrote \(spoolDirectory): \(events) events in \(files) spool files (bench ingest --db \(db) --spool \(spoolDirectory)).")
            }
        }

        /// Makes way for the spool: refuses a directory that holds anything but spool files, and without
        /// `force` one that holds anything at all.
        private func clearSpool() throws {
            let manager = FileManager.default
            guard let names = try? manager.contentsOfDirectory(atPath: spoolDirectory) else { return }
            guard names.allSatisfy({ $0.hasSuffix(".ndjson") }) else {
                throw CommandFailure("\(spoolDirectory) holds more than event spool files: choose another --spool")
            }
            guard names.isEmpty || force else { throw CommandFailure("\(spoolDirectory) already holds a spool: pass --force to replace it") }
            try manager.removeItem(atPath: spoolDirectory)
        }

        /// Makes the invoking user the admin and adds the workload's users and queues and the SLA policies
        /// its tasks are measured against (the text of `sla.yaml`), audited.
        private func setUpDirectory(_ store: HandoffStore, for workload: SyntheticWorkload, slaPolicies: String) throws {
            let me = try SystemIdentity.currentUserName()
            let origin = SystemIdentity.origin()
            let time = workload.setUpTime
            try store.write { session in
                try session.bootstrapAdmin(name: me, displayName: SystemIdentity.currentDisplayName() ?? me, origin: origin, at: time)
                let admin = try session.actor(named: me, origin: origin)
                for change in workload.directoryChanges {
                    if case let .addUser(name, _, roles) = change, let existing = try session.user(named: name) {
                        // The invoking user shares a name with a generated one: they keep both roles.
                        try session.apply(.setRoles(user: name, roles: existing.roles.union(roles)), by: admin, at: time)
                    } else {
                        try session.apply(change, by: admin, at: time)
                    }
                }
                try SLASettings.store(slaPolicies, file: "sla.yaml", in: session, by: admin, at: time)
                try session.setMeta("workload", "synthetic: seed \(seed), \(tasks) tasks, up to \(Timestamp.format(workload.now))")
            }
        }

        /// Shows `message` on stderr, over the previous one on a terminal; `nil` ends the line.
        private func progress(_ message: String?) {
            let terminal = isatty(STDERR_FILENO) == 1
            let text = message.map { terminal ? "\r" + $0 : $0 + "\n" } ?? (terminal ? "\n" : "")
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

/// A value computed on a background thread, waited for when needed.
private final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once before `done` is signalled, read only after waiting for it.
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.result = Result(catching: work)
            self.done.signal()
        }
    }

    /// Waits for the value; rethrows what the work threw.
    func value() throws -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
