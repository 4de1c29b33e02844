import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import Logging

/// Wires a sync worker: the routes file checked against the database, the service account, the sources.
public enum SyncSetup {
    /// Loads and checks the routes at `file`: every queue a rule creates tasks in must exist in `store`.
    public static func routes(file: String, store: HandoffStore) throws -> Routes {
        let routes = try RoutesLoader.load(file: file)
        let known = Set(try store.read { try $0.queues() }.map(\.name))
        for (queue, line) in routes.queues where !known.contains(queue) {
            throw RoutesError.invalid(file: file, line: line,
                                      problem: "queue '\(queue)' does not exist in \(store.path) (create it with 'handoff queues add \(queue)')")
        }
        return routes
    }

    /// What replays use — of the event log or of dead letters — on a person's request: the routes at `file`,
    /// checked against the database, applied as the service account `serviceAccount`.
    public static func replayIngestor(routesFile file: String, store: HandoffStore, serviceAccount: String,
                                      requestedBy person: Actor) throws -> EventIngestor {
        let routes = try routes(file: file, store: store)
        let service = try store.read { try $0.actor(named: serviceAccount, origin: "replay by \(person.name)") }
        try Integration.authorizeWorker(service)
        return EventIngestor(routes: routes, actor: service)
    }

    /// A worker for `actor` (who must hold the service role) over `sources`.
    public static func worker(store: HandoffStore, routes: Routes, actor: Actor, sources: [any EventSource],
                              parkTimeout: TimeInterval, retryInterval: TimeInterval = 2,
                              now: @escaping @Sendable () -> Date = { Date() },
                              logger: Logger = Logger(label: "handoff.sync")) throws -> SyncWorker {
        try Integration.authorizeWorker(actor)
        let ingestor = EventIngestor(routes: routes, actor: Actor(name: actor.name, roles: actor.roles, origin: "sync"),
                                     parkTimeout: parkTimeout, retryInterval: retryInterval)
        var sweeper: EscalationSweeper?
        if !store.slaPolicies.policies.isEmpty {
            // The sweeper acts as the database's sweeper account when it has one, else as the worker's.
            let account = (try? store.read { try $0.actor(named: "handoff-sweeper", origin: "sweeper") })
                .flatMap { $0.has(.service) ? $0 : nil } ?? Actor(name: actor.name, roles: actor.roles, origin: "sweeper")
            sweeper = EscalationSweeper(actor: account, logger: logger)
        }
        return SyncWorker(store: store, ingestor: ingestor, sources: sources, sweeper: sweeper, now: now, logger: logger)
    }
}
