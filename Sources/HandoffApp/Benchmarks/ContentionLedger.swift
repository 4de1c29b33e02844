import HandoffCore
import HandoffStore

/// What a contention run has to account for in the database: the audit records, in all and by writer,
/// and the sum of the shared tasks' versions. Read before and after the run, the differences must equal
/// the successful actions, in all and per writer: each adds one audit record and one version, and a
/// refused action (a conflict, a rule) adds neither. A lost update, two writers both changing the same
/// version, would show as versions falling short of the audit records.
public struct ContentionLedger: Hashable, Sendable {
    /// Every audit record in the database.
    public var auditRecords: Int
    /// The audit records each writer made.
    public var auditByWriter: [String: Int]
    /// The sum of the shared tasks' versions.
    public var versions: Int

    public init(auditRecords: Int, auditByWriter: [String: Int], versions: Int) {
        self.auditRecords = auditRecords
        self.auditByWriter = auditByWriter
        self.versions = versions
    }

    /// The ledger of `workload`'s database now, read in one transaction as `admin`.
    public static func read(_ store: HandoffStore, workload: ContentionWorkload, as admin: Actor) throws -> ContentionLedger {
        try store.read { session in
            var byWriter: [String: Int] = [:]
            for index in 0..<workload.writers {
                let writer = ContentionWorkload.writer(index)
                byWriter[writer] = try session.auditLog(actor: writer, limit: Int(Int32.max)).count
            }
            let versions = try ContentionWorkload.sharedTasks(in: session, visibleTo: admin).reduce(0) { $0 + $1.version }
            return ContentionLedger(auditRecords: try session.auditCount(), auditByWriter: byWriter, versions: versions)
        }
    }
}
