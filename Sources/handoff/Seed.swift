import ArgumentParser
import Foundation
import HandoffApp
import HandoffStore

/// `handoff seed`: load synthetic sample data into a new database.
struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load synthetic sample data (users, queues, patients, tasks) into a new database.")

    @Option(help: ArgumentHelp("The sample data folder.", valueName: "dir"))
    var from: String?

    @Option(help: ArgumentHelp("The database file to create or fill.", valueName: "path"))
    var db: String?

    @Flag(help: "Mark the database as a demo, where --as USER is allowed.")
    var demo = false

    func run() throws {
        let path = try InstalledRules.databasePath(db)
        let summary = try Seed.seed(path: path, from: from, markAsDemo: demo)
        print("Seeded \(path): \(summary.users) users, \(summary.queues) queues, \(summary.tasks) tasks, \(summary.auditRecords) audit records.")
    }

    /// Seeds a new database at `path`, sealing its audit with the key at `auditKeyPath` (by default beside it).
    static func seed(path: String, auditKeyPath: String? = nil, from: String?, markAsDemo: Bool) throws -> Seeder.Summary {
        guard let folder = from ?? Locations.current.sampleData() else { throw SampleDataError.notFound }
        let data = try SampleData.load(from: folder)
        let me = try SystemIdentity.currentUserName()
        let store = try HandoffStore.openOrCreate(at: path, auditKeyPath: auditKeyPath)
        let summary = try Seeder(data: data, now: Date()).seed(
            into: store, admin: me, adminDisplayName: SystemIdentity.currentDisplayName() ?? me,
            origin: SystemIdentity.origin(), markAsDemo: markAsDemo)
        try store.close()
        return summary
    }
}
