import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - Changing tasks

    /// Creates a task from `draft` as `actor`, audited, with its outbound event; `event` names the event that caused it.
    @discardableResult
    public func createTask(_ draft: TaskDraft, by actor: Actor, at now: Date, event: String? = nil) throws -> WorkTask {
        let access = try access(of: actor, to: draft.queue)
        let next = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM task")) ?? 0) + 1
        var outcome = try Workflow.create(draft, id: TaskID(next), by: actor, access: access, at: now)
        if let event { outcome.audit.detail["event"] = event }
        SLAMeter(policies: policies).begin(&outcome.task, at: now)
        let pausedFromStart = try measureSLA(&outcome.task, previous: nil, at: now)
        try insert(outcome.task)
        if pausedFromStart { try startPause(of: outcome.task.id, cycle: outcome.task.slaCycle, at: now) }
        try emitOutbound(outcome.audit, kind: .create, auditSeq: try append(outcome.audit), task: outcome.task)
        return outcome.task
    }

    /// Applies `action` to task `id` as `actor`: checks the version the caller saw (when given),
    /// the rules, then writes the task, its note, its audit record and its outbound event. `trace` and `event` name the
    /// event behind the change, when there is one; `breakGlass` is the emergency reason of someone
    /// acting outside their queues (``Workflow/apply(_:to:by:access:at:trace:breakGlass:)``).
    @discardableResult
    public func perform(_ action: TaskAction, on id: TaskID, expectedVersion: Int? = nil,
                        by actor: Actor, at now: Date, trace: String? = nil, event: String? = nil, breakGlass: String? = nil) throws -> WorkTask {
        let task = try task(id)
        try checkVersion(task, expected: expectedVersion)
        let access = try access(of: actor, to: task.queue)
        var outcome = try Workflow.apply(action, to: task, by: actor, access: access, at: now, trace: trace, breakGlass: breakGlass)
        if let event { outcome.audit.detail["event"] = event }
        if case let .move(queue, _) = action { _ = try self.access(of: actor, to: queue) }
        SLAMeter(policies: policies).advanceCycle(&outcome.task, from: task, by: action.kind, at: now)
        try measureSLA(&outcome.task, previous: task, at: now)
        try update(outcome.task, from: task)
        if let note = outcome.note { try insertNote(task: id, author: actor.name, text: note, at: now) }
        try emitOutbound(outcome.audit, kind: action.kind, auditSeq: try append(outcome.audit), task: outcome.task)
        return outcome.task
    }

    /// Assigns or reassigns task `id` to the user `assignee`.
    @discardableResult
    public func assign(_ id: TaskID, to assignee: String, reason: String?, expectedVersion: Int? = nil,
                       by actor: Actor, at now: Date, breakGlass: String? = nil) throws -> WorkTask {
        let task = try task(id)
        guard let user = try user(named: assignee) else { throw StoreError.unknownUser(assignee) }
        let target = try access(of: Actor(name: user.name, roles: user.roles), to: task.queue)
        let action = TaskAction.assign(to: Assignee(name: user.name, roles: user.roles, isMember: target.isMember,
                                                    isSupervisor: target.isSupervisor, isDisabled: user.isDisabled),
                                       reason: reason)
        return try perform(action, on: id, expectedVersion: expectedVersion, by: actor, at: now, breakGlass: breakGlass)
    }

    /// Reassigns every open task `from` owns (in `queue`, when given) to `to`, one audited action per task,
    /// oldest first. Meant for one transaction: the first task the rules refuse fails the whole batch.
    public func reassignAll(from: String, to: String, queue: String?, reason: String, by actor: Actor, at now: Date) throws -> [WorkTask] {
        if let queue, try Bool.fetchOne(db, sql: "SELECT 1 FROM queue WHERE name = ?", arguments: [queue]) != true {
            throw StoreError.unknownQueue(queue)
        }
        guard try user(named: from) != nil else { throw StoreError.unknownUser(from) }
        var sql = "SELECT id FROM task WHERE owner = ? AND state NOT IN ('completed', 'cancelled')"
        var arguments: StatementArguments = [from]
        if let queue { sql += " AND queue = ?"; arguments += [queue] }
        let ids = try Int64.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(TaskID.init)
        var done: [WorkTask] = []
        for id in ids {
            do {
                done.append(try assign(id, to: to, reason: reason, by: actor, at: now))
            } catch {
                throw StoreError.refusedInBatch(task: id, done: done.count, reason: String(describing: error))
            }
        }
        return done
    }

    /// Opens task `id` for `actor`: its detail, recorded in the audit as an access. Someone outside the
    /// task's queue must break the glass with an emergency reason (`breakGlass`), which the access record
    /// keeps in its detail under `breakGlass`.
    public func openTask(_ id: TaskID, by actor: Actor, at now: Date, breakGlass: String? = nil) throws -> TaskDetail {
        let task = try task(id)
        try append(Workflow.view(task, by: actor, access: try access(of: actor, to: task.queue), at: now, breakGlass: breakGlass))
        return try detail(of: task)
    }

    /// Task `id`'s detail as `actor` may see it, without recording a new access
    /// (for refreshing a view that was opened with ``openTask(_:by:at:breakGlass:)``).
    public func taskDetail(_ id: TaskID, for actor: Actor, breakGlass: String? = nil) throws -> TaskDetail {
        let task = try task(id)
        _ = try Workflow.view(task, by: actor, access: try access(of: actor, to: task.queue), at: task.updatedAt, breakGlass: breakGlass)
        return try detail(of: task)
    }

    func detail(of task: WorkTask) throws -> TaskDetail {
        let notes = try Row.fetchAll(db, sql: "SELECT author, createdAt, text FROM note WHERE task = ? ORDER BY createdAt, id",
                                     arguments: [task.id.number])
            .map { Note(author: $0["author"], time: $0["createdAt"], text: $0["text"]) }
        let history = try auditLog(task: task.id)
        var names = Set(history.map(\.entry.actor)).union(notes.map(\.author))
        if let owner = task.owner { names.insert(owner) }
        var display: [String: String] = [:]
        for name in names { display[name] = try user(named: name)?.displayName }
        return TaskDetail(task: task, notes: notes, history: history, displayNames: display)
    }

    // MARK: - Reading tasks

    /// Task `id` as stored now.
    public func task(_ id: TaskID) throws -> WorkTask {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM task WHERE id = ?"), arguments: [id.number]) else {
            throw StoreError.unknownTask(id)
        }
        return try TaskRow.task(from: row)
    }

    /// Tasks matching `filter` in the queues `actor` may see, in the filter's order and page.
    public func tasks(_ filter: TaskFilter, visibleTo actor: Actor) throws -> [WorkTask] {
        try TaskListing(filter: filter, actor: actor).fetch(db)
    }

    /// How many tasks match `filter` (paging aside).
    /// A filter on queues and states only is answered from the maintained counts (`queueCount`), which
    /// the same conditions select from: no task is counted one by one.
    public func count(_ filter: TaskFilter, visibleTo actor: Actor) throws -> Int {
        let listing = TaskListing(filter: filter, actor: actor)
        let (sql, arguments) = try listing.conditions(db)
        let counting = listing.selectsByQueueAndStateOnly ? "SELECT coalesce(sum(tasks), 0) FROM queueCount" : "SELECT count(*) FROM task"
        return try Int.fetchOne(db, sql: "\(counting) WHERE \(sql)", arguments: arguments) ?? 0
    }

    /// The coordinator's pull: the actor's own assigned work first; otherwise claims the most
    /// urgent, oldest queued task of their queues. `nil` when there is nothing to do.
    public func claimNext(for actor: Actor, at now: Date) throws -> WorkTask? {
        if let own = try tasks(TaskFilter(states: [.assigned], owner: actor.name, limit: 1), visibleTo: actor).first {
            return own
        }
        let member = try String.fetchAll(db, sql: "SELECT queue FROM queueMember WHERE user = ? AND isSupervisor = 0",
                                         arguments: [actor.name])
        guard !member.isEmpty else { return nil }
        let row = try Row.fetchOne(db, sql: """
            SELECT id FROM task WHERE queue IN (\(member.map { _ in "?" }.joined(separator: ","))) AND state = 'queued'
            ORDER BY priorityRank DESC, createdAt, id LIMIT 1
            """, arguments: StatementArguments(member))
        guard let row else { return nil }
        return try perform(.claim, on: TaskID(row["id"]), by: actor, at: now)
    }

    /// The number of tasks.
    public func taskCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM task") ?? 0
    }

    // MARK: - Writing rows

    private func checkVersion(_ task: WorkTask, expected: Int?) throws {
        guard let expected, expected != task.version else { return }
        let last = try Row.fetchOne(db, sql: """
            SELECT actor, time FROM audit WHERE task = ? AND action != 'view' ORDER BY seq DESC LIMIT 1
            """, arguments: [task.id.number])
        throw StoreError.conflict(task: task.id, changedBy: last?["actor"] ?? task.updatedBy,
                                  at: last?["time"] ?? task.updatedAt, version: task.version)
    }

    private static let taskInsert =
        "INSERT INTO task(\(TaskRow.columns.joined(separator: ", "))) VALUES (\(TaskRow.columns.map { _ in "?" }.joined(separator: ", ")))"

    private func insert(_ task: WorkTask) throws {
        try db.cachedStatement(sql: Self.taskInsert).execute(arguments: StatementArguments(TaskRow.orderedValues(of: task).map(\.value)))
    }

    /// Writes the columns of `task` that differ from `stored` (the row as read, at `stored.version`), so
    /// SQLite maintains only the indexes and the search entry those columns are part of.
    private func update(_ task: WorkTask, from stored: WorkTask) throws {
        let before = TaskRow.values(of: stored).mapValues { $0?.databaseValue ?? .null }
        let values = TaskRow.values(of: task).filter { $0.key != "id" && ($0.value?.databaseValue ?? .null) != before[$0.key] }
        let columns = values.keys.sorted()
        try db.cachedStatement(sql: "UPDATE task SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ? AND version = ?")
            .execute(arguments: StatementArguments(columns.map { values[$0]! }) + [task.id.number, stored.version])
        guard db.changesCount == 1 else {
            throw StoreError.conflict(task: task.id, changedBy: task.updatedBy, at: task.updatedAt, version: stored.version)
        }
    }

    private func insertNote(task: TaskID, author: String, text: String, at now: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO note(task, author, createdAt, text) VALUES (?, ?, ?, ?)").execute(
                       arguments: [task.number, author, now, text])
    }
}
