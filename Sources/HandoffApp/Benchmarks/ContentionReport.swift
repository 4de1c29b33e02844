import HandoffCore

/// The contention benchmark's figures, each beside its goal: what the writers' actions came to, their
/// rate against the single-writer commit rate on the same disk, their latency, and whether the database
/// accounts for every successful action.
public struct ContentionReport {
    /// All writers' successful actions per second, as a share of the single-writer commit rate.
    public static let ratioGoal = 0.6
    /// The 99th-percentile latency of a successful action.
    public static let latencyGoal = Duration.milliseconds(20)
    /// The number of writers the goals are stated for.
    public static let goalWriters = 16

    /// The run's database.
    public let workload: ContentionWorkload
    /// The actions each writer attempted.
    public let actionsPerWriter: Int
    /// The tallies of the writers that finished.
    public let tallies: [ContentionTally]
    /// The writers that did not finish or left no readable tally.
    public let unfinished: [String]
    /// From the start signal until the last writer process exited.
    public let elapsed: Duration
    /// The single-writer baseline: how many one-row transactions, and how long they took.
    public let baseline: (commits: Int, elapsed: Duration)
    /// The database's ledger before and after the run.
    public let before: ContentionLedger, after: ContentionLedger
    /// The audit chain checked after the run.
    public let chain: AuditVerification

    public init(workload: ContentionWorkload, actionsPerWriter: Int, tallies: [ContentionTally], unfinished: [String],
                elapsed: Duration, baseline: (commits: Int, elapsed: Duration),
                before: ContentionLedger, after: ContentionLedger, chain: AuditVerification) {
        self.workload = workload
        self.actionsPerWriter = actionsPerWriter
        self.tallies = tallies
        self.unfinished = unfinished
        self.elapsed = elapsed
        self.baseline = baseline
        self.before = before
        self.after = after
        self.chain = chain
    }

    // MARK: - Outcomes and rates

    /// The actions the finished writers attempted.
    public var attempted: Int { tallies.reduce(0) { $0 + $1.attempts.count } }

    /// How many of them came to `outcome`.
    public func count(_ outcome: ContentionTally.Outcome) -> Int { tallies.reduce(0) { $0 + $1.count(outcome) } }

    /// The successful actions by name, in the workflow table's order.
    public var succeededByAction: [(action: String, count: Int)] {
        let counts = tallies.flatMap(\.attempts).filter { $0.outcome == .succeeded }.reduce(into: [String: Int]()) { $0[$1.action, default: 0] += 1 }
        return ActionKind.allCases.map(\.rawValue).compactMap { name in counts[name].map { (name, $0) } }
    }

    /// Successful actions per second of wall time.
    public var actionsPerSecond: Double { Double(count(.succeeded)) / (elapsed / .seconds(1)) }

    /// The single writer's commits per second.
    public var commitsPerSecond: Double { Double(baseline.commits) / (baseline.elapsed / .seconds(1)) }

    /// ``actionsPerSecond`` as a share of ``commitsPerSecond``.
    public var ratio: Double { actionsPerSecond / commitsPerSecond }

    /// Whether the rate reaches ``ratioGoal``.
    public var ratioMet: Bool { ratio >= Self.ratioGoal }

    /// The median and 99th percentile (nearest rank) of the transactions of successful actions.
    public var latency: ConsoleBenchmark.Figure { figure("successful actions", .succeeded) }

    /// The same for conflicts: how long a writer waited to learn that the task had changed.
    public var conflictLatency: ConsoleBenchmark.Figure { figure("conflicts", .conflict) }

    /// Whether the 99th percentile of successful actions is within ``latencyGoal``.
    public var latencyMet: Bool { latency.p99 <= Self.latencyGoal }

    private func figure(_ name: String, _ outcome: ContentionTally.Outcome) -> ConsoleBenchmark.Figure {
        ConsoleBenchmark.figure(name, tallies.flatMap(\.attempts).filter { $0.outcome == outcome }.map(\.duration))
    }

    // MARK: - Nothing lost

    /// Audit records the run added.
    public var auditAdded: Int { after.auditRecords - before.auditRecords }

    /// How far the run moved the shared tasks' versions.
    public var versionsAdvanced: Int { after.versions - before.versions }

    /// Writers whose audit records added differ from their own successful actions.
    public var writersOutOfStep: [String] {
        tallies.filter { tally in
            (after.auditByWriter[tally.writer] ?? 0) - (before.auditByWriter[tally.writer] ?? 0) != tally.count(.succeeded)
        }.map(\.writer)
    }

    /// Whether every writer finished and the database holds exactly one audit record and one version per
    /// successful action, in all and for each writer.
    public var nothingLost: Bool {
        let succeeded = count(.succeeded)
        return unfinished.isEmpty && auditAdded == succeeded && versionsAdvanced == succeeded && writersOutOfStep.isEmpty
    }

    /// What makes the run unsound, one sentence each; empty when it is sound. Missed performance goals
    /// are not among them: they are figures, not faults.
    public var problems: [String] {
        var problems: [String] = []
        if !unfinished.isEmpty {
            problems.append("writer\(unfinished.count == 1 ? "" : "s") \(unfinished.joined(separator: ", ")) did not finish (see the messages above)")
        }
        let succeeded = count(.succeeded)
        if auditAdded != succeeded {
            problems.append("the run added \(auditAdded) audit records for \(succeeded) successful actions")
        }
        if versionsAdvanced != succeeded {
            problems.append("the shared tasks' versions advanced by \(versionsAdvanced) for \(succeeded) successful actions")
        }
        if !writersOutOfStep.isEmpty {
            problems.append("the audit records of \(writersOutOfStep.joined(separator: ", ")) differ from their successful actions")
        }
        if let broken = chain.firstBreak {
            problems.append("the audit chain is broken: \(broken)")
        }
        let failed = count(.failed)
        if failed > 0 {
            let example = tallies.flatMap(\.errors).first.map { ", e.g. \($0)" } ?? ""
            problems.append("\(failed) action\(failed == 1 ? "" : "s") failed with an error other than a conflict or a refusal\(example)")
        }
        return problems
    }
}
