import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff dashboard`: the supervisor's figures per queue, for scripts and cron.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per queue you supervise (admins: all): depth by state, unassigned, oldest, at risk, breached, today's breach rate.",
        discussion: "\"Today\" starts at midnight in this machine's time zone. Flow, people and the console screen (:dash) come later.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try Session.open(options)
        let now = session.now
        let dayStart = Calendar.current.startOfDay(for: now)
        let figures = try session.store.read { db in try db.queueFigures(db.supervisedQueues(of: session.actor), at: now, dayStart: dayStart) }
        guard !figures.isEmpty else {
            throw CommandFailure("you supervise no queue: the dashboard is for supervisors and admins (handoff queues members QUEUE --add-supervisor USER)")
        }
        switch format {
        case .json: print(try JSONOutput.render(figures.map(DashboardRow.init)))
        case .table:
            let table = TextTable(headers: ["QUEUE", "OPEN", "QUEUED", "PENDING", "EXCEPTION", "UNASSIGNED", "OLDEST", "AT RISK",
                                            "BREACHED", "TODAY", "LATE TODAY"], rows: figures.map { queue in
                [queue.queue, String(queue.open), String(queue.depth[.queued] ?? 0), String(queue.depth[.pending] ?? 0),
                 String(queue.depth[.exception] ?? 0), String(queue.unassigned),
                 queue.oldestAge.map { RelativeTime.format(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: Double($0))) } ?? "—",
                 String(queue.atRisk), String(queue.breachedNow), String(queue.breachedToday),
                 queue.breachRateToday.map { "\(Int(($0 * 100).rounded())) % of \(queue.completedToday)" } ?? "—"]
            })
            print(table.render())
        }
    }
}

/// One queue's figures for JSON output, with state names as keys.
struct DashboardRow: Encodable {
    let queue: String
    let open: Int
    let depth: [String: Int]
    let unassigned: Int
    let oldestAgeSeconds: Int?
    let atRisk: Int
    let breachedNow: Int
    let breachedToday: Int
    let completedToday: Int
    let completedLateToday: Int
    let breachRateToday: Double?

    init(_ figures: QueueFigures) {
        queue = figures.queue
        open = figures.open
        depth = Dictionary(uniqueKeysWithValues: figures.depth.map { ($0.key.rawValue, $0.value) })
        unassigned = figures.unassigned
        oldestAgeSeconds = figures.oldestAge
        atRisk = figures.atRisk
        breachedNow = figures.breachedNow
        breachedToday = figures.breachedToday
        completedToday = figures.completedToday
        completedLateToday = figures.completedLateToday
        breachRateToday = figures.breachRateToday
    }
}
