import Foundation
import HandoffApp
import HandoffStore
import HandoffTestSupport
import Testing

/// `handoff doctor`'s fact gathering on a real database file.
struct DoctorTests {
    @Test func readsTheDatabaseAndVerifiesTheAuditChain() throws {
        let fixture = try StoreFixture()
        let report = Doctor(databasePath: fixture.store.path).run(now: fixture.start)
        let byCheck = Dictionary(report.checks.map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byCheck["journal"]?.found == "wal (write-ahead logging)")
        #expect(byCheck["synchronous"]?.found.hasPrefix("FULL") == true, "read back from the writer's connection")
        #expect(byCheck["schema"]?.status == .ok)
        #expect(byCheck["schema"]?.found.hasPrefix(StoreSession.knownMigrations.last ?? "-") == true)
        let records = try fixture.store.read { try $0.auditCount() }
        #expect(byCheck["audit"]?.found == "chain intact: \(records) records, head \(records)")
        #expect(byCheck["sync worker"]?.status == .warning)
        #expect(byCheck["dead letters"]?.found == "none open")
        #expect(report.checks.first?.check == "install")
        #expect(report.problems == 0, "\(report.lines())")
    }

    @Test func aDatabaseFileOthersCanReadIsAProblem() throws {
        let fixture = try StoreFixture()
        #expect(chmod(fixture.store.path, 0o644) == 0)
        let report = Doctor(databasePath: fixture.store.path).run(now: fixture.start)
        let file = try #require(report.checks.first { $0.check == "database file" && $0.found.hasPrefix(fixture.store.path + ":") })
        #expect(file.status == .problem)
        #expect(file.fix == "chmod 660 \(fixture.store.path)")
        #expect(report.status == .problem)
    }

    @Test func aMissingDatabaseIsAProblemAndNothingIsCreated() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("none.db")
        let report = Doctor(databasePath: path).run(now: Date(timeIntervalSince1970: 0))
        #expect(report.checks.map(\.check) == ["install", "data directory", "database", "sqlite"])
        #expect(report.checks.first { $0.check == "database" }?.status == .problem)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
