import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - Writing: in the transaction of the change

    /// Writes the outbound event of the audited change `entry` (an action of `kind`, audit record
    /// `auditSeq`) that left `task` as it is, in the caller's transaction: the event and the change
    /// commit together or not at all. Nothing when an admin turned outbound events off.
    func emitOutbound(_ entry: AuditEntry, kind: ActionKind, auditSeq: Int64, task: WorkTask) throws {
        let settings = try outboundSettings()
        guard settings.emitting, let event = OutboundEvent.of(entry, kind: kind, task: task) else { return }
        // The next number after the highest ever given, even when that row was pruned: AUTOINCREMENT's
        // rule. The write lock is held, so nobody else takes it meanwhile.
        let next = try lastOutboundSeq() + 1
        let id = UUID().uuidString.lowercased()
        let line = event.cloudEvent(id: id, source: settings.source, sequence: next).structuredJSON
        try db.cachedStatement(sql: "INSERT INTO outbox(seq, id, audit, task, type, time, event) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [next, id, auditSeq, task.id.number, event.type, event.time, line])
    }

    /// This instance's outbound settings: the CloudEvents `source` of its events, the short token its
    /// spool files carry (so two databases can share a spool), and whether task changes emit events
    /// (`handoff outbound emit on|off`).
    public func outboundSettings() throws -> (source: String, instance: String, emitting: Bool) {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT key, value FROM meta WHERE key IN ('outbound.source', 'outbound.instance', 'outbound.emit')")) {
            values[row[0]] = row[1]
        }
        guard let source = values["outbound.source"], let instance = values["outbound.instance"] else {
            throw StoreError.sqlite("the database has no outbound settings (migration v10-outbox did not run)")
        }
        return (source, instance, values["outbound.emit"] != "off")
    }

    /// The CloudEvents `source` of this Handoff instance's outbound events.
    public func outboundSource() throws -> String { try outboundSettings().source }

    /// The highest outbound sequence number ever given (0 before the first).
    private func lastOutboundSeq() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) ?? 0
    }

    // MARK: - Reading and delivering

    /// Up to `limit` outbound events after sequence number `seq`, in order.
    public func outboundEvents(after seq: Int64, limit: Int) throws -> [OutboxEntry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT seq, id, type, event, time FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"),
                         arguments: [seq, limit])
            .map(Self.outboxEntry)
    }

    /// The outbound events that the audit records `seqs` emitted and the outbox still holds, by audit record.
    public func outboundEvents(forAudit seqs: [Int64]) throws -> [Int64: OutboxEntry] {
        guard !seqs.isEmpty else { return [:] }
        var events: [Int64: OutboxEntry] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT seq, id, type, event, time, audit FROM outbox WHERE audit IN (\(seqs.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(seqs)) {
            events[row[5]] = Self.outboxEntry(row)
        }
        return events
    }

    /// An entry from a row whose first columns are `seq, id, type, event, time`.
    private static func outboxEntry(_ row: Row) -> OutboxEntry {
        OutboxEntry(seq: row[0], id: row[1], type: row[2], line: row[3], time: row[4])
    }

    /// The outbox now: the newest sequence number given, how many events wait for delivery, and when the
    /// oldest waiting change happened.
    public func outboundBacklog() throws -> (newest: Int64, waiting: Int, oldestWaiting: Date?) {
        let cursor = try outboundCursor()
        let newest = try lastOutboundSeq()
        let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE seq > ?", arguments: [cursor]) ?? 0
        let oldest = try Date.fetchOne(db, sql: "SELECT time FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1", arguments: [cursor])
        return (newest, waiting, oldest)
    }

    /// The sequence number of the last outbound event delivered (0 before the first).
    public func outboundCursor() throws -> Int64 {
        try syncValue(Self.outboundCursorKey).flatMap { Int64($0) } ?? 0
    }

    /// Records that the outbound events after `previous` through `seq` were delivered, in file `file`,
    /// unless the cursor moved meanwhile (an `outbound replay` rewound it): then nothing is recorded and
    /// `false` returned, and the next delivery starts from the rewound cursor.
    public func recordOutboundDelivery(after previous: Int64, through seq: Int64, events: Int, file: String, at now: Date) throws -> Bool {
        guard try outboundCursor() == previous else { return false }
        try setSyncValue(Self.outboundCursorKey, String(seq), at: now)
        try setSyncValue("outbound.lastFile", file, at: now)
        try addToSyncCounter("outbound.delivered", events, at: now)
        return true
    }

    /// Moves the cursor back so the events from the first one at or after `time` (in delivery order) are
    /// delivered again, with the same ids (for a consumer that lost files). Returns how many will be
    /// delivered again. Throws ``StoreError/outboundPruned(through:)`` when `time` is not after the
    /// newest change time ever pruned: some events since then may be gone.
    public func rewindOutbound(to time: Date, at now: Date) throws -> Int {
        let cursor = try outboundCursor()
        if let pruned = try syncValue(Self.prunedThroughKey).flatMap(StoredDate.parse), time <= pruned {
            throw StoreError.outboundPruned(through: pruned)
        }
        guard let first = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM outbox WHERE time >= ? AND seq <= ?", arguments: [time, cursor]) else {
            return 0
        }
        try setSyncValue(Self.outboundCursorKey, String(first - 1), at: now)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE seq >= ? AND seq <= ?", arguments: [first, cursor]) ?? 0
    }

    /// Deletes up to `limit` delivered outbound events whose change happened before `cutoff`, from the
    /// oldest on and stopping at the first younger or undelivered one, so the outbox always holds an
    /// unbroken run of the sequence; returns how many. Remembers the newest change time it deleted, which
    /// a replay may not reach back to.
    public func pruneOutbound(before cutoff: Date, limit: Int, at now: Date) throws -> Int {
        let cursor = try outboundCursor()
        let end = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM outbox WHERE time >= ? OR seq > ?", arguments: [cutoff, cursor]) ?? cursor + 1
        let doomed = "SELECT seq, time FROM outbox WHERE seq < ? ORDER BY seq LIMIT ?"
        guard let newest = try Date.fetchOne(db, sql: "SELECT max(time) FROM (\(doomed))", arguments: [end, limit]) else { return 0 }
        try db.execute(sql: "DELETE FROM outbox WHERE seq IN (SELECT seq FROM (\(doomed)))", arguments: [end, limit])
        let pruned = db.changesCount
        try addToSyncCounter("outbound.pruned", pruned, at: now)
        if try syncValue(Self.prunedThroughKey).flatMap(StoredDate.parse).map({ newest > $0 }) ?? true {
            try setSyncValue(Self.prunedThroughKey, String.fromDatabaseValue(newest.databaseValue) ?? "", at: now)
        }
        return pruned
    }

    static let outboundCursorKey = "outbound.cursor"
    /// The newest change time among the pruned events.
    static let prunedThroughKey = "outbound.prunedThrough"
}
