import Foundation
import HandoffCore
import HandoffStore
import HandoffTUI

/// The console's data, read from and written to the store: one short transaction per call.
public final class StoreConsoleData: ConsoleData {
    public let actor: Actor
    public let databaseName: String
    private let store: HandoffStore
    private let now: @Sendable () -> Date

    public init(store: HandoffStore, actor: Actor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.actor = actor
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

    public func open(_ id: TaskID) throws -> TaskDetail {
        try store.write { try $0.openTask(id, by: actor, at: now()) }
    }

    public func refresh(_ id: TaskID) throws -> TaskDetail {
        try store.read { try $0.taskDetail(id, for: actor) }
    }

    public func perform(_ action: TaskAction, on id: TaskID, expectedVersion: Int) throws -> WorkTask {
        try store.write { try $0.perform(action, on: id, expectedVersion: expectedVersion, by: actor, at: now()) }
    }

    public func assign(_ id: TaskID, to user: String, reason: String?, expectedVersion: Int) throws -> WorkTask {
        try store.write { try $0.assign(id, to: user, reason: reason, expectedVersion: expectedVersion, by: actor, at: now()) }
    }

    public func claimNext() throws -> WorkTask? {
        try store.write { try $0.claimNext(for: actor, at: now()) }
    }

    public func members(of queue: String) throws -> [String] {
        try store.read { try $0.queues().first { $0.name == queue }?.members ?? [] }
    }
}
