import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff dashboard`: the supervisor's dashboard, for scripts and cron.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The supervisor dashboard of the queues you supervise (admins: all): per queue, flow and people.",
        discussion: """
            Per queue: open work by state, unassigned, oldest, at risk, breached now, breached today, completed \
            today and how many late. Flow over the last 24 hours: arrivals and completions per hour, median and \
            90th percentile (nearest rank) of time to claim, time to complete and time pending external data. \
            People: open work per owner, reassignments and break-glass accesses in the last 24 hours. "Today" \
            starts at midnight in this machine's time zone. The console shows the same as :dash, with drill-down.
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(name: .customLong("queue"), help: ArgumentHelp("Only this queue (repeatable).", valueName: "queue"))
    var queues: [String] = []
    @Flag(help: "Draw charts with ASCII characters only.") var ascii = false

    func run() throws {
        let session = try Session.open(options)
        let now = session.now
        let supervised = try session.store.read { try $0.supervisedQueues(of: session.actor) }
        for queue in queues where !supervised.contains(queue) {
            throw CommandFailure("you do not supervise \(queue)" + (supervised.isEmpty ? "" : "; yours: \(supervised.joined(separator: ", "))"))
        }
        let scope = DashboardScope(queues: queues.isEmpty ? supervised : supervised.filter(queues.contains),
                                   now: now, dayStart: Calendar.current.startOfDay(for: now))
        let dashboard = try session.store.read { try $0.dashboard(scope) }
        guard !dashboard.queues.isEmpty else {
            throw CommandFailure("you supervise no queue: the dashboard is for supervisors and admins (handoff queues members QUEUE --add-supervisor USER)")
        }
        switch format {
        case .json: print(try JSONOutput.render(DashboardJSON(dashboard)))
        case .table: print(DashboardText(dashboard: dashboard, glyphs: ascii ? .ascii : OutputGlyphs.current()).render())
        }
    }
}
