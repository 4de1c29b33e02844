import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - Bulk loading

    /// Tasks, audit records and SLA pauses mapped to rows for ``bulkInsert(_:)``.
    ///
    /// Mapping takes about as long as inserting and needs no database, so a loader can prepare the
    /// next batch on another thread while the writer inserts this one.
    public struct BulkRows: Sendable {
        /// Bound parameters per statement: hundreds of rows to an `INSERT`, well within the 32,766
        /// SQLite (3.32 and later) allows. A statement per row would pay SQLite's per-statement work
        /// (journal, foreign key and autoincrement bookkeeping) for every row.
        static let parametersPerStatement = 10_000

        /// How many tasks the rows hold.
        public let taskCount: Int
        /// How many audit records the rows hold.
        public let auditCount: Int
        /// How many SLA pauses the rows hold.
        public let pauseCount: Int
        let tasks: [StatementArguments]
        /// The audit records' values, ``auditColumns`` after ``auditColumns``: they are sealed into the
        /// chain as they are inserted, after whatever the database holds by then.
        let audit: [DatabaseValue]
        let pauses: [StatementArguments]

        /// Maps `tasks`, `audit` and the tasks' SLA `pauses` to rows, exactly as the single-row use cases write them.
        public init(tasks: [WorkTask], audit: [AuditEntry], pauses: [SLAPauseRecord] = []) {
            taskCount = tasks.count
            auditCount = audit.count
            pauseCount = pauses.count
            self.tasks = Self.chunks(tasks, columns: TaskRow.columns.count) { task, values in
                for (_, value) in TaskRow.orderedValues(of: task) { values.append(StoreSession.bulkDatabaseValue(value)) }
            }
            // Generated histories repeat the same few details (`{"owner":"…"}`): encode each once.
            var encoded: [[String: String]: String] = [:]
            var auditValues: [DatabaseValue] = []
            auditValues.reserveCapacity(audit.count * StoreSession.auditColumns.count)
            for entry in audit {
                let detail: String
                if let known = encoded[entry.detail] {
                    detail = known
                } else {
                    detail = CanonicalJSON.encode(entry.detail)
                    encoded[entry.detail] = detail
                }
                for value in StoreSession.auditValues(of: entry, detail: detail) { auditValues.append(StoreSession.bulkDatabaseValue(value)) }
            }
            self.audit = auditValues
            self.pauses = Self.chunks(pauses, columns: StoreSession.pauseColumns.count) { record, values in
                for value in StoreSession.pauseValues(of: record) { values.append(StoreSession.bulkDatabaseValue(value)) }
            }
        }

        static func rowsPerStatement(columns: Int) -> Int { max(1, parametersPerStatement / columns) }

        private static func chunks<Item>(_ items: [Item], columns: Int,
                                         values: (Item, inout [(any DatabaseValueConvertible)?]) -> Void) -> [StatementArguments] {
            let rows = rowsPerStatement(columns: columns)
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(rows * columns)
            return stride(from: 0, to: items.count, by: rows).map { start in
                arguments.removeAll(keepingCapacity: true)
                for item in items[start..<min(start + rows, items.count)] { values(item, &arguments) }
                return StatementArguments(arguments)
            }
        }
    }

    /// Inserts the tasks, then the audit records and the SLA pauses, of `rows` as they are, without
    /// replaying the workflow rules or measuring SLAs: for loading large generated workloads. The search
    /// index is kept up to date as for any other insert.
    ///
    /// Runs inside the caller's transaction, so a failure (an id already taken, an unknown queue or
    /// owner) leaves nothing behind. Pass tasks with ids the database does not have yet, and batches
    /// of thousands of tasks per transaction rather than one huge one. While it runs, the connection
    /// may use up to 256 MiB of page cache.
    public func bulkInsert(_ rows: BulkRows) throws {
        let needed = BulkRows.parametersPerStatement
        guard db.maximumStatementArgumentCount >= needed else {
            throw StoreError.sqlite("bulk loading binds \(needed) parameters per statement, this SQLite allows "
                + "\(db.maximumStatementArgumentCount): use SQLite 3.32 or later")
        }
        // Each insert touches index and search pages all over the file: with SQLite's default 2 MiB
        // page cache they are read and spilled again and again.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2_000
        try db.execute(sql: "PRAGMA cache_size = -\(Self.bulkCacheKiB)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        // A multi-row INSERT keeps a journal of the pages it changes, in a temporary file beyond
        // 64 KiB; in memory it costs far less. SQLite refuses the change once the connection has
        // opened its temporary database: then the file it is.
        let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
        let journalInMemory = (try? db.execute(sql: "PRAGMA temp_store = MEMORY")) != nil
        defer { if journalInMemory { try? db.execute(sql: "PRAGMA temp_store = \(tempStore)") } }

        try insert(rows.tasks, of: rows.taskCount, into: TaskRow.table, columns: TaskRow.columns)
        try insert(sealedAudit(rows), of: rows.auditCount, into: "audit", columns: Self.chainedAuditColumns + ["hash"])
        try insert(rows.pauses, of: rows.pauseCount, into: "slaPause", columns: Self.pauseColumns)
    }

    /// The audit values of `rows` chained after the current head and sealed, in statement-sized chunks.
    private func sealedAudit(_ rows: BulkRows) throws -> [StatementArguments] {
        let width = Self.auditColumns.count
        let perStatement = BulkRows.rowsPerStatement(columns: width + 3)
        var link = try chainHead()
        var chunks: [StatementArguments] = []
        var chunk: [DatabaseValue] = []
        for start in stride(from: 0, to: rows.audit.count, by: width) {
            chunk.append(contentsOf: seal(Array(rows.audit[start..<start + width]), after: &link))
            if chunk.count == perStatement * (width + 3) {
                chunks.append(StatementArguments(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { chunks.append(StatementArguments(chunk)) }
        return chunks
    }

    /// The `slaPause` columns a pause is written to, in the order of ``pauseValues(of:)``.
    static let pauseColumns = ["task", "cycle", "start", "end"]

    /// The values of `record` for ``pauseColumns``.
    static func pauseValues(of record: SLAPauseRecord) -> [(any DatabaseValueConvertible)?] {
        [record.task.number, record.cycle, record.pause.start, record.pause.end]
    }

    /// The page cache ``bulkInsert(_:)`` allows itself.
    static let bulkCacheKiB = 262_144

    /// Maps and inserts `tasks`, then `audit` and `pauses`: ``bulkInsert(_:)`` of ``BulkRows/init(tasks:audit:pauses:)``.
    public func bulkInsert(tasks: [WorkTask], audit: [AuditEntry], pauses: [SLAPauseRecord] = []) throws {
        try bulkInsert(BulkRows(tasks: tasks, audit: audit, pauses: pauses))
    }

    private func insert(_ chunks: [StatementArguments], of count: Int, into table: String, columns: [String]) throws {
        let perStatement = BulkRows.rowsPerStatement(columns: columns.count)
        var full: Statement?
        for (index, arguments) in chunks.enumerated() {
            let rows = min(perStatement, count - index * perStatement)
            let statement: Statement
            if rows == perStatement, let full {
                statement = full
            } else {
                let row = "(" + columns.map { _ in "?" }.joined(separator: ", ") + ")"
                statement = try db.makeStatement(sql: """
                    INSERT INTO \(table)(\(columns.joined(separator: ", ")))
                    VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
                    """)
                if rows == perStatement { full = statement }
            }
            try statement.execute(arguments: arguments)
        }
    }

    /// `value` as GRDB stores it. Dates on a whole second between 1900 and 9999 are written here in
    /// GRDB's text format (`yyyy-MM-dd HH:mm:ss.SSS`, UTC): GRDB formats dates with Foundation's
    /// `DateFormatter`, which costs more than all the rest of a row.
    static func bulkDatabaseValue(_ value: (any DatabaseValueConvertible)?) -> DatabaseValue {
        guard let date = value as? Date else { return value?.databaseValue ?? .null }
        let seconds = date.timeIntervalSince1970
        guard seconds.rounded(.down) == seconds, (-2_208_988_800...253_402_300_799).contains(seconds) else {
            return date.databaseValue
        }
        // Days since 1970 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
        let total = Int(seconds)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let time = total - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        let text = String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ number: Int, digits: Int, at offset: Int) {
                var rest = number
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, digits: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, digits: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, digits: 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(time / 3_600, digits: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(time / 60 % 60, digits: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(time % 60, digits: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(0, digits: 3, at: 20)
            return 23
        }
        return text.databaseValue
    }
}
