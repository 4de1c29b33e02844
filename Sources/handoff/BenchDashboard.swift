import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff bench dashboard`: how long the supervisor dashboard takes on a large database.
struct BenchDashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Measure the supervisor dashboard on a database: every queue (an admin's view), and the drill-down behind its largest number.",
        discussion: """
            Run it in release mode on a generated database: \
            swift run -c release handoff bench dashboard --db /tmp/1m.db. The figures are read as of the moment \
            the workload was generated (so its last 24 hours are the busy ones), or --at.
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Measurements of each figure.") var runs = 30
    @Option(help: ArgumentHelp("The moment to read the dashboard at (default: when the workload was generated, else now).",
                               valueName: "time"))
    var at: String?

    /// The goal for the whole dashboard over 1,000,000 tasks.
    static let goal = Duration.milliseconds(100)

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        if let at, Timestamp.parse(at) == nil { throw ValidationError("--at: '\(at)' is not a time like 2026-12-02T10:00:00Z") }
    }

    func run() throws {
        let session = try Session.open(options)
        let store = session.store
        let (tasks, open, workload) = try store.read { db in
            (try db.taskCount(), try db.count(TaskFilter(), visibleTo: session.actor), try db.meta("workload"))
        }
        let now = at.flatMap(Timestamp.parse) ?? workload.flatMap(Self.generatedAt) ?? session.now
        let queues = try store.read { try $0.supervisedQueues(of: session.actor) }
        let scope = DashboardScope(queues: queues, now: now, dayStart: Calendar.current.startOfDay(for: now))

        let clock = ContinuousClock()
        var dashboard: SupervisorDashboard?
        let cold = clock.measure { dashboard = try? store.read { try $0.dashboard(scope) } }
        guard let dashboard else { throw CommandFailure("the dashboard could not be read: is this a Handoff database you administer?") }
        let whole = try (0..<runs).map { _ in try clock.measure { _ = try store.read { try $0.dashboard(scope) } } }
        let records = try store.read { try $0.flowRecords(scope) }.count
        let flow = try (0..<runs).map { _ in try clock.measure { _ = try store.read { try $0.flowRecords(scope) } } }
        let largest = dashboard.queues.max { $0.open < $1.open }
        var drill: [Duration] = []
        if let largest {
            drill = try (0..<runs).map { _ in
                try clock.measure { _ = try store.read { try $0.dashboardTasks(.open(queue: largest.queue, state: nil), in: scope) } }
            }
        }

        print("Dashboard benchmark — \(tasks) tasks (\(open) open) in \(queues.count) queues, "
            + "\(records) audit records in the window, \(ProcessInfo.processInfo.activeProcessorCount) cores, at \(Timestamp.format(now))")
        print("measurement                              runs    median       p99")
        let median = Self.percentile(50, whole), p99 = Self.percentile(99, whole)
        print(Self.line("dashboard, first read", 1, cold, cold))
        print(Self.line("dashboard, every queue", runs, median, p99))
        print(Self.line("  of which the window's audit records", runs, Self.percentile(50, flow), Self.percentile(99, flow)))
        if let largest {
            print(Self.line("drill-down: \(largest.queue) open (\(min(largest.open, 1_000)) rows)", runs,
                            Self.percentile(50, drill), Self.percentile(99, drill)))
        }
        let verdict = p99 <= Self.goal ? "met" : "MISSED"
        print("goal: the dashboard over 1,000,000 tasks in under \(BenchConsole.format(Self.goal)) — p99 \(BenchConsole.format(p99)): \(verdict)"
            + (tasks < 1_000_000 ? " (this database holds fewer tasks)" : ""))
    }

    /// The time the synthetic workload leads up to, from `bench generate`'s note.
    static func generatedAt(_ note: String) -> Date? {
        note.range(of: "up to ").flatMap { Timestamp.parse(String(note[$0.upperBound...]).trimmingCharacters(in: .whitespaces)) }
    }

    /// The nearest-rank percentile.
    static func percentile(_ percent: Int, _ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(max((percent * sorted.count + 99) / 100, 1), sorted.count) - 1]
    }

    static func line(_ name: String, _ runs: Int, _ median: Duration, _ p99: Duration) -> String {
        "\(name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(runs).leftPadded(4))  "
            + "\(BenchConsole.format(median).leftPadded(9))  \(BenchConsole.format(p99).leftPadded(9))"
    }
}
