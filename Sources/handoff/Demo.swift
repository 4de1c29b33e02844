import ArgumentParser
import Foundation
import HandoffApp
import HandoffStore

/// `handoff demo`: the demo database, seeded from SampleData the first time.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the demo database (~/.local/state/handoff/demo.db), created from SampleData the first time.",
        discussion: "You are the demo's admin; --as USER shows the demo as one of the sample users (e.g. cora, nina, sam).")

    @Flag(help: "Delete the demo database and create it again.")
    var reset = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this sample user.", valueName: "user"))
    var actAs: String?

    @Flag(help: "Print the queues and your work instead of opening the console.")
    var print = false

    @OptionGroup var console: ConsoleOptionsGroup

    func run() throws {
        let path = Locations().demoDatabase
        let manager = FileManager.default
        if reset {
            for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
                try manager.removeItem(atPath: path + suffix)
            }
        }
        if !manager.fileExists(atPath: path) {
            // Seed beside it and move it into place whole, so a second terminal never sees half a demo.
            let seeding = path + ".seeding-\(ProcessInfo.processInfo.processIdentifier)"
            defer { for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: seeding + suffix) } }
            let summary = try Seed.seed(path: seeding, from: nil, markAsDemo: true)
            // link() never replaces: if another terminal got there first, theirs is kept.
            if link(seeding, path) == 0 {
                Swift.print("Created the demo at \(path): \(summary.tasks) synthetic tasks in \(summary.queues) queues.\n")
            }
        }
        let session = try Session.open(path: path, actAs: actAs)
        if print { try Overview.show(session) } else { try console.open(session) }
    }
}
