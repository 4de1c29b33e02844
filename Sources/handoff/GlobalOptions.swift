import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// Options every database command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file ($HANDOFF_DB, else ~/.local/share/handoff/handoff.db).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this sample user (demo databases only).", valueName: "user"))
    var actAs: String?

    /// The database path these options name (installed: the configuration's, and `--db` is refused).
    func databasePath() throws -> String { try InstalledRules.databasePath(db) }
}

/// Output format of listings.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// A refusal of the command line itself, e.g. `--as` on a database that is not a demo.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
