import Foundation
import GRDB
import HandoffCore

/// Builds the SQL of a task listing: visibility, filters, search, sort order and keyset paging.
struct TaskListing {
    let filter: TaskFilter
    let actor: Actor

    /// The sort columns of `filter.sort`, each with its direction; `id` always breaks ties.
    var order: [(column: String, ascending: Bool)] {
        let columns: [(String, Bool)] = switch filter.sort {
        case .priority: [("priorityRank", false), ("createdAt", true)]
        case .age: [("createdAt", true)]
        case .updated: [("updatedAt", false)]
        case .state: [("state", true), ("priorityRank", false)]
        case .patient: [("coalesce(subjectDisplay, '')", true), ("priorityRank", false)]
        case .title: [("title", true)]
        case .owner: [("coalesce(owner, '')", true), ("priorityRank", false)]
        }
        return columns + [("id", true)]
    }

    /// Whether the conditions name only the queue and the state (visibility, queue, states), so they
    /// select from the maintained counts as well as from the tasks.
    var selectsByQueueAndStateOnly: Bool {
        filter.owner == nil && !filter.unownedOnly && filter.priority == nil && Self.matchExpression(filter.search) == nil
    }

    /// The WHERE clause and its arguments, without paging.
    func conditions(_ db: Database) throws -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !(actor.has(.admin) || actor.has(.service)) {
            conditions.append("queue IN (SELECT queue FROM queueMember WHERE user = ?)")
            arguments += [actor.name]
        }
        if let queue = filter.queue {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM queue WHERE name = ?", arguments: [queue]) == true else {
                throw StoreError.unknownQueue(queue)
            }
            conditions.append("queue = ?")
            arguments += [queue]
        }
        if filter.states.map({ $0.allSatisfy(\.isActive) }) ?? !filter.includeClosed {
            // Written exactly as in the partial indexes, so the planner can use them.
            conditions.append("state NOT IN ('completed', 'cancelled')")
        }
        if let states = filter.states {
            conditions.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(states.sorted().map(\.rawValue))
        }
        if let owner = filter.owner {
            conditions.append("owner = ?")
            arguments += [owner]
        }
        if filter.unownedOnly { conditions.append("owner IS NULL") }
        if let priority = filter.priority {
            conditions.append("priority = ?")
            arguments += [priority.rawValue]
        }
        if let match = Self.matchExpression(filter.search) {
            conditions.append("id IN (SELECT rowid FROM taskSearch WHERE taskSearch MATCH ?)")
            arguments += [match]
        }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments)
    }

    /// One page of tasks: after or before a task when given.
    func fetch(_ db: Database) throws -> [WorkTask] {
        var (sql, arguments) = try conditions(db)
        let backwards = filter.before != nil && filter.after == nil
        if let anchor = filter.after ?? filter.before {
            let row = try Row.fetchOne(db, sql: "SELECT \(order.map(\.column).joined(separator: ", ")) FROM task WHERE id = ?",
                                       arguments: [anchor.number])
            guard let row else { throw StoreError.unknownTask(anchor) }
            let (keyset, values) = Self.keyset(order, values: Array(row.databaseValues), forward: !backwards)
            sql += " AND (\(keyset))"
            arguments += values
        }
        let direction = order.map { "\($0.column) \($0.ascending != backwards ? "ASC" : "DESC")" }.joined(separator: ", ")
        arguments += [filter.limit]
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM task WHERE \(sql) ORDER BY \(direction) LIMIT ?", arguments: arguments)
        let tasks = try rows.map(TaskRow.task(from:))
        return backwards ? tasks.reversed() : tasks
    }

    /// "Comes after (or before) these values in this order": an OR of prefixes, one per sort column.
    static func keyset(_ order: [(column: String, ascending: Bool)], values: [DatabaseValue], forward: Bool) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        for index in order.indices {
            var parts: [String] = []
            for equal in 0..<index {
                parts.append("\(order[equal].column) = ?")
                arguments += [values[equal]]
            }
            let greater = order[index].ascending == forward
            parts.append("\(order[index].column) \(greater ? ">" : "<") ?")
            arguments += [values[index]]
            clauses.append("(" + parts.joined(separator: " AND ") + ")")
        }
        return (clauses.joined(separator: " OR "), arguments)
    }

    /// An FTS5 query requiring every term as a word prefix, or `nil` without terms.
    static func matchExpression(_ terms: [SearchTerm]) -> String? {
        let parts = terms.compactMap { term -> String? in
            let word = term.word.filter { $0.isLetter || $0.isNumber }
            guard !word.isEmpty else { return nil }
            let quoted = "\"\(word)\"*"
            switch term.field {
            case .any: return quoted
            case .patient: return "patient : \(quoted)"
            case .title: return "title : \(quoted)"
            case .reference: return "reference : \(quoted)"
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }
}
