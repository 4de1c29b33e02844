import ArgumentParser
import Foundation
import HandoffApp

/// `handoff doctor`: what an admin should check on an installation, with the fix for anything wrong.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation and the database, and say how to fix what is wrong.",
        discussion: """
            One line per check: ok, warning or problem, what was found and, unless ok, the fix. Checks: the \
            install mode of this binary (set-group-id), owner, group and mode of the data directory and the \
            database files, WAL and synchronous=FULL, the schema's migrations, the SQLite library's version, \
            the audit chain (every seal and link), the sync worker's heartbeat and open dead letters. Exit 0 when nothing is a problem \
            (warnings allowed), 1 when something is.
            """)

    @Option(help: ArgumentHelp("The database file ($HANDOFF_DB, else ~/.local/share/handoff/handoff.db).", valueName: "path"))
    var db: String?
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func run() throws {
        let doctor = Doctor(databasePath: try InstalledRules.databasePath(db))
        let report = doctor.run(now: Date())
        switch format {
        case .table: print(report.lines().joined(separator: "\n"))
        case .json: print(try JSONOutput.render(report))
        }
        guard report.problems == 0 else {
            throw CommandFailure("\(report.problems) problem\(report.problems == 1 ? "" : "s") found: each says how to fix it")
        }
    }
}
