import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync

/// A database with the sample world's queues and a `handoff-sync` service account, the shipped
/// routes, and a worker on a spool directory whose clock the test moves by hand.
public final class SyncFixture: @unchecked Sendable {
    public let directory = TemporaryDirectory("handoff-sync")
    public let store: HandoffStore
    public let routes: Routes
    public let service = Actor(name: "handoff-sync", roles: [.service], origin: "sync")
    public let admin = Actor(name: "ada", roles: [.admin])
    public let spool: SpoolSource
    /// The time the worker sees; tests advance it.
    public var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_795_000_000)

    /// The repository's `SampleData` folder.
    public static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData").path

    public init(parkTimeout: TimeInterval = 60, partialLineTimeout: TimeInterval = 30) throws {
        store = try HandoffStore.openOrCreate(at: directory.file("handoff.db"))
        let admin = self.admin
        let start = current
        try store.write { db in
            try db.bootstrapAdmin(name: "ada", displayName: "Ada Lindqvist", origin: "local", at: start)
            try db.apply(.addUser(name: "handoff-sync", displayName: "Sync worker", roles: [.service]), by: admin, at: start)
            try db.apply(.addUser(name: "cora", displayName: "Cora Mendes", roles: [.coordinator]), by: admin, at: start)
            try db.apply(.addUser(name: "nina", displayName: "Nina Kowalczyk", roles: [.nurse]), by: admin, at: start)
            for (queue, review) in [("lab-results", true), ("referral-intake", false), ("registration-exceptions", false),
                                    ("care-followup", false)] {
                try db.apply(.addQueue(name: queue, title: queue, requiresReview: review), by: admin, at: start)
                try db.apply(.addMember(queue: queue, user: "cora"), by: admin, at: start)
                try db.apply(.addMember(queue: queue, user: "nina"), by: admin, at: start)
            }
        }
        routes = try SyncSetup.routes(file: Self.sampleData + "/routes.yaml", store: store)
        try FileManager.default.createDirectory(atPath: directory.file("spool"), withIntermediateDirectories: true)
        spool = SpoolSource(directory: directory.file("spool"), partialLineTimeout: partialLineTimeout)
        self.parkTimeout = parkTimeout
    }

    public let parkTimeout: TimeInterval

    /// A worker over the spool, seeing the fixture's clock.
    public func worker() throws -> SyncWorker {
        try SyncSetup.worker(store: store, routes: routes, actor: service, sources: [spool], parkTimeout: parkTimeout,
                             now: { [unowned self] in self.now })
    }

    /// Applies events given as JSON texts, in one batch, at the fixture's time.
    @discardableResult
    public func ingest(_ texts: [String]) throws -> SyncTally {
        try worker().apply(texts.map { Delivery(raw: Data($0.utf8), transport: "test") }, at: now)
    }

    /// Writes a spool file (via a temporary name, as middleware does).
    public func drop(_ name: String, _ text: String) throws {
        let temporary = directory.file("spool/\(name).tmp")
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: directory.file("spool/\(name)"))
    }

    /// The open task of a correlation key.
    public func openTask(_ key: String) throws -> WorkTask? {
        try store.read { try $0.openTask(correlationKey: key) }
    }

    /// All tasks of a correlation key, oldest first.
    public func tasks(_ key: String) throws -> [WorkTask] {
        try store.read { db in
            try db.tasks(TaskFilter(includeClosed: true, limit: 1000), visibleTo: admin).filter { $0.correlationKey == key }
                .sorted { $0.id < $1.id }
        }
    }

    /// Open dead letters, oldest first.
    public func deadLetters() throws -> [DeadLetter] {
        try store.read { try $0.deadLetters(status: .open) }.reversed()
    }
}

/// Builds CloudEvents JSON for tests.
public enum TestEvent {
    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    /// A well-formed event of `type` with `data`; `id` defaults to a fresh one.
    public static func json(_ type: String, id: String? = nil, source: String = "urn:test:mirth", subject: String? = nil,
                            time: String = "2026-11-25T09:30:00Z", version: Int = 1, extra: [String: Any] = [:],
                            data: [String: Any]) -> String {
        let eventID = id ?? counterLock.withLock { counter += 1; return "evt-test-\(counter)" }
        var object: [String: Any] = [
            "specversion": "1.0", "id": eventID, "source": source, "type": type, "time": time,
            "datacontenttype": "application/json", "dataschema": "urn:handoff:event:\(type):v\(version)",
            "traceparent": "00-\(traceID(of: eventID))-00f067aa0ba902b7-01",
            "data": data,
        ]
        if let subject { object["subject"] = subject }
        for (key, value) in extra { object[key] = value }
        let bytes = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The trace id tests give the event `id`: its bytes in hex, padded to 32 digits.
    public static func traceID(of id: String) -> String {
        let hex = id.utf8.map { String(format: "%02x", $0) }.joined()
        return String((hex + String(repeating: "0", count: 32)).prefix(32))
    }
}
