import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// The keyed hash chain over the audit table: sealed as records are appended (one by one and in bulk),
/// records from before the chain sealed on upgrade, and the key file kept with the database.
struct AuditChainTests {
    /// A raw connection to the fixture's file, its guard triggers dropped, as an attacker would.
    func tamper(_ fixture: StoreFixture, _ sql: String) throws {
        let queue = try DatabaseQueue(path: fixture.store.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; " + sql)
        }
        try queue.close()
    }

    @Test func everyUseCaseAppendsASealedLinkedRecord() throws {
        let fixture = try StoreFixture()
        let task = try fixture.makeTask()
        let cora = try fixture.actor("cora")
        try fixture.store.write { try $0.perform(.claim, on: task.id, by: cora, at: fixture.start.addingTimeInterval(120)) }
        let verification = try fixture.store.read { try $0.verifyAudit() }
        let count = try fixture.store.read { try $0.auditCount() }
        #expect(verification.firstBreak == nil)
        #expect(verification.records == count && count > 10)
        #expect(verification.head == (try fixture.store.read { try $0.auditCheckpoint() }))
        #expect(verification.head?.seq == Int64(count))

        // Each record names the one before it.
        let links = try fixture.store.read { session in
            try Row.fetchAll(session.db, sql: "SELECT prevHash, hash FROM audit ORDER BY seq")
        }
        #expect(links.first?["prevHash"] == AuditSeal.genesis)
        for (previous, next) in zip(links, links.dropFirst()) {
            #expect(next["prevHash"] as String? == previous["hash"] as String?)
        }
    }

    @Test func bulkLoadedRecordsContinueTheChain() throws {
        let fixture = try StoreFixture()
        let before = try fixture.store.read { try $0.auditCount() }
        let entries = (0..<2_500).map { index in
            AuditEntry(time: fixture.start.addingTimeInterval(Double(index)), actor: "ada", actorRole: .admin, origin: "local",
                       action: "note", detail: ["n": String(index % 7)])
        }
        try fixture.store.write { try $0.bulkInsert(tasks: [], audit: entries) }
        _ = try fixture.makeTask()
        let verification = try fixture.store.read { try $0.verifyAudit() }
        #expect(verification.firstBreak == nil)
        #expect(verification.records == before + 2_500 + 1)
    }

    @Test func eachTamperingIsFoundAtItsFirstBadRecord() throws {
        let cases: [(sql: String, expected: AuditChainBreak)] = [
            ("UPDATE audit SET actor = 'mallory' WHERE seq = 5", AuditChainBreak(kind: .altered, seq: 5)),
            ("UPDATE audit SET time = '2026-01-01 00:00:00.000' WHERE seq = 7", AuditChainBreak(kind: .altered, seq: 7)),
            ("DELETE FROM audit WHERE seq = 6", AuditChainBreak(kind: .deleted, seq: 6)),
            ("DELETE FROM audit WHERE seq = 1", AuditChainBreak(kind: .deleted, seq: 1)),
            ("UPDATE audit SET seq = -1 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = -1",
             AuditChainBreak(kind: .altered, seq: 4)),
            // The same text as a blob: the storage class is sealed too.
            ("UPDATE audit SET detail = CAST(detail AS BLOB) WHERE seq = 3", AuditChainBreak(kind: .altered, seq: 3)),
        ]
        for (sql, expected) in cases {
            let fixture = try StoreFixture()
            _ = try fixture.makeTask()
            try tamper(fixture, sql)
            #expect(try fixture.store.read { try $0.verifyAudit() }.firstBreak == expected, "\(sql)")
        }
    }

    @Test func aRecordSealedInAnotherChainWithTheSameKeyDoesNotFollowItsPredecessor() throws {
        let first = try StoreFixture()
        let second = TemporaryDirectory()
        // A second database sharing the first one's key, with different records.
        try FileManager.default.copyItem(atPath: AuditKey.path(forDatabase: first.store.path),
                                         toPath: AuditKey.path(forDatabase: second.file("handoff.db")))
        let other = try HandoffStore.openOrCreate(at: second.file("handoff.db"))
        try other.write { try $0.bootstrapAdmin(name: "eve", displayName: "Eve", origin: "local", at: first.start) }
        try other.write { try $0.apply(.addUser(name: "cora", displayName: "C", roles: [.coordinator]), by: Actor(name: "eve", roles: [.admin]), at: first.start) }
        let stranger = try other.read { try Row.fetchOne($0.db, sql: "SELECT * FROM audit WHERE seq = 2") }
        try other.close()
        let row = try #require(stranger)
        let columns = Array(row.columnNames)
        let values = columns.map { row[$0] as DatabaseValue }
        try tamper(first, "DELETE FROM audit WHERE seq = 2")
        let queue = try DatabaseQueue(path: first.store.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO audit(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments(values))
        }
        try queue.close()
        #expect(try first.store.read { try $0.verifyAudit() }.firstBreak == AuditChainBreak(kind: .relinked, seq: 2))
    }

