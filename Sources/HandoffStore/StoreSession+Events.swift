import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - Inbox and event log

    /// The inbox entry of (`source`, `id`), if the event was accepted before.
    public func inboxEntry(source: String, eventID: String) throws -> InboxEntry? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM event WHERE source = ? AND eventID = ?"), arguments: [source, eventID])
            .map(Self.inboxEntry(from:))
    }

    /// Records an accepted event.
    public func recordEvent(_ entry: InboxEntry) throws {
        try db.cachedStatement(sql: """
            INSERT INTO event(source, eventID, type, eventTime, receivedAt, traceID, correlationKey, partitionKey, subject,
                              status, outcome, tasks, transport, attempts, nextAttempt, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                entry.source, entry.eventID, entry.type, entry.eventTime, entry.receivedAt, entry.traceID, entry.correlationKey,
                entry.partitionKey, entry.subject, entry.status.rawValue, entry.outcome, Self.taskList(entry.tasks),
                entry.transport, entry.attempts, entry.nextAttempt, entry.raw,
            ])
    }

    /// Records what became of an event already in the inbox (a parked event retried, a replay).
    public func updateEvent(source: String, eventID: String, status: InboxEntry.Status, outcome: String,
                            tasks: [TaskID], attempts: Int, nextAttempt: Date?) throws {
        try db.cachedStatement(sql: """
            UPDATE event SET status = ?, outcome = ?, tasks = ?, attempts = ?, nextAttempt = ? WHERE source = ? AND eventID = ?
            """).execute(arguments: [status.rawValue, outcome, Self.taskList(tasks), attempts, nextAttempt, source, eventID])
    }

    /// Parked events due for another try at `now`, oldest first.
    public func parkedEvents(dueBy now: Date, limit: Int = 500) throws -> [InboxEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM event WHERE status = 'parked' AND nextAttempt <= ? ORDER BY seq LIMIT ?",
                         arguments: [now, limit]).map(Self.inboxEntry(from:))
    }

    /// Parked events waiting for the task of `correlationKey`, in the order they arrived.
    public func parkedEvents(correlationKey: String) throws -> [InboxEntry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM event WHERE status = 'parked' AND correlationKey = ? ORDER BY seq"),
                         arguments: [correlationKey]).map(Self.inboxEntry(from:))
    }

    /// Accepted events received since `time` (all when `nil`), oldest first: the log replay reads.
    public func loggedEvents(since time: Date?, afterSeq: Int64 = 0, limit: Int = 1_000) throws -> [InboxEntry] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM event WHERE seq > ? AND receivedAt >= ? ORDER BY seq LIMIT ?
            """, arguments: [afterSeq, time ?? .distantPast, limit]).map(Self.inboxEntry(from:))
    }

    /// Events matching an event id, a trace id, or a correlation key / reference, oldest first.
    public func events(matching text: String, limit: Int = 200) throws -> [InboxEntry] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM event WHERE eventID = ? OR traceID = ? OR correlationKey = ? OR subject = ?
            ORDER BY seq LIMIT ?
            """, arguments: [text, text, text, text, limit]).map(Self.inboxEntry(from:))
    }

    /// The open task of a correlation key (at most one exists).
    public func openTask(correlationKey: String) throws -> WorkTask? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM task WHERE correlationKey = ? AND state NOT IN ('completed', 'cancelled')
            """), arguments: [correlationKey]).map(TaskRow.task(from:))
    }

    /// The most recent closed task of a correlation key.
    public func latestClosedTask(correlationKey: String) throws -> WorkTask? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM task WHERE correlationKey = ? AND state IN ('completed', 'cancelled') ORDER BY id DESC LIMIT 1
            """), arguments: [correlationKey]).map(TaskRow.task(from:))
    }

    /// Audit records that name `event` in their detail or carry `trace`, oldest first.
    public func auditRecords(event: String?, trace: String?, tasks: [TaskID]) throws -> [StoredAudit] {
        guard !tasks.isEmpty || trace != nil else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let trace { conditions.append("traceID LIKE ?"); arguments += ["%" + trace + "%"] }
        if !tasks.isEmpty {
            conditions.append("task IN (\(tasks.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(tasks.map(\.number))
        }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE \(conditions.joined(separator: " OR ")) ORDER BY seq LIMIT 1000",
                                    arguments: arguments).map(Self.audit(from:))
        guard let event else { return rows }
        return rows.filter { $0.entry.detail["event"] == event || (trace != nil && ($0.entry.traceID ?? "").contains(trace!)) }
    }

    /// The number of events in the inbox, by status.
    public func eventCounts() throws -> [InboxEntry.Status: Int] {
        var counts: [InboxEntry.Status: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM event GROUP BY status") {
            if let status = InboxEntry.Status(rawValue: row["status"]) { counts[status] = row["n"] }
        }
        return counts
    }

    static func inboxEntry(from row: Row) throws -> InboxEntry {
        InboxEntry(
            seq: row["seq"], source: row["source"], eventID: row["eventID"], type: row["type"], eventTime: row["eventTime"],
            receivedAt: row["receivedAt"], traceID: row["traceID"], correlationKey: row["correlationKey"],
            partitionKey: row["partitionKey"], subject: row["subject"],
            status: InboxEntry.Status(rawValue: row["status"]) ?? .dead, outcome: row["outcome"],
            tasks: (row["tasks"] as String).split(separator: ",").compactMap { TaskID(String($0)) },
            transport: row["transport"], attempts: row["attempts"], nextAttempt: row["nextAttempt"], raw: row["raw"]
        )
    }

    private static func taskList(_ tasks: [TaskID]) -> String {
        tasks.map { String($0.number) }.joined(separator: ",")
    }

    // MARK: - Benchmarks

    /// The tables a worker writes to, each with the key that orders its rows.
    public static let rowKeys: [(table: String, key: String)] = [
        ("task", "id"), ("note", "id"), ("audit", "seq"), ("outbox", "seq"), ("event", "seq"), ("deadLetter", "id"),
    ]

    /// The largest key of each table in ``rowKeys``.
    public func highWaterMarks() throws -> [String: Int64] {
        var marks: [String: Int64] = [:]
        for (table, key) in Self.rowKeys {
            marks[table] = try Int64.fetchOne(db, sql: "SELECT coalesce(max(\(key)), 0) FROM \(table)") ?? 0
        }
        return marks
    }

    // MARK: - Savepoints

    /// Runs `body` in a savepoint: if it throws, its changes are undone and the error rethrown,
    /// while the enclosing transaction goes on.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }

    // MARK: - Sync state

    /// A value of the sync worker's durable state: cursors, counters, status.
    public func syncValue(_ key: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM syncState WHERE key = ?"), arguments: [key])
    }

    /// Records that background job `job` (`worker`, `outbound`) is alive: `JOB.heartbeat`, `JOB.pid` and
    /// `JOB.status`, read back by the status reports and the doctor.
    public func recordHeartbeat(of job: String, status: String, pid: Int32, at now: Date) throws {
        try setSyncValue("\(job).heartbeat", Timestamp.format(now), at: now)
        try setSyncValue("\(job).pid", String(pid), at: now)
        try setSyncValue("\(job).status", status, at: now)
    }

    /// Sets a value of the sync worker's durable state.
    public func setSyncValue(_ key: String, _ value: String, at now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO syncState(key, value, updatedAt) VALUES (?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt
            """).execute(arguments: [key, value, now])
    }

    /// Adds `amount` to a counter of the sync worker's state.
    public func addToSyncCounter(_ key: String, _ amount: Int, at now: Date) throws {
        guard amount != 0 else { return }
        try db.cachedStatement(sql: """
            INSERT INTO syncState(key, value, updatedAt) VALUES (?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value, updatedAt = excluded.updatedAt
            """).execute(arguments: [key, String(amount), now])
    }

    /// Every value of the sync worker's state whose key starts with `prefix`, with when it was set.
    public func syncValues(prefix: String = "") throws -> [String: (value: String, updatedAt: Date)] {
        var result: [String: (String, Date)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value, updatedAt FROM syncState WHERE key >= ? AND key < ?",
                                    arguments: [prefix, prefix + "\u{FFFF}"]) {
            result[row["key"]] = (row["value"], row["updatedAt"])
        }
        return result
    }

    /// Removes a value of the sync worker's state.
    public func removeSyncValue(_ key: String) throws {
        try db.execute(sql: "DELETE FROM syncState WHERE key = ?", arguments: [key])
    }
}
