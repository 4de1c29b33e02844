/// What a worker did in one batch or one run: the counters `sync status` shows.
public struct SyncTally: Hashable, Sendable {
    public var received = 0
    public var created = 0
    public var changed = 0
    public var ignored = 0
    public var duplicates = 0
    public var parked = 0
    public var deadLettered = 0
    public var retries = 0
    /// SLA thresholds and overdue times the sweeper acted on.
    public var escalations = 0

    public init() {}

    /// Counts one delivery's outcome.
    public mutating func count(_ outcome: EventIngestor.Outcome) {
        received += 1
        switch outcome {
        case let .applied(created, changed):
            self.created += created
            self.changed += changed
        case .ignored: ignored += 1
        case .duplicate: duplicates += 1
        case .parked: parked += 1
        case .deadLettered: deadLettered += 1
        }
    }

    /// Adds another tally.
    public static func + (lhs: SyncTally, rhs: SyncTally) -> SyncTally {
        var sum = lhs
        sum.received += rhs.received
        sum.created += rhs.created
        sum.changed += rhs.changed
        sum.ignored += rhs.ignored
        sum.duplicates += rhs.duplicates
        sum.parked += rhs.parked
        sum.deadLettered += rhs.deadLettered
        sum.retries += rhs.retries
        sum.escalations += rhs.escalations
        return sum
    }

    /// The counters by their names in the sync state.
    var counters: [(String, Int)] {
        [("count.received", received), ("count.created", created), ("count.changed", changed), ("count.ignored", ignored),
         ("count.duplicates", duplicates), ("count.parked", parked), ("count.deadLettered", deadLettered), ("count.retries", retries),
         ("count.escalations", escalations)]
    }
}
