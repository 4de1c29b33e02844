import Foundation
import HandoffCore
import HandoffStore

/// How `handoff doctor` judges what it found: facts in, a finding with its fix out. No I/O; time is passed in.
public enum DoctorRules {
    /// How long after the sync worker's last heartbeat (it beats every ten seconds) it counts as not running.
    public static let heartbeatLimit: TimeInterval = 120
    /// The group an installed, set-group-id binary runs as.
    public static let installGroup = "handoff"

    // MARK: - Install and files

    /// The running binary: a development build is not set-group-id; an installed one is set-group-id to the
    /// `handoff` group, owned by root and writable by nobody else.
    public static func install(binary: FileFacts) -> DoctorFinding {
        guard binary.isSetGroupID else {
            return DoctorFinding(check: "install", status: .ok,
                                 found: "development mode: not installed set-group-id (\(binary.path): \(binary.summary))")
        }
        var issues = Issues()
        if binary.mode & 0o022 != 0 {
            issues.add(.problem, "writable by \(writers(of: binary.mode)): whoever can change it acts with the \(binary.group) group's access",
                       fix: "chmod go-w \(quoted(binary.path))")
        }
        if binary.owner != "root" {
            issues.add(.warning, "owned by \(binary.owner), who can replace it", fix: "chown root \(quoted(binary.path))")
        }
        if binary.group != installGroup {
            issues.add(.warning, "its group is \(binary.group), not \(installGroup)",
                       fix: "chgrp \(installGroup) \(quoted(binary.path)), and the data directory and database files with it")
        }
        return issues.finding("install", found: "installed set-group-id: \(binary.path): \(binary.summary)")
    }

    /// The database's directory: nobody else may create or replace files in it; under an installed binary
    /// it belongs to the binary's group, which may create the `-wal` and `-shm` files there.
    public static func dataDirectory(_ directory: FileFacts, binary: FileFacts?) -> DoctorFinding {
        var issues = Issues()
        if directory.mode & 0o002 != 0 {
            issues.add(.problem, "writable by others: anyone could put files of their own beside the database",
                       fix: "chmod o-w \(quoted(directory.path))")
        }
        if let installed = installed(binary) {
            if directory.groupID != installed.groupID {
                issues.add(.problem, "its group is \(directory.group), not the binary's \(installed.group)",
                           fix: "chgrp \(installed.group) \(quoted(directory.path))")
            }
            if directory.mode & 0o070 != 0o070 {
                issues.add(.problem, "the \(installed.group) group cannot create the -wal and -shm files in it",
                           fix: "chmod g+rwx \(quoted(directory.path))")
            }
        }
        return issues.finding("data directory", found: "\(directory.path): \(directory.summary)")
    }

    /// A database file (the database, its `-wal` or its `-shm`): never open to others, readable and writable
    /// by its group, and under an installed binary in the binary's group.
    public static func databaseFile(_ file: FileFacts, binary: FileFacts?) -> DoctorFinding {
        var issues = Issues()
        let chmod = "chmod 660 \(quoted(file.path))"
        if file.mode & 0o007 != 0 {
            let access = [(0o004, "read"), (0o002, "change")].filter { file.mode & UInt32($0.0) != 0 }.map(\.1).joined(separator: " and ")
            let risk = access.isEmpty ? "" : ": anyone on this machine could \(access) the patients' data"
            issues.add(.problem, "\(others(file.mode)) by others\(risk)", fix: chmod)
        }
        let installed = installed(binary)
        if file.mode & 0o060 != 0o060 {
            issues.add(installed == nil ? .warning : .problem,
                       "its group cannot read and write it (Handoff creates it 0660 so that a group can share it)", fix: chmod)
        }
        if let installed, file.groupID != installed.groupID {
            issues.add(.problem, "its group is \(file.group), not the binary's \(installed.group)",
                       fix: "chgrp \(installed.group) \(quoted(file.path))")
        }
        return issues.finding("database file", found: "\(file.path): \(file.summary)")
    }

    /// The audit key beside the database: readable by the group (every Handoff process seals with it),
    /// writable by nobody but its owner, nothing for others — whoever reads it can forge a sealed chain.
    public static func auditKeyFile(_ file: FileFacts, binary: FileFacts?) -> DoctorFinding {
        var issues = Issues()
        let chmod = "chmod 640 \(quoted(file.path))"
        if file.mode & 0o007 != 0 {
            issues.add(.problem, "\(others(file.mode)) by others: anyone who reads it can reseal an altered audit chain", fix: chmod)
        }
        if file.mode & 0o020 != 0 {
            issues.add(.warning, "writable by its group (a new key would make every record fail verification)", fix: chmod)
        }
        let installed = installed(binary)
        if file.mode & 0o040 == 0 {
            issues.add(installed == nil ? .warning : .problem, "its group cannot read it (Handoff creates it 0640)", fix: chmod)
        }
        if let installed, file.groupID != installed.groupID {
            issues.add(.problem, "its group is \(file.group), not the binary's \(installed.group)",
                       fix: "chgrp \(installed.group) \(quoted(file.path))")
        }
        return issues.finding("audit key", found: "\(file.path): \(file.summary)")
    }

