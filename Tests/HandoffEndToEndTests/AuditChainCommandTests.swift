import Foundation
import HandoffTestSupport
import Testing

/// `handoff audit verify` and `handoff audit checkpoint` against real database files tampered with by the
/// `sqlite3` tool, its guard triggers dropped first as an attacker would.
@Suite(.serialized)
struct AuditChainCommandTests {
    let directory = TemporaryDirectory("handoff-audit-chain")

    /// A generated database of `tasks` tasks with its audit histories; you are its admin.
    func generated(_ name: String, tasks: Int = 200) throws -> String {
        let database = directory.file(name)
        try expectSuccess(CommandRun.handoff(["bench", "generate", "--tasks", String(tasks), "--db", database]))
        return database
    }

    func sqlite(_ database: String, _ sql: String) throws -> String {
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", [database, sql])).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func tamper(_ database: String, _ sql: String) throws {
        _ = try sqlite(database, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; " + sql)
    }

    func verify(_ database: String, checkpoint: String? = nil) throws -> CommandResult {
        try CommandRun.handoff(["audit", "verify", "--db", database] + (checkpoint.map { ["--checkpoint", $0] } ?? []))
    }

    @Test func anUntouchedChainOfAHundredThousandRecordsVerifies() throws {
        let database = try generated("large.db", tasks: 27_000)
        let records = Int(try sqlite(database, "SELECT count(*) FROM audit")) ?? 0
        #expect(records >= 100_000)
        let result = try expectSuccess(verify(database))
        #expect(result.stdout.contains("audit chain intact: \(records) records"))
    }

    struct Tampering: CustomTestStringConvertible, Sendable {
        let name: String
        /// SQL given the record to aim at.
        let sql: @Sendable (Int) -> String
        /// The first bad record and what is said about it, given the record aimed at and the last one.
        let expected: @Sendable (_ target: Int, _ last: Int) -> String
        var testDescription: String { name }

        static let all = [
            Tampering(name: "change a field", sql: { "UPDATE audit SET actor = 'mallory' WHERE seq = \($0)" },
                      expected: { target, _ in "record \(target) does not match its hash" }),
            Tampering(name: "delete a record", sql: { "DELETE FROM audit WHERE seq = \($0)" },
                      expected: { target, _ in "record \(target) is missing: it was deleted" }),
            Tampering(name: "swap two records", sql: { target in
                "UPDATE audit SET seq = -1 WHERE seq = \(target); UPDATE audit SET seq = \(target) WHERE seq = \(target + 1); "
                    + "UPDATE audit SET seq = \(target + 1) WHERE seq = -1"
            }, expected: { target, _ in "record \(target) does not match its hash" }),
            Tampering(name: "append a forged record", sql: { _ in
                """
                INSERT INTO audit(seq, time, actor, actorRole, origin, action, task, detail, prevHash, hash)
                SELECT max(seq) + 1, '2026-12-01 10:00:00.000', 'mallory', 'admin', 'local', 'cancel', 1, '{}',
                       (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), lower(hex(randomblob(32))) FROM audit
                """
            }, expected: { _, last in "record \(last + 1) does not match its hash" }),
            Tampering(name: "insert a forged record in the middle", sql: { target in
                """
                UPDATE audit SET seq = seq + 10000000 WHERE seq >= \(target);
                UPDATE audit SET seq = seq - 10000000 + 1 WHERE seq >= 10000000;
                INSERT INTO audit(seq, time, actor, actorRole, origin, action, task, detail, prevHash, hash)
                VALUES (\(target), '2026-12-01 10:00:00.000', 'mallory', 'admin', 'local', 'cancel', 1, '{}',
                        (SELECT hash FROM audit WHERE seq = \(target - 1)), lower(hex(randomblob(32))))
                """
            }, expected: { target, _ in "record \(target) does not match its hash" }),
        ]
    }

    @Test(arguments: Tampering.all)
    func eachTamperingExitsNonZeroNamingTheFirstBadRecord(_ tampering: Tampering) throws {
        let database = try generated("tampered.db")
        defer { for suffix in ["", "-wal", "-shm", ".audit-key"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        try expectSuccess(verify(database))
        let last = Int(try sqlite(database, "SELECT max(seq) FROM audit")) ?? 0
        let target = last / 2
        try tamper(database, tampering.sql(target))
        let result = try verify(database)
        #expect(result.status == 1)
        #expect(result.stderr.contains("audit chain broken: " + tampering.expected(target, last)), "\(result.stderr)")
    }

    @Test func aCheckpointKeptApartShowsACutTail() throws {
        let database = try generated("checkpointed.db")
        let checkpoint = directory.file("checkpoint.txt")
        let printed = try expectSuccess(CommandRun.handoff(["audit", "checkpoint", "--db", database])).stdout
        try printed.write(toFile: checkpoint, atomically: true, encoding: .utf8)
        let last = try sqlite(database, "SELECT max(seq) FROM audit")
        let head = try sqlite(database, "SELECT hash FROM audit WHERE seq = \(last)")
        #expect(printed.contains("seq \(last)\n") && printed.contains("hash \(head)\n"))

        // Work goes on after the checkpoint: still verifies against it.
        try expectSuccess(CommandRun.handoff(["task", "note", "T-1", "after the checkpoint", "--db", database]))
        try expectSuccess(verify(database, checkpoint: checkpoint))

        try tamper(database, "DELETE FROM audit WHERE seq >= \(last)")
        try expectSuccess(verify(database))
        let cut = try verify(database, checkpoint: checkpoint)
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("the chain ends at record \((Int(last) ?? 0) - 1) but the checkpoint names record \(last)"), "\(cut.stderr)")

        let notACheckpoint = directory.file("notes.txt")
        try "seq 5\n".write(toFile: notACheckpoint, atomically: true, encoding: .utf8)
        let refused = try verify(database, checkpoint: notACheckpoint)
        #expect(refused.status == 1 && refused.stderr.contains("is not an audit checkpoint"))
    }

    @Test func aChainRecomputedWithoutTheKeyFails() throws {
        let database = try generated("rekeyed.db")
        try "\(String(repeating: "ab", count: 32))\n".write(toFile: database + ".audit-key", atomically: true, encoding: .utf8)
        let result = try verify(database)
        #expect(result.status == 1 && result.stderr.contains("record 1 does not match its hash"), "\(result.stderr)")
    }
}
