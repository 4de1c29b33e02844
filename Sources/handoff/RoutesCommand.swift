import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff routes`: check the routes file, and see what an event would do.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Check the routing rules, or see what an event would do.",
        subcommands: [RoutesCheck.self, RoutesTest.self])
}

/// `handoff routes check`.
struct RoutesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check a routes file; errors name the line.")

    @Option(help: ArgumentHelp("The routes file.", valueName: "file")) var routes: String?

    func run() throws {
        let file = try WorkerOptions.parse(routes.map { ["--routes", $0] } ?? []).routesFile()
        let loaded = try RoutesLoader.load(file: file)
        print("\(file): \(loaded.rules.count) rules for \(loaded.schemas.count) event types — ok")
    }
}

/// `handoff routes test EVENT.json`: routes each event without changing anything.
struct RoutesTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show what each event in a file (one event, NDJSON lines, or a JSON batch) would do, changing nothing.",
        discussion: "With a database (--db, $HANDOFF_DB, or the default one when it exists), the open task of each correlation key is looked up too.")

    @Argument(help: ArgumentHelp("A file of events.", valueName: "events-file")) var file: String
    @Option(help: ArgumentHelp("The routes file.", valueName: "file")) var routes: String?
    @Option(help: ArgumentHelp("A database to look tasks up in.", valueName: "path")) var db: String?

    func run() throws {
        let routesFile = try WorkerOptions.parse(routes.map { ["--routes", $0] } ?? []).routesFile()
        let loaded = try RoutesLoader.load(file: routesFile)
        let bytes = try UserFile.read(file)
        let store = try Self.lookupStore(db)
        for (index, decoded) in Self.events(in: bytes).enumerated() {
            print("\(index + 1). " + Self.describe(decoded, routes: loaded, store: store))
        }
    }

    /// The database to look tasks up in, if any. Installed, a lookup tells whether a patient or order has
    /// open work, so it is for the integration support it is meant for: admins and service accounts.
    private static func lookupStore(_ db: String?) throws -> HandoffStore? {
        let path = try InstalledRules.databasePath(db)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard InstalledRules.isInstalled else { return try HandoffStore.open(at: path) }
        let session = try Session.open(path: path, actAs: nil)
        guard session.actor.has(.admin) || session.actor.has(.service) else {
            throw CommandFailure("looking tasks up while testing routes is for admins and service accounts; you have "
                + session.actor.roles.sorted().map(\.rawValue).joined(separator: ", "))
        }
        return session.store
    }

    static func events(in bytes: Data) -> [Result<CloudEvent, EventRejection>] {
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == 0x5B {
            switch EventDecoder.decodeBatch(bytes) {
            case let .success(events): return events
            case let .failure(rejection): return [.failure(rejection)]
            }
        }
        let (lines, rest) = EventDecoder.lines(of: bytes)
        let all = rest.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? lines : lines + [rest]
        return all.map(EventDecoder.decode)
    }

    static func describe(_ decoded: Result<CloudEvent, EventRejection>, routes: Routes, store: HandoffStore?) -> String {
        switch decoded.flatMap({ event in routes.route(event).map { (event, $0) } }) {
        case let .failure(rejection):
            return "dead letter: \(rejection.reason.rawValue) — \(DisplayText.sanitize(rejection.detail))"
        case let .success((event, routed)):
            var text = "\(DisplayText.sanitize(event.type)) \(DisplayText.sanitize(event.id)): "
                + (routed.ruleLine.map { "rule at line \($0): " } ?? "") + DisplayText.sanitize(routed.summary)
            if let store, let key = routed.correlationKey,
               let (open, closed) = try? store.read({ (try $0.openTask(correlationKey: key), try $0.latestClosedTask(correlationKey: key)) }) {
                text += "\n   now: " + Self.effect(EventEffect.plan(routed, eventType: event.type, open: open, closed: closed), open: open)
            }
            return text
        }
    }

    static func effect(_ effect: EventEffect, open: WorkTask?) -> String {
        switch effect {
        case let .create(draft): "would create a \(draft.kind) task in \(draft.queue)"
        case let .act(id, actions): "would \(actions.map(\.kind.rawValue).joined(separator: " then ")) \(id) (\(open?.state.rawValue ?? "?"))"
        case let .park(reason): "would wait: \(reason)"
        case let .ignore(reason): "would change nothing: \(DisplayText.sanitize(reason))"
        }
    }
}