    // MARK: - The database

    /// The database could not be opened: what the store said, and what to do about it.
    public static func openFailure(_ error: StoreError, path: String) -> DoctorFinding {
        switch error {
        case .newerSchema:
            DoctorFinding(check: "schema", status: .problem, found: "\(path) was written by a newer version of Handoff",
                          fix: "upgrade handoff to that version wherever this database is used (consoles and the worker), or restore a backup taken before")
        case .missing:
            DoctorFinding(check: "database", status: .problem, found: "no database at \(path)",
                          fix: "handoff init --db \(quoted(path)), or name the right one with --db or $HANDOFF_DB")
        default:
            DoctorFinding(check: "database", status: .problem, found: "cannot open \(path): \(error)",
                          fix: "check the owner, group and mode of the directory and files above")
        }
    }

    /// The journal mode: write-ahead logging, so readers never wait for the writer.
    public static func journal(mode: String) -> DoctorFinding {
        guard mode.lowercased() != "wal" else {
            return DoctorFinding(check: "journal", status: .ok, found: "wal (write-ahead logging)")
        }
        return DoctorFinding(check: "journal", status: .problem,
                             found: "journal mode is \(mode), not wal: consoles and the worker would block one another",
                             fix: "keep the database on a local file system (WAL needs shared memory) and open it with handoff, which turns WAL on")
    }

