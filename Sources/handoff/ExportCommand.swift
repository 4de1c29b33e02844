import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff export`: tasks in the standards other systems read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export tasks for other systems (admins and service accounts).",
        subcommands: [FHIR.self])

    /// `handoff export fhir`: a FHIR R4 Bundle of Task resources.
    struct FHIR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fhir",
            abstract: "Write the tasks as a FHIR R4 Bundle (collection) of Task resources, optionally with Provenance.",
            discussion: """
                One Task per task, oldest first: status from the state (Handoff's own state kept in businessStatus), \
                intent order, priority, for (the patient reference), focus, owner (a Practitioner reference), \
                authoredOn, lastModified, executionPeriod, restriction.period.end (the SLA due time), statusReason \
                for pending work and exceptions, notes, and the task id as identifier. Patients are referenced, \
                never named. The README has the whole mapping.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Only tasks changed since a time (2026-12-01T08:00:00Z) or for a duration back (2h, 1d).", valueName: "time"))
        var since: String?
        @Option(help: ArgumentHelp("Only this queue's tasks.", valueName: "queue")) var queue: String?
        @Option(help: ArgumentHelp("Only this task, e.g. T-12.", valueName: "task")) var task: String?
        @Flag(help: "Add one Provenance per audited change of each task (who, when, which action).") var withProvenance = false
        @Option(help: ArgumentHelp("Write to this new file (yours, mode 0600) instead of the terminal; an existing file is never replaced.",
                                   valueName: "file"))
        var out: String?

        func validate() throws {
            if let task, TaskID(task) == nil { throw ValidationError("--task: '\(task)' is not a task id like T-12") }
            if let since, AuditCommand.Log.time(since, now: Date()) == nil {
                throw ValidationError("--since: '\(since)' is neither a time like 2026-12-01T08:00:00Z nor a duration like 2h")
            }
        }

        func run() throws {
            let session = try Session.open(options)
            let details = try session.store.read {
                try $0.exportedTasks(since: since.flatMap { AuditCommand.Log.time($0, now: session.now) }, queue: queue,
                                     task: task.flatMap { TaskID($0) }, by: session.actor)
            }
            let json = try FHIRTaskMapping.bundle(details, withProvenance: withProvenance, at: session.now).json()
            guard let out else { return print(json) }
            // Opened with your own rights: never a file only handoff's group may write, such as the database.
            let file = try UserFile.create(out)
            try file.write(contentsOf: Data((json + "\n").utf8))
            try file.close()
            print("Wrote \(details.count) tasks to \(out).")
        }
    }
}
