import Foundation
import GRDB
import HandoffCore

/// The use cases of one transaction. Obtain one from ``HandoffStore/write(_:)`` or ``HandoffStore/read(_:)``.
public struct StoreSession {
    let db: Database
    /// The SLA policies task changes are measured against.
    let policies: SLAPolicies
    /// The key that seals the audit chain.
    let auditKey: AuditKey

    // MARK: - Metadata

    /// A value from the database's own key-value metadata, e.g. `demo`.
    public func meta(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    /// Sets a metadata value.
    public func setMeta(_ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    /// Whether the database is a demo, where acting as a sample user is allowed.
    public func isDemo() throws -> Bool { try meta("demo") == "true" }

    // MARK: - Audit

    /// The audit columns a record is written to, in the order of ``auditValues(of:detail:)``.
    static let auditColumns = ["time", "actor", "actorRole", "origin", "action", "task", "fromState", "toState", "detail", "traceID"]

    /// The values of `entry` for ``auditColumns``, given its detail encoded with `CanonicalJSON`.
    static func auditValues(of entry: AuditEntry, detail: String) -> [(any DatabaseValueConvertible)?] {
        [
            entry.time, entry.actor, entry.actorRole.rawValue, entry.origin, entry.action,
            entry.taskID?.number, entry.fromState?.rawValue, entry.toState?.rawValue, detail, entry.traceID,
        ]
    }

    /// Audit records, oldest first: all of them, or those of one task or one actor.
    public func auditLog(task: TaskID? = nil, actor: String? = nil, limit: Int = 10_000) throws -> [StoredAudit] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let task { conditions.append("task = ?"); arguments += [task.number] }
        if let actor { conditions.append("actor = ?"); arguments += [actor] }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM audit \(filter) ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                                arguments: arguments).map(Self.audit(from:))
    }

    /// The audit records `query` asks for that `actor` may read (``AuditAccess``), oldest first.
    public func auditLog(_ query: AuditQuery, visibleTo actor: Actor) throws -> [StoredAudit] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if try AuditAccess.of(actor) == .supervisedQueues {
            conditions.append("""
                task IN (SELECT id FROM task WHERE queue IN (SELECT queue FROM queueMember WHERE user = ? AND isSupervisor = 1))
                """)
            arguments += [actor.name]
        }
        if let task = query.task { conditions.append("task = ?"); arguments += [task.number] }
        if let name = query.actor { conditions.append("actor = ?"); arguments += [name] }
        if let since = query.since { conditions.append("time >= ?"); arguments += [since] }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [query.limit]
        return try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM audit \(filter) ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                                arguments: arguments).map(Self.audit(from:))
    }

    /// The number of audit records.
    public func auditCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0
    }

    static func audit(from row: Row) throws -> StoredAudit {
        guard let role = Role(rawValue: row["actorRole"]) else {
            throw StoreError.sqlite("unexpected role '\(row["actorRole"] as String)' in the audit table")
        }
        let entry = AuditEntry(
            time: row["time"], actor: row["actor"], actorRole: role, origin: row["origin"], action: row["action"],
            taskID: (row["task"] as Int64?).map(TaskID.init), fromState: (row["fromState"] as String?).flatMap(TaskState.init(rawValue:)),
            toState: (row["toState"] as String?).flatMap(TaskState.init(rawValue:)),
            detail: CanonicalJSON.decode(row["detail"]), traceID: row["traceID"]
        )
        return StoredAudit(seq: row["seq"], entry: entry)
    }
}

extension StoreSession {
    /// Sets configuration values kept in the database (e.g. the SLA policies), as an admin's audited change.
    public func setConfiguration(_ values: [String: String], change: String, detail: [String: String], by actor: Actor, at now: Date) throws {
        let audit = try Administration.configurationChange(change, detail: detail, by: actor, at: now)
        for (key, value) in values { try setMeta(key, value) }
        try append(audit)
    }
}
