import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// The tasks an export selects — changed at or after `since`, in `queue`, or the one task `task` —
    /// each with its notes, history and the display names of its people, oldest first. Admins and service
    /// accounts only (``FHIRTaskMapping/checkExport(by:)``).
    public func exportedTasks(since: Date? = nil, queue: String? = nil, task: TaskID? = nil, by actor: Actor) throws -> [TaskDetail] {
        try FHIRTaskMapping.checkExport(by: actor)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since { conditions.append("updatedAt >= ?"); arguments += [since] }
        if let queue {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM queue WHERE name = ?", arguments: [queue]) == true else {
                throw StoreError.unknownQueue(queue)
            }
            conditions.append("queue = ?")
            arguments += [queue]
        }
        if let task {
            _ = try self.task(task)
            conditions.append("id = ?")
            arguments += [task.number]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let tasks = try TaskRow.tasks(from: Row.fetchAll(db, sql: "SELECT * FROM task \(filter) ORDER BY id", arguments: arguments))
        return try tasks.map(detail(of:))
    }
}
