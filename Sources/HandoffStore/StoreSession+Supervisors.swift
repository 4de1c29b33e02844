import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    /// The supervisors of `queue` with how many of its open tasks each owns, not counting task `excluded`
    /// (the one being escalated), by name: what the sweeper's `assign-to-supervisor` chooses among.
    public func supervisorLoads(of queue: String, excluding excluded: TaskID) throws -> [SupervisorLoad] {
        let open = TaskState.active.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        return try Row.fetchAll(db, sql: """
            SELECT user.*,
                   EXISTS (SELECT 1 FROM queueMember AS m WHERE m.queue = s.queue AND m.user = s.user AND m.isSupervisor = 0) AS isMember,
                   (SELECT count(*) FROM task WHERE task.owner = s.user AND task.queue = s.queue AND task.id != ?
                        AND task.state IN (\(open))) AS openTasks
            FROM queueMember AS s JOIN user ON user.name = s.user
            WHERE s.queue = ? AND s.isSupervisor = 1
            ORDER BY user.name
            """, arguments: [excluded.number, queue]).map { row in
            let user = try Self.user(from: row)
            return SupervisorLoad(name: user.name, roles: user.roles, isMember: row["isMember"],
                                  isDisabled: user.isDisabled, openTasks: row["openTasks"])
        }
    }
}
