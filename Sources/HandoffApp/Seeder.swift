import Foundation
import HandoffCore
import HandoffStore

/// Loads sample data into a database by replaying it through the real workflow rules,
/// so every task has a believable, audited history ending at `now`.
public struct Seeder {
    /// What seeding created.
    public struct Summary: Hashable, Sendable {
        public var users: Int
        public var queues: Int
        public var tasks: Int
        public var auditRecords: Int
    }

    let data: SampleData
    let now: Date

    public init(data: SampleData, now: Date) {
        self.data = data
        self.now = now
    }

    /// Seeds `store` in one transaction, making `admin` (the invoking user) its admin; with the sample's
    /// SLA policies, when it has some, so every replayed step keeps the tasks' SLA state.
    public func seed(into store: HandoffStore, admin: String, adminDisplayName: String, origin: String,
                     markAsDemo: Bool) throws(StoreError) -> Summary {
        try store.measuring(data.sla?.policies ?? store.slaPolicies).write { session in
            guard try session.taskCount() == 0 else {
                throw StoreError.alreadySeeded
            }
            let setUp = now.addingTimeInterval(-15 * 86_400)
            try session.bootstrapAdmin(name: admin, displayName: adminDisplayName, origin: origin, at: setUp)
            let adminActor = try session.actor(named: admin, origin: origin)
            try addDirectory(session, by: adminActor, at: setUp)
            if let sla = data.sla {
                try SLASettings.store(sla.text, file: "sla.yaml", in: session, by: adminActor, at: setUp)
            }
            if markAsDemo {
                try session.setMeta("demo", "true")
                // Before the first task: every outbound event of the demo names it.
                try session.setMeta("outbound.source", "urn:handoff:demo")
            }
            try session.setMeta("seededAt", Timestamp.format(now))
            try replayTasks(session, origin: origin)
            return Summary(users: try session.userCount(), queues: data.queues.count,
                           tasks: try session.taskCount(), auditRecords: try session.auditCount())
        }
    }

    private func addDirectory(_ session: StoreSession, by admin: Actor, at time: Date) throws {
        for user in data.users {
            if let existing = try session.user(named: user.name) {
                try session.apply(.setRoles(user: user.name, roles: existing.roles.union(user.roles)), by: admin, at: time)
            } else {
                try session.apply(.addUser(name: user.name, displayName: user.display, roles: Set(user.roles)), by: admin, at: time)
            }
        }
        for queue in data.queues {
            try session.apply(.addQueue(name: queue.name, title: queue.title, requiresReview: queue.requiresReview), by: admin, at: time)
            for member in queue.members { try session.apply(.addMember(queue: queue.name, user: member), by: admin, at: time) }
            for supervisor in queue.supervisors { try session.apply(.addSupervisor(queue: queue.name, user: supervisor), by: admin, at: time) }
        }
    }

    // MARK: - Tasks

    /// One step of a task's history.
    private struct Step {
        enum Kind {
            case create(TaskDraft)
            case action(TaskAction)
        }
        var time: Date
        var task: Int
        var order: Int
        var actor: String
        var kind: Kind
    }

    private func replayTasks(_ session: StoreSession, origin: String) throws {
        let names = Dictionary(data.patients.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let steps = try data.tasks.enumerated().flatMap { index, task in try self.steps(for: task, index: index, names: names) }
            .sorted { ($0.time, $0.task, $0.order) < ($1.time, $1.task, $1.order) }
        var ids: [Int: TaskID] = [:]
        var actors: [String: Actor] = [:]
        for step in steps {
            let actor = try actors[step.actor] ?? session.actor(named: step.actor, origin: origin)
            actors[step.actor] = actor
            switch step.kind {
            case let .create(draft):
                ids[step.task] = try session.createTask(draft, by: actor, at: step.time).id
            case let .action(action):
                try session.perform(action, on: ids[step.task]!, by: actor, at: step.time)
            }
        }
    }

    private func steps(for task: SampleData.Task, index: Int, names: [Reference: String]) throws -> [Step] {
        guard let age = DurationText.seconds(task.createdAgo), age > 0 else {
            throw SampleDataError.invalid(path: "tasks.yaml", problem: "task \(index + 1): bad createdAgo '\(task.createdAgo)'")
        }
        let created = now.addingTimeInterval(-age)
        var expectedBy: Date?
        if let pending = task.pending {
            guard let offset = DurationText.seconds(pending.expectedIn) else {
                throw SampleDataError.invalid(path: "tasks.yaml", problem: "task \(index + 1): bad expectedIn '\(pending.expectedIn)'")
            }
            expectedBy = now.addingTimeInterval(offset)
        }
        let creatorIsService = data.users.first { $0.name == task.createdBy }?.roles.contains(.service) ?? false
        let service = "handoff-sync"
        var draft = TaskDraft(queue: task.queue, title: task.title, kind: task.kind, priority: task.priority,
                              subject: task.patient, subjectDisplay: task.patient.flatMap { names[$0] },
                              focus: task.focus, correlationKey: task.correlation, traceID: task.trace)
        let exception = task.exception.map { ExceptionDetail(code: $0.code, context: $0.context ?? [:]) }
        let requiresReview = data.queues.first { $0.name == task.queue }?.requiresReview ?? false

        var path: [(String, TaskAction)] = []
        let owner = task.owner ?? ""
        let worked: [(String, TaskAction)] = [(owner, .claim), (owner, .start)]
        switch task.state {
        case .queued:
            break
        case .assigned:
            path = [(owner, .claim)]
        case .inProgress:
            path = worked
        case .pending:
            let reason = task.pending?.reason ?? "Awaiting external data"
            path = task.owner == nil
                ? [(service, .pend(reason: reason, expectedBy: expectedBy))]
                : worked + [(owner, .pend(reason: reason, expectedBy: expectedBy))]
        case .review:
            path = worked + [(owner, .requestReview)]
        case .completed:
            path = requiresReview
                ? worked + [(owner, .requestReview), (task.reviewer ?? "", .approve)]
                : worked + [(owner, .complete)]
        case .cancelled:
            path = [(task.cancelled?.by ?? service, .cancel(reason: task.cancelled?.reason ?? "No longer needed"))]
        case .exception:
            if let exception {
                if task.owner != nil {
                    path = worked + [(owner, .raiseException(exception))]
                } else if creatorIsService {
                    draft.exception = exception
                } else {
                    path = [(service, .raiseException(exception))]
                }
            }
        }

        var end = now.addingTimeInterval(-60)
        if let expectedBy { end = min(end, expectedBy.addingTimeInterval(-60)) }
        let span = max(end.timeIntervalSince(created), 0)
        var steps = [Step(time: created, task: index, order: 0, actor: task.createdBy, kind: .create(draft))]
        for (offset, (actor, action)) in path.enumerated() {
            let time = created.addingTimeInterval(span * Double(offset + 1) / Double(path.count + 1))
            steps.append(Step(time: time, task: index, order: offset + 1, actor: actor, kind: .action(action)))
        }
        for (offset, note) in (task.notes ?? []).enumerated() {
            guard let ago = DurationText.seconds(note.ago) else {
                throw SampleDataError.invalid(path: "tasks.yaml", problem: "task \(index + 1): bad note ago '\(note.ago)'")
            }
            let time = max(now.addingTimeInterval(-ago), created.addingTimeInterval(1))
            steps.append(Step(time: time, task: index, order: 100 + offset, actor: note.by, kind: .action(.note(note.text))))
        }
        return steps
    }
}
