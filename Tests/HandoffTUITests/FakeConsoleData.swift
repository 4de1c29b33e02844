import Foundation
import HandoffCore
@testable import HandoffTUI

/// An in-memory ``ConsoleData`` that applies the workflow rules and records how much it was asked to load.
final class FakeConsoleData: ConsoleData {
    var actor: Actor
    let databaseName = "test.db"
    var queueInfos: [QueueInfo]
    var all: [WorkTask]
    var memberships: [String: QueueAccess] = [:]
    /// Every page size requested, to prove the console never loads a whole queue.
    private(set) var requestedLimits: [Int] = []
    private(set) var rowsReturned = 0
    private(set) var opened: [TaskID] = []
    let now: Date

    init(actor: Actor, queues: [QueueInfo], tasks: [WorkTask], now: Date) {
        self.actor = actor
        queueInfos = queues
        all = tasks.sorted(by: Self.priorityOrder)
        self.now = now
        for queue in queues {
            memberships[queue.name] = QueueAccess(queue: queue.name, requiresReview: queue.requiresReview,
                                                  isMember: queue.members.contains(actor.name),
                                                  isSupervisor: queue.supervisors.contains(actor.name))
        }
    }

    static func priorityOrder(_ a: WorkTask, _ b: WorkTask) -> Bool {
        (-a.priority.rank, a.createdAt, a.id) < (-b.priority.rank, b.createdAt, b.id)
    }

    func queues() throws -> [QueueInfo] { queueInfos }

