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
        // One pass over the open tasks of the queues, on the covering open-work index: depth, owners and
        // SLA standing at once.
        var openWork: [String: Int] = [:]
        if !scope.queues.isEmpty {
            let (inQueues, arguments) = Self.queueList(scope)
            let counts = OpenFigure.allCases.map { "count(*) FILTER (WHERE \($0.condition))" }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT queue, state, owner, count(*), \(Self.epoch("min(createdAt)")), \(counts)
                FROM task INDEXED BY task_open_dashboard WHERE queue IN (\(inQueues)) AND \(Self.openCondition)
                GROUP BY queue, state, owner
                """, arguments: arguments)
            while let row = try rows.next() {
                guard let state = TaskState(rawValue: row[1]), var queue = figures[row[0]] else { continue }
                let owner: String? = row[2]
                let count: Int = row[3]
                queue.depth[state, default: 0] += count
                if let owner { openWork[owner, default: 0] += count }
                if let oldest = row[4] as Double? {
                    queue.oldestAge = max(queue.oldestAge ?? 0, max(0, Int(scope.now.timeIntervalSince1970 - oldest)))
                }
                for (offset, figure) in OpenFigure.allCases.enumerated() {
                    let value: Int = row[5 + offset]
                    switch figure {
                    case .unassigned: queue.unassigned += value
                    case .atRisk: queue.atRisk += value
                    case .breachedNow: queue.breachedNow += value
                    case .breachedToday: queue.breachedToday += value
                    }
                }
                figures[queue.queue] = queue
            }
        }
        for (name, today) in QueueFigures.closedToday(ordered, in: scope) {
            guard var queue = figures[name] else { continue }
            queue.breachedToday += today.breached
            queue.completedToday = today.completed
            queue.completedLateToday = today.late
            figures[name] = queue
        }
        return SupervisorDashboard(scope: scope, queues: scope.queues.compactMap { figures[$0] },
                                   flow: FlowFigures(records: records, scope: scope),
                                   people: PeopleFigures(openWork: openWork, records: records, scope: scope))
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
            return try TaskRow.tasks(from: Row.fetchAll(db, sql: """
                SELECT * FROM task WHERE queue IN (\(inQueues)) AND \(Self.openCondition) AND owner = :owner
                ORDER BY priorityRank DESC, createdAt, id LIMIT :limit
                """, arguments: all))
        default:
            let ids = try flowRecords(scope).records(behind: figure, in: scope).map(\.task)
            return try tasks(withIDs: Array(ids.prefix(limit)))
        }
    }

    // MARK: - Open work

    /// Written exactly as in the partial open-work indexes, so the planner can use them.
    static let openCondition = "state NOT IN ('completed', 'cancelled')"

    /// A stored time as seconds since 1970, to the millisecond: decoding a number is much cheaper than
    /// parsing a date, which matters over the hundreds of thousands of rows a dashboard may read.
    static func epoch(_ column: String) -> String {
        "round((julianday(\(column)) - 2440587.5) * 86400000.0) / 1000.0"
    }

    /// The open-work figures counted in SQL, each with its one definition.
    enum OpenFigure: String, CaseIterable {
        case unassigned, atRisk, breachedNow, breachedToday


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
        return try TaskRow.tasks(from: Row.fetchAll(db, sql: """
            SELECT * FROM task WHERE queue = :queue AND \(Self.openCondition) AND \(condition) ORDER BY \(order) LIMIT :limit
            """, arguments: StatementArguments(values)))
    }

    /// Tasks by id, in the order given; ids of tasks that no longer exist are skipped.
    private func tasks(withIDs ids: [TaskID]) throws -> [WorkTask] {
        guard !ids.isEmpty else { return [] }
        let found = try TaskRow.tasks(from: Row.fetchAll(db, sql: "SELECT * FROM task WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))",
                                     arguments: StatementArguments(ids.map(\.number))))
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
        let since = { (condition: String) in
            "(SELECT \(Self.epoch("b.time")) FROM audit b WHERE b.task = a.task AND b.seq < a.seq AND \(condition) ORDER BY b.seq DESC LIMIT 1)"
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(Self.epoch("a.time")), a.action, a.task, a.fromState, a.toState, a.actor, t.queue, t.state, t.slaStage,
                   \(Self.epoch("t.dueAt")),
                   CASE WHEN a.action = 'reassign' THEN json_extract(a.detail, '$.previousOwner') END,
                   CASE WHEN a.action = 'reassign' THEN json_extract(a.detail, '$.owner') END,
                   CASE
                     WHEN a.toState = 'completed' AND coalesce(a.fromState, '') != 'completed' THEN
                       \(since("b.action IN ('create', 'reopen')"))
                     WHEN a.action IN ('claim', 'assign') AND a.fromState = 'queued' THEN
                       \(since("b.toState = 'queued' AND coalesce(b.fromState, '') != 'queued'"))
                     WHEN a.fromState = 'pending' AND a.toState != 'pending' THEN
                       \(since("b.toState = 'pending' AND coalesce(b.fromState, '') != 'pending'"))
                   END,
                   json_extract(a.detail, '$.breakGlass')
            FROM audit a CROSS JOIN task t ON t.id = a.task
            WHERE a.time >= :from AND a.time <= :now AND t.queue IN (\(inQueues))
              AND (a.action IN ('create', 'reassign')
                   OR (a.action IN ('claim', 'assign') AND a.fromState = 'queued')
                   OR (a.toState = 'completed' AND coalesce(a.fromState, '') != 'completed')
                   OR (a.fromState = 'pending' AND a.toState != 'pending')
                   OR instr(a.detail, '"breakGlass":') > 0)
            """, arguments: arguments)
        var records: [FlowRecord] = []
        while let row = try rows.next() {
            guard let number = row[2] as Int64?, let state = TaskState(rawValue: row[7]) else { continue }
            let action: String = row[1]
            let from = (row[3] as String?).flatMap(TaskState.init(rawValue:))
            let to = (row[4] as String?).flatMap(TaskState.init(rawValue:))
            let since = (row[12] as Double?).map(Date.init(timeIntervalSince1970:))
            func record(_ kind: FlowRecord.Kind) -> FlowRecord {
                FlowRecord(kind: kind, task: TaskID(number), queue: row[6], time: Date(timeIntervalSince1970: row[0]),
                           taskState: state, slaStage: (row[8] as String?).flatMap(SLAStatus.Stage.init(rawValue:)),
                           dueAt: (row[9] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
            // Opening or acting on a task by breaking the glass; an action so taken also counts as what it is.
            if let reason = row[13] as String? { records.append(record(.breakGlass(actor: row[5], reason: reason))) }
            let kind: FlowRecord.Kind
            switch action {
            case "create": kind = .arrival
            case "reassign": kind = .reassignment(from: row[10] ?? "", to: row[11] ?? "")
            case "claim" where from == .queued, "assign" where from == .queued: kind = .claim(since: since)
            default:
                if to == .completed, from != .completed {
                    kind = .completion(since: since)
                } else if from == .pending, to != .pending {
                    kind = .pendingEnded(since: since)
                } else {
                    continue
                }
            }
            records.append(record(kind))
        }
        return records
    }
}
