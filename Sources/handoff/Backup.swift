import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff backup FILE`: a consistent copy of the database, taken while everyone keeps working.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to a new file while consoles and the worker keep running, and check the copy (admins).",
        discussion: """
            The copy is one consistent snapshot (SQLite's online backup), written to a new file readable by you \
            only, checked with PRAGMA integrity_check and by verifying its audit chain, and the backup is recorded \
            in the audit. The copy does not hold the audit key (DATABASE.audit-key beside the database): keep a copy \
            of the key apart from the backups. To restore: stop the consoles and the worker, move the database \
            and its -wal and -shm files aside, copy the backup in its place (the key file stays), and check it \
            with 'handoff audit verify --db FILE' before starting the worker again.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("The new file to write; an existing file is never replaced.", valueName: "file")) var file: String

    func run() throws {
        let session = try Session.open(options)
        let summary = try BackupDelivery.take(of: session.store, to: file, by: session.actor, at: session.now)
        print("Backed up \(session.store.path) to \(file): \(summary.tasks) tasks, \(summary.auditRecords) audit records, "
            + "integrity ok, audit chain intact.")
    }
}
