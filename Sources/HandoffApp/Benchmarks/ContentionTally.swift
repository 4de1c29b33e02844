/// What one writer of the contention benchmark attempted: every action, what it came to and how long
/// its transaction took. Written by the writer process as JSON, read back by the benchmark.
public struct ContentionTally: Codable, Hashable, Sendable {
    /// What an attempted action came to.
    public enum Outcome: String, Codable, Hashable, Sendable, CaseIterable {
        /// Committed, with its audit record.
        case succeeded
        /// Refused because another writer had changed the task since this one read it.
        case conflict
        /// Refused by the workflow's rules.
        case refused
        /// Any other error, e.g. the database staying locked for longer than the busy timeout.
        case failed
    }

    /// One attempted action.
    public struct Attempt: Codable, Hashable, Sendable {
        /// The action's name, e.g. `claim`.
        public var action: String
        public var outcome: Outcome
        /// From asking for the write lock to the commit or the refusal, in nanoseconds.
        public var nanoseconds: Int64

        public init(action: String, outcome: Outcome, nanoseconds: Int64) {
            self.action = action
            self.outcome = outcome
            self.nanoseconds = nanoseconds
        }

        /// The transaction's duration.
        public var duration: Duration { .nanoseconds(nanoseconds) }
    }

    /// How many failure messages are kept.
    static let keptErrors = 5

    /// The writer's user name.
    public var writer: String
    /// Every attempted action, in order.
    public var attempts: [Attempt] = []
    /// The first few messages of failed attempts.
    public var errors: [String] = []

    public init(writer: String) {
        self.writer = writer
    }

    /// Records an attempt, and the message of a failure.
    mutating func record(_ action: String, _ outcome: Outcome, after duration: Duration, error: (any Error)? = nil) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        attempts.append(Attempt(action: action, outcome: outcome, nanoseconds: nanoseconds))
        if outcome == .failed, let error, errors.count < Self.keptErrors { errors.append(String(describing: error)) }
    }

    /// How many attempts came to `outcome`.
    public func count(_ outcome: Outcome) -> Int {
        attempts.reduce(0) { $0 + ($1.outcome == outcome ? 1 : 0) }
    }
}
