import Foundation
import HandoffCore
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// `handoff doctor`: reads the facts from the operating system and the database, and judges them with
/// ``DoctorRules``.
///
/// The files are looked at before the database is opened, so the report shows them as the consoles and the
/// worker left them.
public struct Doctor {
    /// The database file to check.
    public let databasePath: String
    /// The running binary.
    public let executable: String

    public init(databasePath: String, executable: String = "/proc/self/exe") {
        self.databasePath = databasePath
        self.executable = executable
    }

    /// Runs every check in order. A check that cannot read its facts is a problem of its own; checks of the
    /// database are left out when it cannot be opened.
    public func run(now: Date) -> DoctorReport {
        var findings: [DoctorFinding] = []
        let binary = realPath(executable).flatMap(FileFacts.of)
        findings.append(binary.map(DoctorRules.install(binary:))
            ?? DoctorFinding(check: "install", status: .warning, found: "cannot look at the running binary (\(executable))",
                             fix: "run handoff doctor on Linux, where /proc/self/exe names the binary"))
        let directory = (databasePath as NSString).deletingLastPathComponent
        if let facts = FileFacts.of(directory.isEmpty ? "." : directory) {
            findings.append(DoctorRules.dataDirectory(facts, binary: binary))
        }
        for suffix in ["", "-wal", "-shm"] {
            if let facts = FileFacts.of(databasePath + suffix) { findings.append(DoctorRules.databaseFile(facts, binary: binary)) }
        }
        if let facts = FileFacts.of(AuditKey.path(forDatabase: databasePath)) { findings.append(DoctorRules.auditKeyFile(facts, binary: binary)) }
        let store: HandoffStore
        do {
            store = try HandoffStore.open(at: databasePath)
        } catch {
            findings.append(DoctorRules.openFailure(error, path: databasePath))
            findings.append(DoctorRules.sqliteLibrary(version: StoreSession.sqliteLibraryVersion))
            return DoctorReport(checks: findings)
        }
        findings.append(check("journal") { DoctorRules.journal(mode: try store.read { try $0.journalMode() }) })
        // The writer's connection: the one whose commits must reach the disk.
        findings.append(check("synchronous") { DoctorRules.synchronous(level: try store.write { try $0.synchronousLevel() }) })
        findings.append(check("schema") {
            DoctorRules.schema(applied: try store.read { try $0.appliedMigrations() }, known: StoreSession.knownMigrations)
        })
        findings.append(DoctorRules.sqliteLibrary(version: StoreSession.sqliteLibraryVersion))
        findings.append(check("audit") { DoctorRules.auditChain(try store.read { try $0.verifyAudit() }) })
        let sync = Result { try store.read { try SyncStatusReport.read($0, now: now) } }
        findings.append(check("sync worker") { DoctorRules.syncWorker(try sync.get(), now: now) })
        findings.append(check("dead letters") { DoctorRules.deadLetters(open: try sync.get().openDeadLetters) })
        findings.append(check("outbound") { DoctorRules.outbound(try store.read { try OutboundStatusReport.read($0, now: now) }, now: now) })
        return DoctorReport(checks: findings)
    }

    /// The finding `body` makes, or a problem saying why it could not be made.
    private func check(_ name: String, _ body: () throws -> DoctorFinding) -> DoctorFinding {
        do {
            return try body()
        } catch {
            return DoctorFinding(check: name, status: .problem, found: "could not be read: \(error)",
                                 fix: "check the database lines above; then sqlite3 \(DoctorRules.quoted(databasePath)) 'PRAGMA integrity_check'")
        }
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
