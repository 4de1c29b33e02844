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
    /// gives the checked copy to `handOver` (which may move it where it belongs, e.g. into a file the person
    /// named) and records the backup in the audit as `actor`, naming `destination` (else `path`). A copy
    /// that fails its checks is deleted; an error of `handOver` is thrown as it is, and nothing recorded.
    public func backup(to path: String, recordedAs destination: String? = nil, by actor: Actor, at now: Date,
                       handOver: (String) throws -> Void = { _ in }) throws -> BackupSummary {
        let audit: AuditEntry
        do { audit = try Administration.backup(to: destination ?? path, by: actor, at: now) } catch { throw StoreError.transition(error) }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        Glibc.close(fd)
        let summary: BackupSummary
        do {
            let copy = try DatabaseQueue(path: path)
            // One step: the whole copy is read in one read transaction, a consistent snapshot of the WAL.
            try pool.backup(to: copy)
            let checked = try copy.read { db -> (check: [String], chain: AuditVerification, summary: BackupSummary) in
                let chain = try StoreSession(db: db, policies: .none, auditKey: auditKey).verifyAudit()
                return (try String.fetchAll(db, sql: "PRAGMA integrity_check"), chain,
                        BackupSummary(tasks: try Int.fetchOne(db, sql: "SELECT count(*) FROM task") ?? 0,
                                      auditRecords: chain.records))
            }
            try copy.close()
            guard checked.check == ["ok"] else {
                throw StoreError.sqlite("the copy failed its integrity check: \(checked.check.prefix(3).joined(separator: "; "))")
            }
            if let broken = checked.chain.firstBreak {
                throw StoreError.sqlite("the copy's audit chain is broken: \(broken)")
            }
            summary = checked.summary
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            throw StoreError.wrap(error)
        }
        try handOver(path)
        try write { try $0.append(audit) }
        return summary
    }
}
