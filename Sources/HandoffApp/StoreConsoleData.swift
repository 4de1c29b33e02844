import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTUI

/// The console's data, read from and written to the store: one short transaction per call.
public final class StoreConsoleData: ConsoleData {
    public let actor: Actor
    public let databaseName: String
    private let store: HandoffStore
    private let now: @Sendable () -> Date
    /// Replays dead letters with the current routes; `nil` when no routes file was found.
    private let replayer: DeadLetterReplayer?

    public init(store: HandoffStore, actor: Actor, replayer: DeadLetterReplayer? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.actor = actor
        self.replayer = replayer
        self.now = now
        databaseName = URL(fileURLWithPath: store.path).lastPathComponent
    }

    public func queues() throws -> [QueueInfo] {
        try store.read { try $0.queues(visibleTo: actor) }
    }

    public func tasks(_ filter: TaskFilter) throws -> [WorkTask] {
        try store.read { try $0.tasks(filter, visibleTo: actor) }
    }

    public func count(_ filter: TaskFilter) throws -> Int {
        try store.read { try $0.count(filter, visibleTo: actor) }
    }

    public func access(to queue: String) throws -> QueueAccess {
        try store.read { try $0.access(of: actor, to: queue) }
    }

    public func open(_ id: TaskID, breakGlass: String?) throws -> TaskDetail {
        try unwrappingRules { try store.write { try $0.openTask(id, by: actor, at: now(), breakGlass: breakGlass) } }
    }

    public func refresh(_ id: TaskID, breakGlass: String?) throws -> TaskDetail {
        try unwrappingRules { try store.read { try $0.taskDetail(id, for: actor, breakGlass: breakGlass) } }
    }

    /// Runs `body`, handing a refusal by the workflow rules to the console as the rules' own error.
    private func unwrappingRules<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let StoreError.transition(error) {
            throw error
        }
    }

    public func perform(_ action: TaskAction, on id: TaskID, expectedVersion: Int) throws -> WorkTask {
        try store.write { try $0.perform(action, on: id, expectedVersion: expectedVersion, by: actor, at: now()) }
    }

    public func assign(_ id: TaskID, to user: String, reason: String?, expectedVersion: Int) throws -> WorkTask {
        try store.write { try $0.assign(id, to: user, reason: reason, expectedVersion: expectedVersion, by: actor, at: now()) }
    }

    public func dashboard() throws -> SupervisorDashboard? {
        try store.read { db in
            let scope = try dashboardScope(db)
            return scope.queues.isEmpty ? nil : try db.dashboard(scope)
        }
    }

    public func dashboardTasks(_ figure: DashboardFigure) throws -> [WorkTask] {
        try store.read { db in try db.dashboardTasks(figure, in: dashboardScope(db)) }
    }

    public func auditLog(_ query: AuditQuery) throws -> [StoredAudit] {
        try unwrappingRules { try store.read { try $0.auditLog(query, visibleTo: actor) } }.reversed()
    }

    /// The queues the actor oversees, now, with today starting at local midnight.
    private func dashboardScope(_ db: StoreSession) throws -> DashboardScope {
        let now = now()
        return DashboardScope(queues: try db.supervisedQueues(of: actor), now: now, dayStart: Calendar.current.startOfDay(for: now))
    }

    public func claimNext() throws -> WorkTask? {
        try store.write { try $0.claimNext(for: actor, at: now()) }
    }

    public func members(of queue: String) throws -> [String] {
        guard let info = try store.read({ try $0.queues().first { $0.name == queue } }) else { return [] }
        return info.members + info.supervisors.filter { !info.members.contains($0) }
    }

    public func syncLine() throws -> String? {
        let report = try store.read { try SyncStatusReport.read($0, now: now()) }
        guard report.heartbeat != nil || report.received > 0 || report.openDeadLetters > 0 else { return nil }
        return report.line(now: now())
    }

    public func syncPanel() throws -> [String] {
        let (sync, outbound) = try store.read { (try SyncStatusReport.read($0, now: now()), try OutboundStatusReport.read($0, now: now())) }
        return sync.panel(now: now()) + [outbound.panelLine(now: now())]
    }

    public func deadLetters() throws -> [DeadLetterItem] {
        try Integration.authorizeDeadLetterHandling(actor)
        return try store.read { try $0.deadLetters(status: .open) }.map { letter in
            DeadLetterItem(id: letter.id, reason: letter.reason, detail: letter.detail, type: letter.type, eventID: letter.eventID,
                           source: letter.source, transport: letter.transport, firstSeen: letter.firstSeen, attempts: letter.attempts,
                           raw: String(decoding: letter.raw, as: UTF8.self))
        }
    }

    public func replayDeadLetter(_ id: Int64) throws -> String {
        guard let replayer else { return "still failing: no routes file was found to replay with (see handoff routes check)" }
        return try store.write { try replayer.replay(id, by: actor, in: $0, at: now()) }.description
    }

    public func discardDeadLetter(_ id: Int64, reason: String) throws {
        try store.write { try $0.closeDeadLetter(id, as: .discarded, note: reason, by: actor, at: now()) }
    }
}
