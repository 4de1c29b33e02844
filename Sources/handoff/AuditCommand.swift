import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff audit`: who did what to which task, when and from where.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log: who did what to which task, when, and from where.",
        subcommands: [Log.self],
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
            switch format {
            case .json: print(try JSONOutput.render(records.map(JSONViews.audit)))
            case .table:
                print(TextTable(headers: ["SEQ", "TIME", "ACTOR", "ROLE", "FROM", "ACTION", "TASK", "STATE", "DETAIL", "TRACE"],
                                rows: records.map { record in
                    let entry = record.entry
                    let change = entry.fromState == entry.toState ? entry.toState?.rawValue ?? ""
                        : [entry.fromState?.rawValue ?? "·", entry.toState?.rawValue ?? "·"].joined(separator: " → ")
                    return [String(record.seq), Timestamp.format(entry.time), entry.actor, entry.actorRole.rawValue, entry.origin,
                            entry.action, entry.taskID?.description ?? "", change,
                            entry.detailText,
                            entry.traceID ?? ""]
                }).render(maxColumnWidth: 60))
            }
        }

        /// A time, or a duration back from `now`.
        static func time(_ text: String, now: Date) -> Date? {
            if let time = Timestamp.parse(text) { return time }
            return DurationText.seconds(text).flatMap { $0 > 0 ? now.addingTimeInterval(-$0) : nil }
        }
    }
}
