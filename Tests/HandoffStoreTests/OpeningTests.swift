import Foundation
import GRDB
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// What the store accepts as a database, and what it refuses without touching.
struct OpeningTests {
    @Test func aMissingFileIsNotCreatedByOpen() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("none.db")
        #expect(throws: StoreError.missing(path: path)) { try HandoffStore.open(at: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aTextFileIsRefusedAndLeftUntouched() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("notes.txt")
        let content = Data("shopping list: milk, eggs\n".utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try HandoffStore.open(at: path) }
        #expect(throws: StoreError.notADatabase(path: path)) { try HandoffStore.openOrCreate(at: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.db")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notHandoff(path: path)) { try HandoffStore.openOrCreate(at: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let fixture = try StoreFixture()
        try fixture.store.pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
        #expect(throws: StoreError.newerSchema(path: fixture.store.path)) { try HandoffStore.open(at: fixture.store.path) }
    }

    @Test func aNewDatabaseIsPrivateToItsGroup() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("new.db")
        _ = try HandoffStore.openOrCreate(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
    }

    @Test func threeOpenersOfABrandNewDatabaseAllSucceed() throws {
        for _ in 0..<10 {
            let directory = TemporaryDirectory()
            let path = directory.file("race.db")
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            let failures = Counter()
            for _ in 0..<3 {
                group.enter()
                DispatchQueue.global().async {
                    start.wait()
                    do { _ = try HandoffStore.openOrCreate(at: path) } catch { _ = failures.increment() }
                    group.leave()
                }
            }
            for _ in 0..<3 { start.signal() }
            group.wait()
            #expect(failures.value == 0)
            #expect(try HandoffStore.open(at: path).read { try $0.userCount() } == 0)
        }
    }
}
