import Foundation
import GRDB
import HandoffCore

/// Builds the SQL of a task listing: visibility, filters, search, sort order and keyset paging.
struct TaskListing {
    let filter: TaskFilter
    let actor: Actor
    /// Up to how many search matches the listing starts from the matches rather than from the queue.
    var fewMatches = 5_000

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
    ///
    /// A search that matches few tasks is read from its matches: every other column is written `+column`,
    /// which keeps SQLite off the queue's index (where it would otherwise test each of a queue's open
    /// tasks against the matches: 100 ms for 90,000 of them).
    func conditions(_ db: Database) throws -> (sql: String, arguments: StatementArguments) {
        let match = Self.matchExpression(filter.search)
        let fromMatches = try match.map { match in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM taskSearch WHERE taskSearch MATCH ? LIMIT ?)",
                             arguments: [match, fewMatches + 1])! <= fewMatches
        } ?? false
        let column = { (name: String) in fromMatches ? "+" + name : name }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !(actor.has(.admin) || actor.has(.service)) {
            conditions.append("\(column("queue")) IN (SELECT queue FROM queueMember WHERE user = ?)")
            arguments += [actor.name]
        }
        if let queue = filter.queue {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM queue WHERE name = ?", arguments: [queue]) == true else {
                throw StoreError.unknownQueue(queue)
            }
            conditions.append("\(column("queue")) = ?")
            arguments += [queue]
        }
        if filter.states.map({ $0.allSatisfy(\.isActive) }) ?? !filter.includeClosed {
            // Written exactly as in the partial indexes, so the planner can use them.
            conditions.append("\(column("state")) NOT IN ('completed', 'cancelled')")
        }
        if let states = filter.states {
            conditions.append("\(column("state")) IN (\(states.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(states.sorted().map(\.rawValue))
        }
        if let owner = filter.owner {
            conditions.append("\(column("owner")) = ?")
            arguments += [owner]
        }
        if filter.unownedOnly { conditions.append("\(column("owner")) IS NULL") }
        if let priority = filter.priority {
            conditions.append("\(column("priority")) = ?")
            arguments += [priority.rawValue]
        }
        if let match {
            conditions.append("id IN (SELECT rowid FROM taskSearch WHERE taskSearch MATCH ?)")
            arguments += [match]
        }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments)
    }

    /// One page of tasks: after or before a task when given.
    func fetch(_ db: Database) throws -> [WorkTask] {
        let (sql, arguments) = try conditions(db)
        let backwards = filter.before != nil && filter.after == nil
        let direction = order.map { "\($0.column) \($0.ascending != backwards ? "ASC" : "DESC")" }.joined(separator: ", ")
        func page(_ keyset: (sql: String, arguments: StatementArguments)?, limit: Int) throws -> [Row] {
            let condition = keyset.map { " AND (\($0.sql))" } ?? ""
            return try Row.fetchAll(db, sql: "SELECT * FROM task WHERE \(sql)\(condition) ORDER BY \(direction) LIMIT ?",
                                    arguments: arguments + (keyset?.arguments ?? []) + [limit])
        }
        var rows: [Row] = []
        if let anchor = filter.after ?? filter.before {
            let row = try Row.fetchOne(db, sql: "SELECT \(order.map(\.column).joined(separator: ", ")) FROM task WHERE id = ?",
                                       arguments: [anchor.number])
            guard let row else { throw StoreError.unknownTask(anchor) }
            let branches = Self.keyset(order, values: Array(row.databaseValues), forward: !backwards)
            if filter.sort == .priority || filter.sort == .age {
                // An index serves these orders: each branch seeks straight to its first row, where the
                // branches joined by OR would make SQLite walk the index from the queue's first task.
                for branch in branches where rows.count < filter.limit {
                    rows += try page(branch, limit: filter.limit - rows.count)
                }
            } else {
                var joined: StatementArguments = []
                branches.forEach { joined += $0.arguments }
                rows = try page((branches.map { "(\($0.sql))" }.joined(separator: " OR "), joined), limit: filter.limit)
            }
        } else {
            rows = try page(nil, limit: filter.limit)
        }
        let tasks = try TaskRow.tasks(from: rows)
        return backwards ? tasks.reversed() : tasks
    }

    /// "Comes after (or before) these values in this order", as one condition per sort column, nearest
    /// first: the rows of each branch all come before those of the next, so reading the branches in turn
    /// gives the page in order.
    static func keyset(_ order: [(column: String, ascending: Bool)], values: [DatabaseValue],
                       forward: Bool) -> [(sql: String, arguments: StatementArguments)] {
        order.indices.reversed().map { index in
            var parts: [String] = []
            var arguments: StatementArguments = []
            for equal in 0..<index {
                parts.append("\(order[equal].column) = ?")
                arguments += [values[equal]]
            }
            let greater = order[index].ascending == forward
            parts.append("\(order[index].column) \(greater ? ">" : "<") ?")
            arguments += [values[index]]
            return (parts.joined(separator: " AND "), arguments)
        }
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
