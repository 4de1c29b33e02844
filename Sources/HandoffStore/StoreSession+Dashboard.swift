import Foundation
import GRDB
import HandoffCore

/// The supervisor dashboard's queries. Open-work figures are counted in SQL over the open-work index;
/// flow and people figures come from the audit records of the window (found by the `audit_time`
/// index), never from a scan of all tasks. Each figure's definition is written once and serves both
/// the count and the drill-down, so the tasks listed behind a number are exactly those it counts.
extension StoreSession {
    /// The queues `actor` oversees: those they supervise; admins, all.
    public func supervisedQueues(of actor: Actor) throws -> [String] {
        if actor.has(.admin) { return try String.fetchAll(db, sql: "SELECT name FROM queue ORDER BY name") }
        return try String.fetchAll(db, sql: "SELECT queue FROM queueMember WHERE user = ? AND isSupervisor = 1 ORDER BY queue",
                                   arguments: [actor.name])
    }

    /// The dashboard of `scope`'s queues at `scope.now`.
    public func dashboard(_ scope: DashboardScope) throws -> SupervisorDashboard {
        let records = try flowRecords(scope)
        let ordered = FlowRecord.latestFirst(records)
        var figures: [String: QueueFigures] = [:]
        for queue in scope.queues {
            figures[queue] = QueueFigures(queue: queue, depth: [:], unassigned: 0, oldestAge: nil, atRisk: 0, breachedNow: 0,
                                          breachedToday: 0, completedToday: 0, completedLateToday: 0)
        }
        if !scope.queues.isEmpty {
            let (inQueues, arguments) = Self.queueList(scope)
            let counts = OpenFigure.counted.map { "count(*) FILTER (WHERE \($0.condition)) AS \($0.rawValue)" }.joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: """
                SELECT queue, state, count(*) AS n, min(createdAt) AS oldest, \(counts)
                FROM task WHERE queue IN (\(inQueues)) AND \(Self.openCondition) GROUP BY queue, state
                """, arguments: arguments) {
                guard let state = TaskState(rawValue: row["state"]), var queue = figures[row["queue"]] else { continue }
                queue.depth[state] = row["n"]
                queue.unassigned += row[OpenFigure.unassigned.rawValue] as Int
                queue.atRisk += row[OpenFigure.atRisk.rawValue] as Int
                queue.breachedNow += row[OpenFigure.breachedNow.rawValue] as Int
                queue.breachedToday += row[OpenFigure.breachedToday.rawValue] as Int
                if let oldest = row["oldest"] as Date? {
                    let age = max(0, Int(scope.now.timeIntervalSince(oldest)))
                    queue.oldestAge = max(queue.oldestAge ?? 0, age)
                }
                figures[queue.queue] = queue
            }
        }
        for name in scope.queues {
            guard var queue = figures[name] else { continue }
            queue.breachedToday += ordered.records(behind: .breachedToday(queue: name), in: scope).count
            queue.completedToday = ordered.records(behind: .completedToday(queue: name), in: scope).count
            queue.completedLateToday = ordered.records(behind: .lateToday(queue: name), in: scope).count
            figures[name] = queue
        }
        return SupervisorDashboard(scope: scope, queues: scope.queues.compactMap { figures[$0] },
                                   flow: FlowFigures(records: records, scope: scope),
                                   people: PeopleFigures(openWork: try openWorkByOwner(scope), records: records, scope: scope))
    }

    /// The tasks behind `figure` in `scope`, at most `limit`, in the order the drill-down lists them.
    public func dashboardTasks(_ figure: DashboardFigure, in scope: DashboardScope, limit: Int = 1_000) throws -> [WorkTask] {
        switch figure {
        case let .open(queue, state):
            let condition = state.map { _ in "state = :state" } ?? "1"
            return try openTasks(queue: queue, condition: condition, extra: ["state": state?.rawValue], order: "priorityRank DESC, createdAt, id",
                                 scope: scope, limit: limit)
        case let .unassigned(queue): return try openTasks(queue: queue, figure: .unassigned, scope: scope, limit: limit)
        case let .oldest(queue): return try openTasks(queue: queue, condition: "1", order: "createdAt, id", scope: scope, limit: limit)
        case let .atRisk(queue): return try openTasks(queue: queue, figure: .atRisk, scope: scope, limit: limit)
        case let .breachedNow(queue): return try openTasks(queue: queue, figure: .breachedNow, scope: scope, limit: limit)
        case let .breachedToday(queue):
            let open = try openTasks(queue: queue, figure: .breachedToday, scope: scope, limit: limit)
            let closed = try tasks(withIDs: flowRecords(scope).records(behind: figure, in: scope).map(\.task))
            return Array((open + closed).prefix(limit))
        case let .openWork(user):
            guard !scope.queues.isEmpty else { return [] }
            let (inQueues, arguments) = Self.queueList(scope)
            var all = arguments
            all += ["owner": user, "limit": limit]
            return try Row.fetchAll(db, sql: """
                SELECT * FROM task WHERE queue IN (\(inQueues)) AND \(Self.openCondition) AND owner = :owner
                ORDER BY priorityRank DESC, createdAt, id LIMIT :limit
                """, arguments: all).map(TaskRow.task(from:))
        default:
            let ids = try flowRecords(scope).records(behind: figure, in: scope).map(\.task)
            return try tasks(withIDs: Array(ids.prefix(limit)))
        }
    }

    // MARK: - Open work

    /// Written exactly as in the partial open-work indexes, so the planner can use them.
    static let openCondition = "state NOT IN ('completed', 'cancelled')"

    /// The open-work figures counted in SQL, each with its one definition.
    enum OpenFigure: String, CaseIterable {
        case unassigned, atRisk, breachedNow, breachedToday

        static let counted = allCases

        /// The condition on an open task of the queue (named arguments `:now` and `:dayStart`).
        var condition: String {
            switch self {
            case .unassigned: "owner IS NULL"
            case .atRisk: "dueAt > :now AND (slaThreshold IS NOT NULL OR slaNextAt <= :now)"
            case .breachedNow: "(dueAt <= :now OR slaStage = 'breached')"
            case .breachedToday: "dueAt >= :dayStart AND dueAt <= :now"
            }
        }
    }

    /// `:q0, :q1, …` for the scope's queues, with `:now` and `:dayStart`.
    private static func queueList(_ scope: DashboardScope) -> (String, StatementArguments) {
        var values: [String: (any DatabaseValueConvertible)?] = ["now": scope.now, "dayStart": scope.dayStart]
        for (index, queue) in scope.queues.enumerated() { values["q\(index)"] = queue }
        return (scope.queues.indices.map { ":q\($0)" }.joined(separator: ", "), StatementArguments(values))
    }

    private func openTasks(queue: String, figure: OpenFigure, scope: DashboardScope, limit: Int) throws -> [WorkTask] {
        try openTasks(queue: queue, condition: figure.condition, order: "priorityRank DESC, createdAt, id", scope: scope, limit: limit)
    }

    private func openTasks(queue: String, condition: String, extra: [String: (any DatabaseValueConvertible)?] = [:], order: String,
                           scope: DashboardScope, limit: Int) throws -> [WorkTask] {
        guard scope.queues.contains(queue) else { return [] }
        var values: [String: (any DatabaseValueConvertible)?] = ["queue": queue, "now": scope.now, "dayStart": scope.dayStart, "limit": limit]
        values.merge(extra) { $1 }
        return try Row.fetchAll(db, sql: """
            SELECT * FROM task WHERE queue = :queue AND \(Self.openCondition) AND \(condition) ORDER BY \(order) LIMIT :limit
            """, arguments: StatementArguments(values)).map(TaskRow.task(from:))
    }

    private func openWorkByOwner(_ scope: DashboardScope) throws -> [String: Int] {
        guard !scope.queues.isEmpty else { return [:] }
        let (inQueues, arguments) = Self.queueList(scope)
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT owner, count(*) AS n FROM task WHERE queue IN (\(inQueues)) AND \(Self.openCondition) AND owner IS NOT NULL
            GROUP BY owner
            """, arguments: arguments) {
            result[row["owner"]] = row["n"]
        }
        return result
    }

    /// Tasks by id, in the order given; ids of tasks that no longer exist are skipped.
    private func tasks(withIDs ids: [TaskID]) throws -> [WorkTask] {
        guard !ids.isEmpty else { return [] }
        let found = try Row.fetchAll(db, sql: "SELECT * FROM task WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))",
                                     arguments: StatementArguments(ids.map(\.number))).map(TaskRow.task(from:))
        let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    // MARK: - The window's audit records

    /// The audit records of `scope`'s window that flow and people figures count, with the times their
    /// durations run from (the task's last entry into `queued` or `pending`, its creation or reopening).
    /// `CROSS JOIN` keeps SQLite's planner on the window (`audit_time`) rather than on every task of the
    /// queues, whatever its statistics say.
    public func flowRecords(_ scope: DashboardScope) throws -> [FlowRecord] {
        guard !scope.queues.isEmpty else { return [] }
        let (inQueues, queueArguments) = Self.queueList(scope)
        var arguments = queueArguments
        arguments += ["from": scope.lookBack]
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.time, a.action, a.task, a.fromState, a.toState, a.actor, t.queue, t.state, t.slaStage, t.dueAt,
                   CASE WHEN a.action = 'reassign' THEN json_extract(a.detail, '$.previousOwner')
                        WHEN a.action = 'view' THEN json_extract(a.detail, '$.breakGlass') END AS detail,
                   CASE WHEN a.action = 'reassign' THEN json_extract(a.detail, '$.owner') END AS owner,
                   CASE
                     WHEN a.toState = 'completed' AND coalesce(a.fromState, '') != 'completed' THEN
                       (SELECT b.time FROM audit b WHERE b.task = a.task AND b.seq < a.seq AND b.action IN ('create', 'reopen')
                        ORDER BY b.seq DESC LIMIT 1)
                     WHEN a.action IN ('claim', 'assign') AND a.fromState = 'queued' THEN
                       (SELECT b.time FROM audit b WHERE b.task = a.task AND b.seq < a.seq AND b.toState = 'queued'
                          AND coalesce(b.fromState, '') != 'queued' ORDER BY b.seq DESC LIMIT 1)
                     WHEN a.fromState = 'pending' AND a.toState != 'pending' THEN
                       (SELECT b.time FROM audit b WHERE b.task = a.task AND b.seq < a.seq AND b.toState = 'pending'
                          AND coalesce(b.fromState, '') != 'pending' ORDER BY b.seq DESC LIMIT 1)
                   END AS since
            FROM audit a CROSS JOIN task t ON t.id = a.task
            WHERE a.time >= :from AND a.time <= :now AND t.queue IN (\(inQueues))
              AND (a.action IN ('create', 'reassign')
                   OR (a.action IN ('claim', 'assign') AND a.fromState = 'queued')
                   OR (a.toState = 'completed' AND coalesce(a.fromState, '') != 'completed')
                   OR (a.fromState = 'pending' AND a.toState != 'pending')
                   OR (a.action = 'view' AND json_extract(a.detail, '$.breakGlass') IS NOT NULL))
            """, arguments: arguments)
        return rows.compactMap { row -> FlowRecord? in
            guard let number = row["task"] as Int64?, let state = TaskState(rawValue: row["state"]) else { return nil }
            let action: String = row["action"]
            let from = (row["fromState"] as String?).flatMap(TaskState.init(rawValue:))
            let to = (row["toState"] as String?).flatMap(TaskState.init(rawValue:))
            let since: Date? = row["since"]
            let kind: FlowRecord.Kind
            switch action {
            case "create": kind = .arrival
            case "reassign": kind = .reassignment(from: row["detail"] ?? "", to: row["owner"] ?? "")
            case "view": kind = .breakGlass(actor: row["actor"], reason: row["detail"] ?? "")
            case "claim" where from == .queued, "assign" where from == .queued: kind = .claim(since: since)
            default:
                if to == .completed, from != .completed {
                    kind = .completion(since: since)
                } else if from == .pending, to != .pending {
                    kind = .pendingEnded(since: since)
                } else {
                    return nil
                }
            }
            return FlowRecord(kind: kind, task: TaskID(number), queue: row["queue"], time: row["time"], taskState: state,
                              slaStage: (row["slaStage"] as String?).flatMap(SLAStatus.Stage.init(rawValue:)), dueAt: row["dueAt"])
        }
    }
}
