import Foundation
import HandoffCore

/// The dashboard as plain text tables.
public struct DashboardText {
    let dashboard: SupervisorDashboard
    let glyphs: Chart.Glyphs

    public init(dashboard: SupervisorDashboard, glyphs: Chart.Glyphs) {
        self.dashboard = dashboard
        self.glyphs = glyphs
    }

    /// Per queue, flow and people, as the command line prints them.
    public func render() -> String {
        [queuesTable(), flow(), people()].joined(separator: "\n\n")
    }

    private func queuesTable() -> String {
        TextTable(headers: ["QUEUE", "OPEN", "QUEUED", "ASSIGNED", "IN-PROGRESS", "PENDING", "REVIEW", "EXCEPTION", "UNASSIGNED",
                            "OLDEST", "AT RISK", "BREACHED", "BREACHED TODAY", "DONE TODAY", "LATE TODAY"],
                  rows: dashboard.queues.map(Self.row)).render()
    }

    private static func row(_ queue: QueueFigures) -> [String] {
        let states: [TaskState] = [.queued, .assigned, .inProgress, .pending, .review, .exception]
        let oldest = queue.oldestAge.map { DurationText.format(Double($0)) } ?? "—"
        let rate = queue.breachRateToday.map { " (\(Int(($0 * 100).rounded())) %)" } ?? ""
        let counts = [queue.atRisk, queue.breachedNow, queue.breachedToday, queue.completedToday].map(String.init)
        return [queue.queue, String(queue.open)] + states.map { String(queue.depth[$0] ?? 0) }
            + [String(queue.unassigned), oldest] + counts + [String(queue.completedLateToday) + rate]
    }

    private func flow() -> String {
        let flow = dashboard.flow
        let durations = [("time to claim", flow.timeToClaim), ("time to complete", flow.timeToComplete),
                         ("time pending", flow.timePending)]
        return (["Flow, last 24 hours (oldest hour first)",
                 "  arrivals     \(Chart.sparkline(flow.arrivals, glyphs: glyphs))  \(flow.arrivalsTotal)",
                 "  completions  \(Chart.sparkline(flow.completions, glyphs: glyphs))  \(flow.completionsTotal)"]
            + durations.map { name, summary in
                "  \(name.padding(toLength: 17, withPad: " ", startingAt: 0))" + Self.describe(summary)
            }).joined(separator: "\n")
    }

    /// `median 12m, p90 1h30m, 212 tasks`, or `none`.
    static func describe(_ summary: DurationSummary) -> String {
        guard let median = summary.median, let p90 = summary.p90 else { return "none" }
        return "median \(DurationText.format(median)), p90 \(DurationText.format(p90)), \(summary.count) task\(summary.count == 1 ? "" : "s")"
    }

    private func people() -> String {
        let people = dashboard.people
        let most = people.people.map(\.openWork).max() ?? 0
        var text = "People (open work now; reassignments in the last 24 hours: \(people.reassignments))\n"
            + TextTable(headers: ["USER", "OPEN", "", "REASSIGNED"], rows: people.people.map { person in
                [person.name, String(person.openWork), Chart.bar(person.openWork, of: most, width: 30, glyphs: glyphs),
                 String(person.reassignments)]
            }).render()
        text += "\n\nBreak-glass accesses, last 24 hours: \(people.breakGlass.count)"
        if !people.breakGlass.isEmpty {
            text += "\n" + TextTable(headers: ["TIME", "USER", "TASK", "QUEUE", "REASON"], rows: people.breakGlass.map { record in
                guard case let .breakGlass(actor, reason) = record.kind else { return [] }
                return [Timestamp.format(record.time), actor, record.task.description, record.queue, reason]
            }).render()
        }
        return text
    }
}

/// The dashboard for `--format json`.
public struct DashboardJSON: Encodable {
    struct Flow: Encodable {
        let windowStart: Date
        let arrivalsPerHour: [Int]
        let completionsPerHour: [Int]
        let arrivals: Int
        let completions: Int
        let timeToClaim: Durations
        let timeToComplete: Durations
        let timePending: Durations
    }

    struct Durations: Encodable {
        let count: Int
        let medianSeconds: Double?
        let p90Seconds: Double?

        init(_ summary: DurationSummary) {
            count = summary.count
            medianSeconds = summary.median
            p90Seconds = summary.p90
        }
    }

    struct BreakGlass: Encodable {
        let time: Date
        let user: String
        let task: String
        let queue: String
        let reason: String
    }

    let at: Date
    let dayStart: Date
    let queues: [DashboardRow]
    let flow: Flow
    let people: [PeopleFigures.Person]
    let reassignments: Int
    let breakGlass: [BreakGlass]

    public init(_ dashboard: SupervisorDashboard) {
        at = dashboard.scope.now
        dayStart = dashboard.scope.dayStart
        queues = dashboard.queues.map(DashboardRow.init)
        let flow = dashboard.flow
        self.flow = Flow(windowStart: dashboard.scope.windowStart, arrivalsPerHour: flow.arrivals, completionsPerHour: flow.completions,
                         arrivals: flow.arrivalsTotal, completions: flow.completionsTotal, timeToClaim: Durations(flow.timeToClaim),
                         timeToComplete: Durations(flow.timeToComplete), timePending: Durations(flow.timePending))
        people = dashboard.people.people
        reassignments = dashboard.people.reassignments
        breakGlass = dashboard.people.breakGlass.compactMap { record in
            guard case let .breakGlass(actor, reason) = record.kind else { return nil }
            return BreakGlass(time: record.time, user: actor, task: record.task.description, queue: record.queue, reason: reason)
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