    private func matching(_ filter: TaskFilter) -> [WorkTask] {
        let states = filter.states ?? (filter.includeClosed ? Set(TaskState.allCases) : TaskState.active)
        return all.filter { task in
            states.contains(task.state)
                && (filter.queue.map { $0 == task.queue } ?? true)
                && (filter.owner.map { $0 == task.owner } ?? true)
                && (!filter.unownedOnly || task.owner == nil)
                && (filter.priority.map { $0 == task.priority } ?? true)
                && filter.search.allSatisfy { term in
                    let haystack = [task.title, task.subjectDisplay ?? ""].joined(separator: " ")
                        .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                    return haystack.contains(term.word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
                }
        }
    }

    func tasks(_ filter: TaskFilter) throws -> [WorkTask] {
        requestedLimits.append(filter.limit)
        let list = matching(filter)
        var page = Array(list.prefix(filter.limit))
        if let after = filter.after, let index = list.firstIndex(where: { $0.id == after }) {
            page = Array(list[(index + 1)...].prefix(filter.limit))
        }
        if let before = filter.before, let index = list.firstIndex(where: { $0.id == before }) {
            page = Array(list[..<index].suffix(filter.limit))
        }
        rowsReturned += page.count
        return page
    }

    func count(_ filter: TaskFilter) throws -> Int { matching(filter).count }

    func access(to queue: String) throws -> QueueAccess { memberships[queue]! }

    func open(_ id: TaskID, breakGlass: String?) throws -> TaskDetail {
        let detail = try refresh(id, breakGlass: breakGlass)
        opened.append(id)
        if let breakGlass { brokeGlass.append((id, breakGlass)) }
        return detail
    }

    /// The break-glass openings, with their reasons.
    private(set) var brokeGlass: [(TaskID, String)] = []

    /// The task's detail, by the real rule of who may view it.
    func refresh(_ id: TaskID, breakGlass: String?) throws -> TaskDetail {
        let task = all.first { $0.id == id }!
        let access = memberships[task.queue] ?? QueueAccess(queue: task.queue, requiresReview: false, isMember: false, isSupervisor: false)
        _ = try Workflow.view(task, by: actor, access: access, at: now, breakGlass: breakGlass)
        return TaskDetail(task: task, notes: [], history: [], displayNames: [:])
    }

    func perform(_ action: TaskAction, on id: TaskID, expectedVersion: Int) throws -> WorkTask {
        let index = all.firstIndex { $0.id == id }!
        guard all[index].version == expectedVersion else { throw FakeConflict(id: id) }
        let outcome = try Workflow.apply(action, to: all[index], by: actor, access: memberships[all[index].queue]!, at: now)
        all[index] = outcome.task
        all.sort(by: Self.priorityOrder)
        return outcome.task
    }

    func assign(_ id: TaskID, to user: String, reason: String?, expectedVersion: Int) throws -> WorkTask {
        try perform(.assign(to: Assignee(name: user, roles: [.coordinator], isMember: true), reason: reason), on: id, expectedVersion: expectedVersion)
    }

    func claimNext() throws -> WorkTask? {
        if let own = all.first(where: { $0.state == .assigned && $0.owner == actor.name }) { return own }
        guard let next = all.first(where: { $0.state == .queued && memberships[$0.queue]?.isMember == true }) else { return nil }
        return try perform(.claim, on: next.id, expectedVersion: next.version)
    }

    func members(of queue: String) throws -> [String] { queueInfos.first { $0.name == queue }?.members ?? [] }

    /// The sync line and dead letters a test sets; replays and discards are recorded.
    var sync: String?
    var letters: [DeadLetterItem] = []
    private(set) var replayed: [Int64] = []
    private(set) var discarded: [(Int64, String)] = []

    func syncLine() throws -> String? { sync }
    var panel: [String] = []
    func syncPanel() throws -> [String] { panel }
    func deadLetters() throws -> [DeadLetterItem] { letters }

    func replayDeadLetter(_ id: Int64) throws -> String {
        replayed.append(id)
        letters.removeAll { $0.id == id }
        return "replayed"
    }

    func discardDeadLetter(_ id: Int64, reason: String) throws {
        discarded.append((id, reason))
        letters.removeAll { $0.id == id }
    }

    /// The dashboard a test sets; loads and drill-downs are recorded.
    var dashboardFigures: SupervisorDashboard?
    private(set) var dashboardLoads = 0
    private(set) var drilled: [DashboardFigure] = []

    func dashboard() throws -> SupervisorDashboard? {
        dashboardLoads += 1
        return dashboardFigures
    }

    /// Open tasks of the figure's queue and state; other figures list every open task.
    func dashboardTasks(_ figure: DashboardFigure) throws -> [WorkTask] {
        drilled.append(figure)
        if case let .open(queue, state) = figure {
            return all.filter { $0.queue == queue && (state.map { [$0] } ?? Array(TaskState.active)).contains($0.state) }
        }
        return all.filter(\.state.isActive)
    }

    /// The audit log a test sets, oldest first as stored; every query is recorded.
    var audit: [StoredAudit] = []
    private(set) var auditQueries: [AuditQuery] = []

    /// The newest records the actor may read, newest first: by ``AuditAccess``, admins all of them,
    /// supervisors those of tasks in queues listing them as a supervisor, anyone else refused.
    func auditLog(_ query: AuditQuery) throws -> [StoredAudit] {
        auditQueries.append(query)
        let access = try AuditAccess.of(actor)
        let supervised = Set(queueInfos.filter { $0.supervisors.contains(actor.name) }.map(\.name))
        let visible = audit.filter { record in
            guard access == .supervisedQueues else { return true }
            guard let id = record.entry.taskID, let task = all.first(where: { $0.id == id }) else { return false }
            return supervised.contains(task.queue)
        }
        return Array(visible.suffix(query.limit).reversed())
    }

    /// Another session changes a task behind the console's back.
    func changeBehindTheScenes(_ id: TaskID, _ change: (inout WorkTask) -> Void) {
        let index = all.firstIndex { $0.id == id }!
        change(&all[index])
        all[index].version += 1
        all.sort(by: Self.priorityOrder)
    }
}

struct FakeConflict: Error, CustomStringConvertible {
    let id: TaskID
    var description: String { "\(id) was changed by someone else; reload it and try again" }
}

/// A small world: queue `lab` with cora and nina, tasks with varied names.
enum World {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func task(_ number: Int64, _ title: String, patient: String, priority: Priority = .routine,
                     state: TaskState = .queued, owner: String? = nil, age: TimeInterval = 3_600) -> WorkTask {
        WorkTask(id: TaskID(number), queue: "lab", state: state, priority: priority, title: title, kind: "lab-review",
                 subject: Reference("Patient/\(1000 + number)"), subjectDisplay: patient, owner: owner,
                 createdAt: now.addingTimeInterval(-age - Double(number)), updatedBy: "sync")
    }

    static func data(_ tasks: [WorkTask], actor: Actor = Actor(name: "cora", roles: [.coordinator])) -> FakeConsoleData {
        let lab = QueueInfo(name: "lab", title: "Lab results review", requiresReview: false,
                            members: ["cora", "nina"], supervisors: ["sam"], counts: [.queued: tasks.count])
        return FakeConsoleData(actor: actor, queues: [lab], tasks: tasks, now: now)
    }

    static let names = [
        task(1, "Review potassium", patient: "José Nuñez", priority: .stat),
        task(2, "Review sodium", patient: "王芳", priority: .urgent),
        task(3, "Review HbA1c", patient: "Zoë Laurent", owner: "cora", age: 7_200),
        task(4, "Review INR", patient: "김민준"),
        task(5, "Review TSH", patient: "Ada Lovelace", state: .assigned, owner: "cora"),
    ]
}