    /// The `synchronous` level of Handoff's writing connection: FULL (2) or EXTRA (3), so a commit survives a power cut.
    public static func synchronous(level: Int) -> DoctorFinding {
        let names = [0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"]
        let name = names[level] ?? "unknown (\(level))"
        guard level >= 2 else {
            return DoctorFinding(check: "synchronous", status: .problem,
                                 found: "\(name) on Handoff's own connection: a power cut could lose the last committed changes",
                                 fix: "use a handoff build that sets PRAGMA synchronous = FULL when it opens the database")
        }
        return DoctorFinding(check: "synchronous", status: .ok, found: "\(name) (every commit is on disk before it is reported done)")
    }

    /// The migrations applied to the database against those this binary knows (`known`, oldest first).
    public static func schema(applied: Set<String>, known: [String]) -> DoctorFinding {
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty {
            return DoctorFinding(check: "schema", status: .problem,
                                 found: "written by a newer version of Handoff: migrations \(unknown.joined(separator: ", ")) are unknown to this binary",
                                 fix: "upgrade handoff to that version wherever this database is used (consoles and the worker)")
        }
        let missing = known.filter { !applied.contains($0) }
        if !missing.isEmpty {
            return DoctorFinding(check: "schema", status: .problem,
                                 found: "migrations not applied: \(missing.joined(separator: ", "))",
                                 fix: "open the database with this handoff (every command migrates it on opening)")
        }
        return DoctorFinding(check: "schema", status: .ok,
                             found: "\(known.last ?? "no migrations") (all \(known.count) migrations this binary knows)")
    }

    /// The SQLite library: releases before 3.51.3 have the WAL-reset bug.
    public static func sqliteLibrary(version: String) -> DoctorFinding {
        guard let parsed = SQLiteVersion(version) else {
            return DoctorFinding(check: "sqlite", status: .warning, found: "cannot tell the SQLite version from '\(version)'",
                                 fix: "check the installed libsqlite3 is \(SQLiteVersion.walResetFix) or later")
        }
        guard parsed < SQLiteVersion.walResetFix else {
            return DoctorFinding(check: "sqlite", status: .ok, found: "SQLite \(version) (has the WAL-reset fix of \(SQLiteVersion.walResetFix))")
        }
        return DoctorFinding(
            check: "sqlite", status: .warning,
            found: "SQLite \(version) is older than \(SQLiteVersion.walResetFix): its WAL-reset bug can, in rare cases, corrupt a WAL "
                + "database when a checkpoint resets the WAL while another connection writes (https://sqlite.org/wal.html#walresetbug)",
            fix: "upgrade libsqlite3 to \(SQLiteVersion.walResetFix) or later; meanwhile keep backups (handoff backup FILE)")
    }

    /// The audit chain, walked with the database's key.
    public static func auditChain(_ verification: AuditVerification) -> DoctorFinding {
        guard let broken = verification.firstBreak else {
            let head = verification.head.map { ", head \($0.seq)" } ?? ""
            return DoctorFinding(check: "audit", status: .ok, found: "chain intact: \(verification.records) records\(head)")
        }
        return DoctorFinding(check: "audit", status: .problem, found: "chain broken: \(broken)",
                             fix: "treat it as tampering: compare with the checkpoints kept off the host (handoff audit verify "
                                 + "--checkpoint FILE), keep this file as evidence, and restore the last backup that verifies")
    }

    // MARK: - The sync worker

    /// The sync worker's liveness, from its last heartbeat (``heartbeatLimit``).
    public static func syncWorker(_ report: SyncStatusReport, now: Date) -> DoctorFinding {
        let status = report.workerStatus.map { ", \($0)" } ?? ""
        if report.isAlive(now: now, within: heartbeatLimit), let beat = report.heartbeat {
            return DoctorFinding(check: "sync worker", status: .ok,
                                 found: "running (pid \(report.workerPID ?? "?")\(status)), last heartbeat \(RelativeTime.format(from: beat, to: now)) ago")
        }
        let found = report.heartbeat.map { "no sync worker running: last heartbeat \(RelativeTime.format(from: $0, to: now)) ago\(status)" }
            ?? "no sync worker running: none has ever run on this database"
        return DoctorFinding(check: "sync worker", status: .warning, found: found,
                             fix: "start `handoff sync` as the service account (systemctl start handoff-sync)")
    }

    /// Dead letters nobody has replayed or discarded yet.
    public static func deadLetters(open: Int) -> DoctorFinding {
        guard open > 0 else { return DoctorFinding(check: "dead letters", status: .ok, found: "none open") }
        return DoctorFinding(check: "dead letters", status: .warning,
                             found: "\(open) open: events the worker could not apply",
                             fix: "handoff deadletter list; then replay (handoff deadletter replay ID) after a fix, or discard with a reason")
    }

    /// Outbound events waiting for delivery: a warning when some have waited longer than
    /// ``heartbeatLimit`` and no publisher is delivering them, or the running one fails; a running one
    /// that is working through a backlog (or a replay) is fine.
    public static func outbound(_ report: OutboundStatusReport, now: Date) -> DoctorFinding {
        let alive = report.isAlive(now: now, within: heartbeatLimit)
        let publisher: String
        if alive {
            publisher = "publisher running (pid " + (report.publisherPID ?? "?") + ")"
        } else if let beat = report.heartbeat {
            publisher = "no publisher running: last heartbeat " + RelativeTime.format(from: beat, to: now) + " ago"
        } else {
            publisher = "no publisher has ever run"
        }
        let waiting: String = "\(report.waiting) event" + (report.waiting == 1 ? "" : "s") + " waiting"
        let behind: Bool = report.waiting > 0 && (report.oldestWaitingSeconds ?? 0) > Int(heartbeatLimit)
        let oldest: String = report.oldestWaitingText ?? "?"
        if alive, report.isFailing, let error = report.lastError, report.waiting > 0 {
            let fix = "make the outbound spool writable for the service account (handoff outbound status shows the last error)"
            return DoctorFinding(check: "outbound", status: .warning, found: waiting + "; " + publisher + ", failing: " + error, fix: fix)
        }
        guard behind, !alive else {
            let state: String = report.emitting ? "" : "off (handoff outbound emit on); "
            let progress: String = behind ? ", catching up (the oldest for " + oldest + ")" : ""
            let found: String = state + waiting + progress + ", delivered through \(report.delivered); " + publisher
            return DoctorFinding(check: "outbound", status: .ok, found: found)
        }
        let fix = "start `handoff outbound publish` as the service account (systemctl start handoff-outbound), "
            + "or, with no consumer, handoff outbound emit off"
        return DoctorFinding(check: "outbound", status: .warning, found: waiting + " for delivery, the oldest for " + oldest + "; " + publisher, fix: fix)
    }

    // MARK: - Helpers

    /// Issues found in one check, each with its severity and fix, merged into one finding.
    private struct Issues {
        private var found: [(status: DoctorFinding.Status, text: String, fix: String)] = []

        mutating func add(_ status: DoctorFinding.Status, _ text: String, fix: String) {
            found.append((status, text, fix))
        }

        func finding(_ check: String, found facts: String) -> DoctorFinding {
            guard let worst = found.map(\.status).max() else { return DoctorFinding(check: check, status: .ok, found: facts) }
            var fixes: [String] = []
            for issue in found where !fixes.contains(issue.fix) { fixes.append(issue.fix) }
            return DoctorFinding(check: check, status: worst, found: facts + ": " + found.map(\.text).joined(separator: "; "),
                                 fix: fixes.joined(separator: "; "))
        }
    }

    /// The binary's facts when it is installed set-group-id.
    private static func installed(_ binary: FileFacts?) -> FileFacts? {
        binary.flatMap { $0.isSetGroupID ? $0 : nil }
    }

    private static func writers(of mode: UInt32) -> String {
        [(0o020, "its group"), (0o002, "others")].filter { mode & UInt32($0.0) != 0 }.map(\.1).joined(separator: " and ")
    }

    private static func others(_ mode: UInt32) -> String {
        [(0o004, "readable"), (0o002, "writable"), (0o001, "executable")].filter { mode & UInt32($0.0) != 0 }.map(\.1)
            .joined(separator: " and ")
    }

    /// `text` as one shell word: bare when it is plainly safe, else in single quotes.
    static func quoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "/._-+:@%,=".unicodeScalars.contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
