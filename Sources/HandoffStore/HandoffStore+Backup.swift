import Foundation
import GRDB
import HandoffCore
#if canImport(Glibc)
import Glibc
#endif

extension HandoffStore {
    /// What a backup copied.
    public struct BackupSummary: Sendable {
        public var tasks: Int
        public var auditRecords: Int
    }

    /// Copies the database, consistently and while other sessions and the worker go on writing, to a new
    /// file at `path` (mode 0600, never an existing file), checks the copy's integrity and its audit chain
    /// (sealed with this database's key, which the copy does not hold: restore it beside the key file),
    /// and records the backup in the audit as `actor`. A copy that fails its checks is deleted.
    public func backup(to path: String, by actor: Actor, at now: Date) throws(StoreError) -> BackupSummary {
        let audit: AuditEntry
        do { audit = try Administration.backup(to: path, by: actor, at: now) } catch { throw .transition(error) }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        Glibc.close(fd)
        do {
            let copy = try DatabaseQueue(path: path)
            // One step: the whole copy is read in one read transaction, a consistent snapshot of the WAL.
            try pool.backup(to: copy)
            let summary = try copy.read { db -> (check: [String], chain: AuditVerification, summary: BackupSummary) in
                let chain = try StoreSession(db: db, policies: .none, auditKey: auditKey).verifyAudit()
                return (try String.fetchAll(db, sql: "PRAGMA integrity_check"), chain,
                        BackupSummary(tasks: try Int.fetchOne(db, sql: "SELECT count(*) FROM task") ?? 0,
                                      auditRecords: chain.records))
            }
            try copy.close()
            guard summary.check == ["ok"] else {
                throw StoreError.sqlite("the copy failed its integrity check: \(summary.check.prefix(3).joined(separator: "; "))")
            }
            if let broken = summary.chain.firstBreak {
                throw StoreError.sqlite("the copy's audit chain is broken: \(broken)")
            }
            try write { try $0.append(audit) }
            return summary.summary
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            throw StoreError.wrap(error)
        }
    }
}