    @Test func aCheckpointShowsACutTailAndARewrittenChain() throws {
        let fixture = try StoreFixture()
        _ = try fixture.makeTask()
        let checkpoint = try #require(try fixture.store.read { try $0.auditCheckpoint() })
        _ = try fixture.makeTask()
        #expect(try fixture.store.read { try $0.verifyAudit(against: checkpoint) }.firstBreak == nil, "records after the checkpoint are fine")

        try tamper(fixture, "DELETE FROM audit WHERE seq >= \(checkpoint.seq - 1)")
        #expect(try fixture.store.read { try $0.verifyAudit() }.firstBreak == nil, "without a checkpoint a cut tail goes unseen")
        #expect(try fixture.store.read { try $0.verifyAudit(against: checkpoint) }.firstBreak
            == AuditChainBreak(kind: .truncated, seq: checkpoint.seq, lastPresent: checkpoint.seq - 2))

        let forged = AuditCheckpoint(seq: 3, hash: String(repeating: "a", count: 64))
        #expect(try fixture.store.read { try $0.verifyAudit(against: forged) }.firstBreak == AuditChainBreak(kind: .rewritten, seq: 3))
    }

    @Test func theKeyIsCreatedWithTheDatabaseAndAChainWithoutItsKeyIsRefused() throws {
        let fixture = try StoreFixture()
        let keyPath = AuditKey.path(forDatabase: fixture.store.path)
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o640, "readable by the owner and the group only")
        #expect(AuditKey(hex: try String(contentsOfFile: keyPath, encoding: .utf8)) != nil)
        try fixture.store.close()

        let saved = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        try FileManager.default.removeItem(atPath: keyPath)
        #expect(throws: StoreError.auditKeyMissing(path: keyPath)) { try HandoffStore.open(at: fixture.store.path) }
        #expect(!FileManager.default.fileExists(atPath: keyPath), "no new key hides the lost one")

        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: keyPath))
        #expect(throws: StoreError.auditKeyUnreadable(path: keyPath, reason: "it does not hold 64 hex digits")) {
            try HandoffStore.open(at: fixture.store.path)
        }

        // Another key: the untouched chain fails at its first record, as a chain recomputed without the key would.
        try Data((AuditKey.random().hex + "\n").utf8).write(to: URL(fileURLWithPath: keyPath))
        let rekeyed = try HandoffStore.open(at: fixture.store.path)
        #expect(try rekeyed.read { try $0.verifyAudit() }.firstBreak == AuditChainBreak(kind: .altered, seq: 1))
        try rekeyed.close()

        try saved.write(to: URL(fileURLWithPath: keyPath))
        #expect(try HandoffStore.open(at: fixture.store.path).read { try $0.verifyAudit() }.firstBreak == nil)
    }

    @Test func recordsWrittenBeforeTheChainAreSealedOnUpgrade() throws {
        let fixture = try StoreFixture()
        _ = try fixture.makeTask()
        let count = try fixture.store.read { try $0.auditCount() }
        try fixture.store.close()
        // Back to the schema before the chain: no hashes, no key, v8 not applied.
        try tamper(fixture, """
            UPDATE audit SET prevHash = NULL, hash = NULL;
            DELETE FROM grdb_migrations WHERE identifier = 'v8-audit-chain';
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END;
            """)
        try FileManager.default.removeItem(atPath: AuditKey.path(forDatabase: fixture.store.path))

        let upgraded = try HandoffStore.open(at: fixture.store.path)
        let verification = try upgraded.read { try $0.verifyAudit() }
        #expect(verification.firstBreak == nil && verification.records == count)
        #expect(throws: StoreError.self) {
            try upgraded.write { try $0.db.execute(sql: "UPDATE audit SET actor = 'x' WHERE seq = 1") }
        }
    }
}
