import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff audit`: who did what to which task, when and from where.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log, and prove it was not edited: who did what to which task, when, and from where.",
        subcommands: [Log.self, Verify.self, Checkpoint.self],
        defaultSubcommand: Log.self)

    /// `handoff audit log`: the audit records one may read, filtered.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit records, oldest first (admins: all; supervisors: the tasks of the queues they supervise).",
            discussion: "Records are append-only: the database refuses to change or delete them.")

        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Only this task's records, e.g. T-12.", valueName: "task")) var task: String?
        @Option(help: ArgumentHelp("Only the records of this user or service account.", valueName: "user")) var user: String?
        @Option(help: ArgumentHelp("Only records since a time (2026-12-01T08:00:00Z) or for a duration back (2h, 1d).", valueName: "time"))
        var since: String?
        @Option(help: "The newest this many records at most.") var limit = 1_000
        @Option(help: "Output format: table or json.") var format: OutputFormat = .table
        @Option(help: ArgumentHelp("Write to this new file (yours, mode 0600) instead of the terminal; an existing file is never replaced.",
                                   valueName: "file"))
        var out: String?

        func validate() throws {
            if let task, TaskID(task) == nil { throw ValidationError("--task: '\(task)' is not a task id like T-12") }
            if let since, Self.time(since, now: Date()) == nil {
                throw ValidationError("--since: '\(since)' is neither a time like 2026-12-01T08:00:00Z nor a duration like 2h")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let session = try Session.open(options)
            let query = AuditQuery(task: task.flatMap { TaskID($0) }, actor: user, since: since.flatMap { Self.time($0, now: session.now) },
                                   limit: limit)
            let records = try session.store.read { try $0.auditLog(query, visibleTo: session.actor) }
            let text: String
            switch format {
            case .json: text = try JSONOutput.render(records.map(JSONViews.audit))
            case .table:
                text = TextTable(headers: ["SEQ", "TIME", "ACTOR", "ROLE", "FROM", "ACTION", "TASK", "STATE", "DETAIL", "TRACE"],
                                rows: records.map { record in
                    let entry = record.entry
                    let change = entry.fromState == entry.toState ? entry.toState?.rawValue ?? ""
                        : [entry.fromState?.rawValue ?? "·", entry.toState?.rawValue ?? "·"].joined(separator: " → ")
                    return [String(record.seq), Timestamp.format(entry.time), entry.actor, entry.actorRole.rawValue, entry.origin,
                            entry.action, entry.taskID?.description ?? "", change,
                            entry.detailText,
                            entry.traceID ?? ""]
                }).render(maxColumnWidth: 60)
            }
            guard let out else { return print(text) }
            // Opened with your own rights: never a file only handoff's group may write, such as the database.
            let file = try UserFile.create(out)
            try file.write(contentsOf: Data((text + "\n").utf8))
            try file.close()
            print("Wrote \(records.count) audit records to \(out).")
        }

        /// A time, or a duration back from `now`.
        static func time(_ text: String, now: Date) -> Date? {
            if let time = Timestamp.parse(text) { return time }
            return DurationText.seconds(text).flatMap { $0 > 0 ? now.addingTimeInterval(-$0) : nil }
        }
    }

    /// `handoff audit verify`: recomputes the hash chain and names the first broken record.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit chain and report the first broken record (admins).",
            discussion: """
                Every record is sealed with HMAC-SHA256 (keyed with the database's audit key) over its values, its \
                sequence number and the previous record's hash. Exits 0 when the chain is intact, 1 naming the first \
                altered, deleted, inserted or reordered record. With --checkpoint, also exits 1 when records were cut \
                from the end since the checkpoint was taken.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("A checkpoint printed earlier by 'handoff audit checkpoint'.", valueName: "file"))
        var checkpoint: String?

        func run() throws {
            let mark = try checkpoint.map(Self.readCheckpoint)
            let session = try Session.open(options)
            try AuditAccess.checkChain(by: session.actor)
            let verification = try session.store.read { try $0.verifyAudit(against: mark) }
            if let broken = verification.firstBreak {
                throw CommandFailure("audit chain broken: \(broken)")
            }
            let head = verification.head.map { "; head \($0.seq) \($0.hash)" } ?? ""
            let against = mark.map { ", reaching checkpoint record \($0.seq) unchanged" } ?? ""
            print("audit chain intact: \(verification.records) records\(against)\(head)")
        }

        private static func readCheckpoint(_ path: String) throws -> AuditCheckpoint {
            let text: String
            do { text = String(decoding: try UserFile.read(path, maximumSize: 64 * 1024), as: UTF8.self) } catch {
                throw CommandFailure("--checkpoint: cannot read \(error)")
            }
            do { return try AuditCheckpoint.parse(text) } catch {
                throw CommandFailure("--checkpoint: \(path) cannot be used: \(error)")
            }
        }
    }

    /// `handoff audit checkpoint`: the chain's current head, to keep off the host.
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the audit chain's current sequence number and head hash, to keep off the host (admins).",
            discussion: """
                Keep checkpoints where whoever controls this host cannot change them (another system, a ticket, \
                paper). 'handoff audit verify --checkpoint FILE' then shows whether records were cut from the end.
                """)

        @OptionGroup var options: GlobalOptions

        func run() throws {
            let session = try Session.open(options)
            try AuditAccess.checkChain(by: session.actor)
            guard let head = try session.store.read({ try $0.auditCheckpoint() }) else {
                throw CommandFailure("the audit log is empty: there is nothing to checkpoint yet")
            }
            print(head.text(takenAt: session.now), terminator: "")
        }
    }
}
