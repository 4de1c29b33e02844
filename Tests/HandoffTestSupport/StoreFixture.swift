import Foundation
import HandoffCore
import HandoffStore

/// A new database in a temporary directory with an admin, two queues and a few people.
///
/// `lab` requires review (members cora, nina, zoe; supervisor sam); `intake` does not
/// (member cora; supervisor sam).
public struct StoreFixture: Sendable {
    public let directory = TemporaryDirectory()
    public let store: HandoffStore
    public let start = Date(timeIntervalSince1970: 1_795_000_000)
    public let admin = Actor(name: "ada", roles: [.admin])

    public init() throws {
        store = try HandoffStore.openOrCreate(at: directory.file("handoff.db"))
        let admin = self.admin
        let start = self.start
        try store.write { db in
            try db.bootstrapAdmin(name: "ada", displayName: "Ada Lindqvist", origin: "local", at: start)
            for (name, display, roles) in [("cora", "Cora Mendes", [Role.coordinator]), ("nina", "Nina Kowalczyk", [.nurse]),
                                           ("zoe", "Zoë Laurent", [.nurse]), ("sam", "Sam Okafor", [.supervisor]),
                                           ("sync", "Sync worker", [.service])] {
                try db.apply(.addUser(name: name, displayName: display, roles: Set(roles)), by: admin, at: start)
            }
            try db.apply(.addQueue(name: "lab", title: "Lab results review", requiresReview: true), by: admin, at: start)
            try db.apply(.addQueue(name: "intake", title: "Referral intake", requiresReview: false), by: admin, at: start)
            for user in ["cora", "nina", "zoe"] { try db.apply(.addMember(queue: "lab", user: user), by: admin, at: start) }
            try db.apply(.addMember(queue: "intake", user: "cora"), by: admin, at: start)
            for queue in ["lab", "intake"] { try db.apply(.addSupervisor(queue: queue, user: "sam"), by: admin, at: start) }
        }
    }

    /// The stored actor `name`.
    public func actor(_ name: String) throws -> Actor {
        try store.read { try $0.actor(named: name, origin: "local") }
    }

    /// Creates a routine task in `queue` as the sync service.
    public func makeTask(in queue: String = "lab", title: String = "Review potassium") throws -> WorkTask {
        let sync = try actor("sync")
        return try store.write {
            try $0.createTask(TaskDraft(queue: queue, title: title, kind: "lab-review", subject: Reference("Patient/1001")),
                              by: sync, at: start.addingTimeInterval(60))
        }
    }
}
