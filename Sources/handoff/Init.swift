import ArgumentParser
import Foundation
import HandoffApp
import HandoffStore

/// `handoff init`: create a database and make the invoking user its first admin.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a database and make yourself its first admin.",
        discussion: "Safe to run again: an existing Handoff database where you are an admin is left as it is.")

    @Option(help: ArgumentHelp("The database file ($HANDOFF_DB, else ~/.local/share/handoff/handoff.db).", valueName: "path"))
    var db: String?

    func run() throws {
        let path = try InstalledRules.databasePath(db)
        let me = try SystemIdentity.currentUserName()
        let store = try HandoffStore.openOrCreate(at: path)
        let created = try store.write { session in
            try session.bootstrapAdmin(name: me, displayName: SystemIdentity.currentDisplayName() ?? me,
                                       origin: SystemIdentity.origin(), at: Date())
        }
        print(created ? "Created \(path); \(me) is its admin." : "\(path) is already initialised; \(me) is an admin.")
    }
}
