import Foundation
import GRDB
import HandoffCore

/// Maps a `WorkTask` to and from its row in the `task` table.
enum TaskRow {
    static let table = "task"

    static func task(from row: Row) throws -> WorkTask {
        try task(from: row, ColumnIndex(row))
    }

    /// Every row of one statement's result: the columns are looked up once, not on every row (GRDB
    /// finds a column by name by comparing lowercased names, which cost more than the rest of a row).
    static func tasks(from rows: [Row]) throws -> [WorkTask] {
        guard let first = rows.first else { return [] }
        let columns = ColumnIndex(first)
        return try rows.map { try task(from: $0, columns) }
    }

    /// Where each column of a statement's rows is.
    struct ColumnIndex {
        private let positions: [String: Int]

        init(_ row: Row) {
            var positions: [String: Int] = [:]
            for (index, name) in row.columnNames.enumerated() where positions[name] == nil { positions[name] = index }
            self.positions = positions
        }

        /// The value of `column` in `row`, which must come from the same statement.
        func callAsFunction(_ row: Row, _ column: String) -> DatabaseValue {
            positions[column].map { row[$0] } ?? .null
        }
    }

    private static func task(from stored: Row, _ columns: ColumnIndex) throws -> WorkTask {
        let row = ColumnReader(row: stored, columns: columns)
        let context: [String: String] = try row.text("exceptionContext").map {
            try JSONDecoder().decode([String: String].self, from: Data($0.utf8))
        } ?? [:]
        return WorkTask(
            id: TaskID(try row.required(row.integer, "id")),
            queue: try row.required(row.text, "queue"),
            state: try decode(TaskState.self, row.required(row.text, "state"), column: "state"),
            priority: try decode(Priority.self, row.required(row.text, "priority"), column: "priority"),
            title: try row.required(row.text, "title"),
            kind: try row.required(row.text, "kind"),
            subject: row.text("subject").flatMap(Reference.init),
            subjectDisplay: row.text("subjectDisplay"),
            focus: row.text("focus").flatMap(Reference.init),
            correlationKey: row.text("correlationKey"),
            owner: row.text("owner"),
            createdAt: try StoredDate.required(row.value("createdAt"), column: "createdAt"),
            updatedAt: try StoredDate.required(row.value("updatedAt"), column: "updatedAt"),
            updatedBy: try row.required(row.text, "updatedBy"),
            dueAt: StoredDate.date(row.value("dueAt")),
            version: Int(try row.required(row.integer, "version")),
            traceID: row.text("traceID"),
            pendingReason: row.text("pendingReason"),
            expectedBy: StoredDate.date(row.value("expectedBy")),
            exceptionCode: row.text("exceptionCode"),
            exceptionContext: context,
            resolution: row.text("resolution").flatMap(ExceptionOutcome.init(rawValue:)),
            cancelReason: row.text("cancelReason"),
            escalated: try row.required(row.integer, "escalated") != 0,
            slaCycle: row.integer("slaCycle").map { Int($0) } ?? 1,
            slaCycleStart: StoredDate.date(row.value("slaCycleStart")),
            slaStage: row.text("slaStage").flatMap(SLAStatus.Stage.init(rawValue:)),
            slaNextAt: StoredDate.date(row.value("slaNextAt")),
            slaThreshold: row.text("slaThreshold")
        )
    }

    static func values(of task: WorkTask) -> [String: (any DatabaseValueConvertible)?] {
        Dictionary(uniqueKeysWithValues: orderedValues(of: task).map { ($0.key, $0.value) })
    }

    /// The task table's columns in the order of ``orderedValues(of:)``.
    static let columns: [String] = orderedValues(
        of: WorkTask(id: TaskID(1), queue: "", title: "", createdAt: .distantPast, updatedBy: "")
    ).map(\.key)

    /// The task's column values in a fixed order, so one prepared statement serves every row.
    static func orderedValues(of task: WorkTask) -> KeyValuePairs<String, (any DatabaseValueConvertible)?> {
        [
            "id": task.id.number,
            "queue": task.queue,
            "state": task.state.rawValue,
            "priority": task.priority.rawValue,
            "priorityRank": task.priority.rank,
            "title": task.title,
            "kind": task.kind,
            "subject": task.subject?.description,
            "subjectDisplay": task.subjectDisplay,
            "focus": task.focus?.description,
            "correlationKey": task.correlationKey,
            "owner": task.owner,
            "createdAt": task.createdAt,
            "updatedAt": task.updatedAt,
            "updatedBy": task.updatedBy,
            "dueAt": task.dueAt,
            "version": task.version,
            "traceID": task.traceID,
            "pendingReason": task.pendingReason,
            "expectedBy": task.expectedBy,
            "exceptionCode": task.exceptionCode,
            "exceptionContext": task.exceptionContext.isEmpty ? nil : CanonicalJSON.encode(task.exceptionContext),
            "resolution": task.resolution?.rawValue,
            "cancelReason": task.cancelReason,
            "escalated": task.escalated,
            "slaCycle": task.slaCycle,
            "slaCycleStart": task.slaCycleStart,
            "slaStage": task.slaStage?.rawValue,
            "slaNextAt": task.slaNextAt,
            "slaThreshold": task.slaThreshold,
        ]
    }

    /// A row's columns through the column index, read by storage class: no generic decoding per value.
    private struct ColumnReader {
        let row: Row
        let columns: ColumnIndex

        func value(_ column: String) -> DatabaseValue { columns(row, column) }

        /// The text in `column`; `nil` for NULL (or anything but text).
        func text(_ column: String) -> String? {
            if case let .string(text) = value(column).storage { return text }
            return nil
        }

        /// The integer in `column`; `nil` for NULL (or anything but an integer).
        func integer(_ column: String) -> Int64? {
            if case let .int64(number) = value(column).storage { return number }
            return nil
        }

        /// What `read` finds in a column every task has.
        func required<Value>(_ read: (String) -> Value?, _ column: String) throws -> Value {
            guard let found = read(column) else { throw StoreError.sqlite("unexpected \(value(column)) in task column \(column)") }
            return found
        }
    }

    private static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw StoreError.sqlite("unexpected \(column) '\(raw)' in the task table") }
        return value
    }
}

/// JSON with sorted keys: the same content always gives the same text.
enum CanonicalJSON {
    /// The same text as `JSONEncoder` with sorted keys and unescaped slashes, written directly: every
    /// audit record encodes its details, and the encoder's set-up cost dominated the sync worker's writes.
    static func encode(_ dictionary: [String: String]) -> String {
        var text = "{"
        for (index, key) in dictionary.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            JSONText.appendQuoted(key, to: &text)
            text += ":"
            JSONText.appendQuoted(dictionary[key]!, to: &text)
        }
        return text + "}"
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
