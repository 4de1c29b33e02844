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

    func run() throws {
        let path = Locations().demoDatabase
        let manager = FileManager.default
        if reset {
            for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
                try manager.removeItem(atPath: path + suffix)
            }
        }
        if !manager.fileExists(atPath: path) {
            let summary = try Seed.seed(path: path, from: nil, markAsDemo: true)
            print("Created the demo at \(path): \(summary.tasks) synthetic tasks in \(summary.queues) queues.\n")
        }
        try Overview.show(try Session.open(path: path, actAs: actAs))
    }
}
