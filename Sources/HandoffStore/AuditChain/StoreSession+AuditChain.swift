import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - The audit chain

    /// The audit columns a record's seal covers, in the order ``AuditSeal`` serialises them: its sequence
    /// number, its values (``auditColumns``) and the previous record's hash.
    static let chainedAuditColumns = ["seq"] + auditColumns + ["prevHash"]

    private static let chainedInsert = """
        INSERT INTO audit(\((chainedAuditColumns + ["hash"]).joined(separator: ", ")))
        VALUES (\((chainedAuditColumns + ["hash"]).map { _ in "?" }.joined(separator: ", ")))
        """

    /// Appends `entry` to the audit chain, in the caller's transaction: the next sequence number, the
    /// previous record's hash and its own seal. Returns the record's sequence number.
    @discardableResult
    func append(_ entry: AuditEntry) throws -> Int64 {
        let values = Self.auditValues(of: entry, detail: CanonicalJSON.encode(entry.detail)).map { $0?.databaseValue ?? .null }
        var link = try chainHead()
        try db.cachedStatement(sql: Self.chainedInsert).execute(arguments: StatementArguments(seal(values, after: &link)))
        return link.seq
    }

    /// The last record's sequence number and hash (0 and ``AuditSeal/genesis`` for an empty chain).
    func chainHead() throws -> AuditCheckpoint {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) else {
            return AuditCheckpoint(seq: 0, hash: AuditSeal.genesis)
        }
        guard let hash = row[1] as String? else {
            throw StoreError.sqlite("audit record \(row[0] as Int64) has no hash: handoff did not write it; "
                + "nothing more is appended until an admin has looked (handoff audit verify)")
        }
        return AuditCheckpoint(seq: row[0], hash: hash)
    }

    /// The values of a new record after `link` (``auditColumns`` order in, ``chainedAuditColumns`` and
    /// the hash out); `link` moves on to the new record.
    func seal(_ values: [DatabaseValue], after link: inout AuditCheckpoint) -> [DatabaseValue] {
        var chained: [DatabaseValue] = [(link.seq + 1).databaseValue]
        chained.append(contentsOf: values)
        chained.append(link.hash.databaseValue)
        let hash = AuditSeal.hash(of: chained, key: auditKey)
        chained.append(hash.databaseValue)
        link = AuditCheckpoint(seq: link.seq + 1, hash: hash)
        return chained
    }

    /// The current head of the chain, to keep off the host; `nil` while there are no records.
    public func auditCheckpoint() throws -> AuditCheckpoint? {
        let head = try chainHead()
        return head.seq == 0 ? nil : head
    }

    /// Walks the whole chain, oldest first, recomputing every seal and link; with `checkpoint`, also
    /// checks that the chain still reaches the checkpoint's record, unchanged.
    public func verifyAudit(against checkpoint: AuditCheckpoint? = nil) throws -> AuditVerification {
        let columns = Self.chainedAuditColumns + ["hash"]
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM audit ORDER BY seq")
        var previous = AuditCheckpoint(seq: 0, hash: AuditSeal.genesis)
        var records = 0
        var checkpointHash: String?
        func result(_ firstBreak: AuditChainBreak?) -> AuditVerification {
            AuditVerification(records: records, head: previous.seq == 0 ? nil : previous, firstBreak: firstBreak)
        }
        while let row = try cursor.next() {
            let values: [DatabaseValue] = (0..<columns.count - 1).map { row[$0] }
            let seq: Int64 = row[0]
            let hash: String? = row[columns.count - 1]
            guard seq == previous.seq + 1 else { return result(AuditChainBreak(kind: .deleted, seq: previous.seq + 1)) }
            guard hash == AuditSeal.hash(of: values, key: auditKey) else { return result(AuditChainBreak(kind: .altered, seq: seq)) }
            guard values[values.count - 1] == previous.hash.databaseValue else { return result(AuditChainBreak(kind: .relinked, seq: seq)) }
            records += 1
            previous = AuditCheckpoint(seq: seq, hash: hash ?? "")
            if seq == checkpoint?.seq { checkpointHash = hash }
        }
        if let checkpoint, checkpoint.seq > 0 {
            guard checkpoint.seq <= previous.seq else {
                return result(AuditChainBreak(kind: .truncated, seq: checkpoint.seq, lastPresent: previous.seq))
            }
            guard checkpointHash == checkpoint.hash else { return result(AuditChainBreak(kind: .rewritten, seq: checkpoint.seq)) }
        }
        return result(nil)
    }
}
