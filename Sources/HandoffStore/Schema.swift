import Foundation
import GRDB
import HandoffCore

/// The database schema, created and upgraded by versioned migrations.
enum Schema {
    /// Written to the SQLite header (`PRAGMA application_id`) so Handoff recognises its files: "HNDF".
    static let applicationID: Int32 = 0x484E_4446

    /// The migrations, for comparing their names only: the key it seals records with is never used.
    static var listing: DatabaseMigrator { migrator(sealingWith: .random()) }

    /// The migrations; `key` seals the audit records written before the chain existed (`v8-audit-chain`).
    static func migrator(sealingWith key: AuditKey) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "user") { t in
                t.primaryKey("name", .text)
                t.column("displayName", .text).notNull()
                t.column("roles", .text).notNull()
                t.column("disabled", .boolean).notNull().defaults(to: false)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "queue") { t in
                t.primaryKey("name", .text)
                t.column("title", .text).notNull()
                t.column("requiresReview", .boolean).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "queueMember") { t in
                t.column("queue", .text).notNull().references("queue")
                t.column("user", .text).notNull().references("user")
                t.column("isSupervisor", .boolean).notNull()
                t.primaryKey(["queue", "user", "isSupervisor"])
            }
            try db.create(index: "queueMember_user", on: "queueMember", columns: ["user"])
            try db.create(table: "task") { t in
                t.primaryKey("id", .integer)
                t.column("queue", .text).notNull().references("queue")
                t.column("state", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("priorityRank", .integer).notNull()
                t.column("title", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("subject", .text)
                t.column("subjectDisplay", .text)
                t.column("focus", .text)
                t.column("correlationKey", .text)
                t.column("owner", .text).references("user")
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text).notNull()
                t.column("dueAt", .datetime)
                t.column("version", .integer).notNull()
                t.column("traceID", .text)
                t.column("pendingReason", .text)
                t.column("expectedBy", .datetime)
                t.column("exceptionCode", .text)
                t.column("exceptionContext", .text)
                t.column("resolution", .text)
                t.column("cancelReason", .text)
                t.column("escalated", .boolean).notNull()
            }
            // The queue view: a queue's open work, most urgent and oldest first.
            try db.create(index: "task_queue_order", on: "task", columns: ["queue", "state", "priorityRank", "createdAt"])
            // "My work": what a user owns.
            try db.create(index: "task_owner", on: "task", columns: ["owner", "state"])
            // A correlation key has at most one open task.
            try db.execute(sql: """
                CREATE UNIQUE INDEX task_open_correlation ON task(correlationKey)
                WHERE correlationKey IS NOT NULL AND state NOT IN ('completed', 'cancelled')
                """)
            try db.create(table: "note") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("task", .integer).notNull().references("task")
                t.column("author", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(index: "note_task", on: "note", columns: ["task"])
            try db.create(table: "audit") { t in
                t.column("seq", .integer).primaryKey(autoincrement: true)
                t.column("time", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("actorRole", .text).notNull()
                t.column("origin", .text).notNull()
                t.column("action", .text).notNull()
                t.column("task", .integer)
                t.column("fromState", .text)
                t.column("toState", .text)
                t.column("detail", .text).notNull()
                t.column("traceID", .text)
                t.column("prevHash", .text)
                t.column("hash", .text)
            }
            try db.create(index: "audit_task", on: "audit", columns: ["task", "seq"])
            try db.create(index: "audit_actor", on: "audit", columns: ["actor", "seq"])
        }
        migrator.registerMigration("v2-search-and-paging") { db in
            // Word-prefix search that ignores case and accents: `nunez` finds `Nuñez`.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE taskSearch USING fts5(
                    title, patient, reference, tokenize = 'unicode61 remove_diacritics 2');
                CREATE TRIGGER task_search_insert AFTER INSERT ON task BEGIN
                    INSERT INTO taskSearch(rowid, title, patient, reference)
                    VALUES (new.id, new.title, coalesce(new.subjectDisplay, ''),
                            'T-' || new.id || ' ' || coalesce(new.subject, '') || ' ' || coalesce(new.focus, ''));
                END;
                CREATE TRIGGER task_search_update AFTER UPDATE OF title, subjectDisplay, subject, focus ON task BEGIN
                    DELETE FROM taskSearch WHERE rowid = old.id;
                    INSERT INTO taskSearch(rowid, title, patient, reference)
                    VALUES (new.id, new.title, coalesce(new.subjectDisplay, ''),
                            'T-' || new.id || ' ' || coalesce(new.subject, '') || ' ' || coalesce(new.focus, ''));
                END;
                CREATE TRIGGER task_search_delete AFTER DELETE ON task BEGIN
                    DELETE FROM taskSearch WHERE rowid = old.id;
                END;
                INSERT INTO taskSearch(rowid, title, patient, reference)
                    SELECT id, title, coalesce(subjectDisplay, ''),
                           'T-' || id || ' ' || coalesce(subject, '') || ' ' || coalesce(focus, '') FROM task;
                """)
            // Keyset paging over a queue's open work in the two indexed orders; closed work is left out
            // of these indexes so years of completed tasks do not slow the queue view.
            try db.execute(sql: """
                CREATE INDEX task_open_by_priority ON task(queue, priorityRank DESC, createdAt, id)
                    WHERE state NOT IN ('completed', 'cancelled');
                CREATE INDEX task_open_by_age ON task(queue, createdAt, id)
                    WHERE state NOT IN ('completed', 'cancelled');
                """)
        }
        migrator.registerMigration("v3-sync") { db in
            // The inbox and event log in one: every accepted event once per (source, id), as received.
            try db.execute(sql: """
                CREATE TABLE event (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    source TEXT NOT NULL,
                    eventID TEXT NOT NULL,
                    type TEXT NOT NULL,
                    eventTime DATETIME,
                    receivedAt DATETIME NOT NULL,
                    traceID TEXT,
                    correlationKey TEXT,
                    partitionKey TEXT,
                    subject TEXT,
                    status TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    tasks TEXT NOT NULL DEFAULT '',
                    transport TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 1,
                    nextAttempt DATETIME,
                    raw BLOB NOT NULL,
                    UNIQUE (source, eventID)
                );
                CREATE INDEX event_parked ON event(nextAttempt) WHERE status = 'parked';
                CREATE INDEX event_parked_key ON event(correlationKey, seq) WHERE status = 'parked';
                CREATE INDEX event_correlation ON event(correlationKey);
                CREATE INDEX event_trace ON event(traceID);
                CREATE INDEX event_received ON event(receivedAt);
                CREATE TABLE deadLetter (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source TEXT,
                    eventID TEXT,
                    type TEXT,
                    reason TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    raw BLOB NOT NULL,
                    fingerprint INTEGER NOT NULL,
                    transport TEXT NOT NULL,
                    traceID TEXT,
                    correlationKey TEXT,
                    firstSeen DATETIME NOT NULL,
                    lastSeen DATETIME NOT NULL,
                    attempts INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    closedBy TEXT,
                    closedAt DATETIME,
                    closeNote TEXT
                );
                CREATE INDEX deadLetter_fingerprint ON deadLetter(fingerprint) WHERE status = 'open';
                CREATE INDEX deadLetter_status ON deadLetter(status, id);
                CREATE INDEX deadLetter_event ON deadLetter(source, eventID);
                CREATE INDEX deadLetter_trace ON deadLetter(traceID);
                CREATE TABLE syncState (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updatedAt DATETIME NOT NULL
                );
                CREATE INDEX task_correlation ON task(correlationKey, id) WHERE correlationKey IS NOT NULL;
                CREATE INDEX audit_trace ON audit(traceID) WHERE traceID IS NOT NULL;
                """)
        }
        migrator.registerMigration("v4-sla") { db in
            try db.execute(sql: """
                ALTER TABLE task ADD COLUMN slaCycle INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE task ADD COLUMN slaCycleStart DATETIME;
                ALTER TABLE task ADD COLUMN slaStage TEXT;
                ALTER TABLE task ADD COLUMN slaNextAt DATETIME;
                CREATE INDEX task_sla_next ON task(slaNextAt) WHERE slaNextAt IS NOT NULL;
                CREATE TABLE slaPause (
                    task INTEGER NOT NULL REFERENCES task(id),
                    cycle INTEGER NOT NULL,
                    start DATETIME NOT NULL,
                    end DATETIME,
                    PRIMARY KEY (task, cycle, start)
                );
                """)
        }
        migrator.registerMigration("v5-sla-sweeps") { db in
            // Thresholds the sweeper acted on, once per task and SLA cycle.
            try db.execute(sql: """
                CREATE TABLE slaFired (
                    task INTEGER NOT NULL REFERENCES task(id),
                    cycle INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    at DATETIME NOT NULL,
                    PRIMARY KEY (task, cycle, key)
                );
                CREATE INDEX task_pending_expected ON task(expectedBy) WHERE state = 'pending';
                ALTER TABLE task ADD COLUMN slaThreshold TEXT;
                """)
        }
        migrator.registerMigration("v6-dashboard") { db in
            // The dashboard's flow and people figures read the audit records of the last 24 hours; its
            // open-work figures read one covering index of the open tasks, never the task rows.
            try db.execute(sql: """
                CREATE INDEX audit_time ON audit(time);
                CREATE INDEX task_open_dashboard ON task(queue, state, owner, createdAt, dueAt, slaStage, slaThreshold, slaNextAt)
                    WHERE state NOT IN ('completed', 'cancelled');
                """)
        }
        migrator.registerMigration("v7-audit-append-only") { db in
            // Against accidents: audit records are only ever appended. (Against intent, the hash chain is
            // the evidence: whoever can write the file can drop these triggers.)
            try db.execute(sql: """
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only: they cannot be changed'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only: they cannot be deleted'); END;
                """)
        }
        migrator.registerMigration("v8-audit-chain") { db in
            // Records written before the chain existed are sealed in place, in order, as if chained when
            // written; from here on every record is sealed as it is appended.
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            // In batches, so a large audit is never held in memory whole.
            let columns = StoreSession.chainedAuditColumns.dropLast().joined(separator: ", ")
            var link = AuditCheckpoint(seq: 0, hash: AuditSeal.genesis)
            let session = StoreSession(db: db, policies: .none, auditKey: key)
            while true {
                let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM audit WHERE seq > ? ORDER BY seq LIMIT 10000",
                                            arguments: [link.seq])
                guard !rows.isEmpty else { break }
                for row in rows {
                    let seq: Int64 = row[0]
                    link.seq = seq - 1
                    let values: [DatabaseValue] = (1..<row.count).map { row[$0] }
                    let sealed = session.seal(values, after: &link)
                    try db.execute(sql: "UPDATE audit SET prevHash = ?, hash = ? WHERE seq = ?",
                                   arguments: [sealed[sealed.count - 2], sealed[sealed.count - 1], seq])
                }
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only: they cannot be changed'); END;
                """)
        }
        migrator.registerMigration("v9-queue-counts") { db in
            // How many tasks each queue holds in each state, kept by triggers in the transaction of every
            // change: the queue list, the console's first frame and "n of N" read a few rows instead of
            // counting an index of every task (a million-task database took about half a second).
            try db.execute(sql: """
                CREATE TABLE queueCount (
                    queue TEXT NOT NULL,
                    state TEXT NOT NULL,
                    tasks INTEGER NOT NULL,
                    PRIMARY KEY (queue, state)
                ) WITHOUT ROWID;
                INSERT INTO queueCount(queue, state, tasks) SELECT queue, state, count(*) FROM task GROUP BY queue, state;
                CREATE TRIGGER task_count_insert AFTER INSERT ON task BEGIN
                    INSERT INTO queueCount(queue, state, tasks) VALUES (new.queue, new.state, 1)
                        ON CONFLICT(queue, state) DO UPDATE SET tasks = tasks + 1;
                END;
                CREATE TRIGGER task_count_delete AFTER DELETE ON task BEGIN
                    UPDATE queueCount SET tasks = tasks - 1 WHERE queue = old.queue AND state = old.state;
                END;
                CREATE TRIGGER task_count_update AFTER UPDATE OF queue, state ON task
                WHEN old.queue IS NOT new.queue OR old.state IS NOT new.state BEGIN
                    UPDATE queueCount SET tasks = tasks - 1 WHERE queue = old.queue AND state = old.state;
                    INSERT INTO queueCount(queue, state, tasks) VALUES (new.queue, new.state, 1)
                        ON CONFLICT(queue, state) DO UPDATE SET tasks = tasks + 1;
                END;
                """)
        }
        migrator.registerMigration("v10-outbox") { db in
            // The outbound events of task changes, written in the change's transaction; the publisher
            // delivers them in `seq` order and keeps its cursor in syncState. AUTOINCREMENT: a sequence
            // number is never given twice, even after delivered rows are pruned.
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL,
                    audit INTEGER NOT NULL,
                    task INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    time DATETIME NOT NULL,
                    event TEXT NOT NULL
                );
                """)
            // The instance's CloudEvents source until an admin names it, and a short token its spool files carry.
            let uuid = UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('outbound.source', ?), ('outbound.instance', ?)",
                           arguments: ["urn:uuid:" + uuid, String(uuid.prefix(8))])
        }
        return migrator
    }
}
