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
    @Option(help: ArgumentHelp("Also write the figures as JSON to this file (for 'bench run').", valueName: "path")) var figures: String?

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
        var first: SupervisorDashboard?
        let cold = try clock.measure { first = try store.read { try $0.dashboard(scope) } }
        guard let dashboard = first else { return }
        let whole = try (0..<runs).map { _ in try clock.measure { _ = try store.read { try $0.dashboard(scope) } } }
        let records = try store.read { try $0.flowRecords(scope) }.count
        let flow = try (0..<runs).map { _ in try clock.measure { _ = try store.read { try $0.flowRecords(scope) } } }
        let everyQueue = ConsoleBenchmark.figure("dashboard, every queue", whole)
        let firstRead = ConsoleBenchmark.figure("dashboard, first read", [cold])
        let auditWindow = ConsoleBenchmark.figure("  of which the window's audit records", flow)
        var timings = [firstRead, everyQueue, auditWindow]
        if let largest = dashboard.queues.max(by: { $0.open < $1.open }) {
            let drill = try (0..<runs).map { _ in
                try clock.measure { _ = try store.read { try $0.dashboardTasks(.open(queue: largest.queue, state: nil), in: scope) } }
            }
            timings.append(ConsoleBenchmark.figure("drill-down: \(largest.queue) open (\(min(largest.open, 1_000)) rows)", drill))
        }

        print("Dashboard benchmark — \(tasks) tasks (\(open) open) in \(queues.count) queues, "
            + "\(records) audit records in the window, \(ProcessInfo.processInfo.activeProcessorCount) cores, at \(Timestamp.format(now))")
        print("measurement                              runs    median       p99")
        for figure in timings {
            print("\(figure.name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(figure.samples).leftPadded(4))  "
                + "\(BenchConsole.format(figure.median).leftPadded(9))  \(BenchConsole.format(figure.p99).leftPadded(9))")
        }
        let p99 = everyQueue.p99
        let verdict = p99 <= Self.goal ? "met" : "MISSED"
        print("goal: the dashboard over 1,000,000 tasks in under \(BenchConsole.format(Self.goal)) — p99 \(BenchConsole.format(p99)): \(verdict)"
            + (tasks < 1_000_000 ? " (this database holds fewer tasks)" : ""))
        if let figures {
            let both = { (figure: ConsoleBenchmark.Figure) in
                "\(BenchmarkFigure.milliseconds(figure.median)) / \(BenchmarkFigure.milliseconds(figure.p99))"
            }
            var lines = [
                BenchmarkFigure(.dashboard, "every queue, \(tasks.formatted()) tasks (\(open.formatted()) open), p50 / p99", both(everyQueue),
                                goal: "p99 ≤ 100 ms", met: everyQueue.p99 <= Self.goal),
                BenchmarkFigure(.dashboard, "  of which the window's \(records.formatted()) audit records", both(auditWindow)),
                BenchmarkFigure(.dashboard, "first read after opening", BenchmarkFigure.milliseconds(firstRead.median)),
            ]
            if timings.count > 3 { lines.append(BenchmarkFigure(.dashboard, timings[3].name + ", p50 / p99", both(timings[3]))) }
            try BenchmarkFigure.write(lines, to: figures)
        }
    }

    /// The time the synthetic workload leads up to, from `bench generate`'s note.
    static func generatedAt(_ note: String) -> Date? {
        note.range(of: "up to ").flatMap { Timestamp.parse(String(note[$0.upperBound...]).trimmingCharacters(in: .whitespaces)) }
    }
}
