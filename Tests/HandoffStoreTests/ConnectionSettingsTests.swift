import Foundation
import GRDB
import GRDBSQLite
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// Each setting that lets many processes share one database file safely.
struct ConnectionSettingsTests {
    @Test func usesWriteAheadLogging() throws {
        let fixture = try StoreFixture()
        let mode = try fixture.store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func writerCommitsWithSynchronousFull() throws {
        let fixture = try StoreFixture()
        let level = try fixture.store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2, "2 is FULL; GRDB leaves NORMAL (1) after enabling WAL")
    }

    @Test func foreignKeysAreEnforced() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.pool.read { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
        #expect(throws: StoreError.self) {
            try fixture.store.write { session in
                try session.db.execute(sql: "INSERT INTO queueMember(queue, user, isSupervisor) VALUES ('nope', 'nobody', 0)")
            }
        }
    }

    @Test func memoryMappedIOIsOff() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.pool.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") } == 0)
        #expect(try fixture.store.pool.write { try Int.fetchOne($0, sql: "PRAGMA mmap_size") } == 0)
    }

    @Test func everyWriteTransactionIsImmediate() throws {
        let fixture = try StoreFixture()
        // Before any statement has run in the transaction, it already holds the write lock.
        let state = try fixture.store.write { session in sqlite3_txn_state(session.db.sqliteConnection, nil) }
        #expect(state == SQLITE_TXN_WRITE)
    }

    @Test func aWriterWaitsForAnotherProcesssLockInsteadOfFailing() throws {
        let fixture = try StoreFixture()
        let blocked = DispatchSemaphore(value: 0)
        let waits = Counter()
        // A second, independent pool on the same file: as another process would open it.
        let other = try HandoffStore.open(at: fixture.store.path, observer: StoreObserver(busy: { _ in
            if waits.increment() == 1 { blocked.signal() }
        }))
        let admin = fixture.admin
        let start = fixture.start
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var otherResult: Result<Void, any Error> = .success(())
        try fixture.store.write { session in
            // Holding the write lock: the other writer must wait, not fail with "database is locked".
            try session.setMeta("holder", "first")
            DispatchQueue.global().async {
                do {
                    try other.write { try $0.apply(.addQueue(name: "late", title: "Late", requiresReview: false), by: admin, at: start) }
                } catch {
                    otherResult = .failure(error)
                }
                done.signal()
            }
            let waited = blocked.wait(timeout: .now() + 60)
            #expect(waited == .success, "the other writer never found the database locked")
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(throws: Never.self) { try otherResult.get() }
        #expect(waits.value >= 1)
        #expect(try fixture.store.read { try $0.queues().map(\.name) }.contains("late"))
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}
