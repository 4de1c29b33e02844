import Foundation
import HandoffCore
import HandoffStore

/// The contention benchmark's database: one queue, one coordinator per writer process, all of them its
/// members, and the tasks they all work on at once.
public struct ContentionWorkload: Sendable {
    /// The queue every writer belongs to and every shared task is in.
    public static let queue = "bench"
    /// The start of the database's `workload` note, which marks it as made for this benchmark.
    public static let note = "contention:"

    /// How many writer processes.
    public let writers: Int
    /// How many shared tasks.
    public let tasks: Int
    /// The seed of the writers' choices.
    public let seed: UInt64

    public init(writers: Int, tasks: Int, seed: UInt64) {
        self.writers = writers
        self.tasks = tasks
        self.seed = seed
    }

    /// The user name of writer `index` (from 0): `bench-w01`, `bench-w02`, …
    public static func writer(_ index: Int) -> String {
        "bench-w" + (index < 9 ? "0" : "") + String(index + 1)
    }

    /// Makes `admin` the database's admin, then adds the writers, the queue, its members and the tasks as
    /// that admin, every change audited, in one transaction. The database must have no users yet.
    public func setUp(_ store: HandoffStore, admin name: String, displayName: String, origin: String, at now: Date) throws {
        try store.write { session in
            try session.bootstrapAdmin(name: name, displayName: displayName, origin: origin, at: now)
            let admin = try session.actor(named: name, origin: origin)
            try session.apply(.addQueue(name: Self.queue, title: "Contention benchmark", requiresReview: false), by: admin, at: now)
            for index in 0..<writers {
                let user = Self.writer(index)
                try session.apply(.addUser(name: user, displayName: "Benchmark writer \(index + 1)", roles: [.coordinator]), by: admin, at: now)
                try session.apply(.addMember(queue: Self.queue, user: user), by: admin, at: now)
            }
            for number in 1...tasks {
                try session.createTask(TaskDraft(queue: Self.queue, title: "Shared task \(number)", kind: "bench"), by: admin, at: now)
            }
            try session.setMeta("workload", "\(Self.note) seed \(seed), \(writers) writers, \(tasks) tasks")
        }
    }

    /// Whether the database's `workload` note says this benchmark made it.
    public static func madeIt(_ session: StoreSession) throws -> Bool {
        try session.meta("workload")?.hasPrefix(note) == true
    }

    /// The shared tasks as `actor` sees them now, by id.
    public static func sharedTasks(in session: StoreSession, visibleTo actor: Actor) throws -> [WorkTask] {
        try session.tasks(TaskFilter(queue: queue, includeClosed: true, sort: .age, limit: Int(Int32.max)), visibleTo: actor)
            .sorted { $0.id < $1.id }
    }
}
