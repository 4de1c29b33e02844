import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// Keeps a rejected event. The same bytes rejected again for the same reason add an attempt
    /// to the open dead letter instead of a second one. Returns the dead letter's id.
    @discardableResult
    public func deadLetter(_ rejection: EventRejection, raw: Data, event: CloudEvent?, transport: String,
                           correlationKey: String? = nil, at now: Date) throws -> Int64 {
        let identity = event.map(EventIdentity.init) ?? EventIdentity(raw: raw)
        let fingerprint = Self.fingerprint(raw)
        if let row = try Row.fetchOne(db, sql: """
            SELECT id FROM deadLetter WHERE fingerprint = ? AND status = 'open' AND raw = ? AND reason = ?
            """, arguments: [fingerprint, raw, rejection.reason.rawValue]) {
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE deadLetter SET attempts = attempts + 1, lastSeen = ?, detail = ? WHERE id = ?",
                           arguments: [now, rejection.detail, id])
            return id
        }
        try db.execute(sql: """
            INSERT INTO deadLetter(source, eventID, type, reason, detail, raw, fingerprint, transport, traceID, correlationKey,
                                   firstSeen, lastSeen, attempts, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'open')
            """, arguments: [
                identity?.source, identity?.id, identity?.type, rejection.reason.rawValue, rejection.detail, raw, fingerprint, transport,
                identity?.traceID, correlationKey ?? event?.correlationID, now, now,
            ])
        return db.lastInsertedRowID
    }

    /// Dead letters, newest first: the open ones, or those of `status`.
    public func deadLetters(status: DeadLetter.Status? = .open, reason: DeadLetterReason? = nil, limit: Int = 500) throws -> [DeadLetter] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM deadLetter WHERE (? IS NULL OR status = ?) AND (? IS NULL OR reason = ?) ORDER BY id DESC LIMIT ?
            """, arguments: [status?.rawValue, status?.rawValue, reason?.rawValue, reason?.rawValue, limit]).map(Self.deadLetter(from:))
    }

    /// Dead letter `id`.
    public func deadLetter(_ id: Int64) throws -> DeadLetter {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM deadLetter WHERE id = ?", arguments: [id]) else {
            throw StoreError.unknownDeadLetter(id)
        }
        return try Self.deadLetter(from: row)
    }

    /// Dead letters of an event id, trace id or correlation key, oldest first.
    public func deadLetters(matching text: String) throws -> [DeadLetter] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM deadLetter WHERE eventID = ? OR traceID = ? OR correlationKey = ? ORDER BY id
            """, arguments: [text, text, text]).map(Self.deadLetter(from:))
    }

    /// The number of open dead letters, by reason.
    public func openDeadLetterCounts() throws -> [DeadLetterReason: Int] {
        var counts: [DeadLetterReason: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT reason, count(*) AS n FROM deadLetter WHERE status = 'open' GROUP BY reason") {
            if let reason = DeadLetterReason(rawValue: row["reason"]) { counts[reason] = row["n"] }
        }
        return counts
    }

    /// Closes an open dead letter as replayed or discarded, audited as `actor`'s act.
    public func closeDeadLetter(_ id: Int64, as status: DeadLetter.Status, note: String, by actor: Actor, at now: Date) throws {
        let letter = try deadLetter(id)
        let audit = try Integration.close(deadLetter: id, reason: letter.reason, status: status.rawValue, note: note,
                                          isOpen: letter.status == .open, by: actor, at: now)
        try db.execute(sql: "UPDATE deadLetter SET status = ?, closedBy = ?, closedAt = ?, closeNote = ? WHERE id = ?",
                       arguments: [status.rawValue, actor.name, now, note, id])
        try append(audit)
    }

    /// Counts another failed attempt at replaying dead letter `id`, with the new reason.
    public func recordFailedReplay(of id: Int64, _ rejection: EventRejection, at now: Date) throws {
        try db.execute(sql: "UPDATE deadLetter SET attempts = attempts + 1, lastSeen = ?, reason = ?, detail = ? WHERE id = ?",
                       arguments: [now, rejection.reason.rawValue, rejection.detail, id])
    }

    static func deadLetter(from row: Row) throws -> DeadLetter {
        DeadLetter(
            id: row["id"], source: row["source"], eventID: row["eventID"], type: row["type"],
            reason: DeadLetterReason(rawValue: row["reason"]) ?? .handlerError, detail: row["detail"], raw: row["raw"],
            transport: row["transport"], traceID: row["traceID"], correlationKey: row["correlationKey"],
            firstSeen: row["firstSeen"], lastSeen: row["lastSeen"], attempts: row["attempts"],
            status: DeadLetter.Status(rawValue: row["status"]) ?? .open, closedBy: row["closedBy"],
            closedAt: row["closedAt"], closeNote: row["closeNote"]
        )
    }

    /// A stable index key for finding the same bytes again (compared in full).
    static func fingerprint(_ bytes: Data) -> Int64 {
        Int64(bitPattern: Fingerprint.fnv1a(bytes))
    }
}
