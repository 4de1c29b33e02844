import Foundation
import HandoffCore

/// The supervisor dashboard laid out as lines of text pieces, some of them numbers one can select and
/// open (drill-down). Pure: the same dashboard, size and glyphs give the same layout.
struct DashboardLayout {
    /// A piece of text at a column of a line; `figure` is set when it is a number behind which tasks lie.
    struct Piece: Equatable {
        var text: String
        var column: Int
        var role: ThemeRole?
        var figure: DashboardFigure?
    }

    /// One entry per row of the area, top to bottom.
    private(set) var lines: [[Piece]] = []

    /// The selectable numbers, line by line (lines without any left out), each with its column.
    var cells: [[(figure: DashboardFigure, column: Int)]] {
        lines.map { $0.compactMap { piece in piece.figure.map { ($0, piece.column) } } }.filter { !$0.isEmpty }
    }

    static let stateColumns: [(TaskState, String)] = [
        (.queued, "QUEUED"), (.assigned, "ASSIGN"), (.inProgress, "IN-PRG"), (.pending, "PEND"), (.review, "REVIEW"), (.exception, "EXCEPT"),
    ]

    init(dashboard: SupervisorDashboard, rows: Int, glyphs: Chart.Glyphs, now: Date) {
        queueTable(dashboard, glyphs: glyphs)
        blank()
        flow(dashboard.flow, glyphs: glyphs)
        blank()
        let breakGlass = dashboard.people.breakGlass
        let breakGlassRows = 1 + min(breakGlass.count, 3)
        people(dashboard.people, rows: max(rows - lines.count - breakGlassRows - 1, 1), glyphs: glyphs)
        blank()
        self.breakGlass(breakGlass, now: now)
        if lines.count > rows { lines.removeLast(lines.count - rows) }
    }

    // MARK: - Sections

    private mutating func queueTable(_ dashboard: SupervisorDashboard, glyphs: Chart.Glyphs) {
        let nameWidth = min(max(dashboard.queues.map { DisplayText.width($0.queue) }.max() ?? 5, 5), 23)
        var header = [Piece(text: "QUEUE", column: 1, role: .header)]
        var groups: [Piece] = []
        var column = 1 + nameWidth + 1
        var widths: [Int] = []
        // Column groups: open work now by state, the SLA now, and today's.
        let labels: [[String]] = [["OPEN"] + Self.stateColumns.map(\.1) + ["UNOWNED", "OLDEST"], ["AT RISK", "BREACHED"],
                                  ["MISSED", "DONE", "LATE"]]
        for (group, names) in zip(["open now", "SLA now", "today"], labels) {
            let start = column
            for label in names {
                let width = max(DisplayText.width(label), 4)
                header.append(Piece(text: label, column: column + width - DisplayText.width(label), role: .header))
                widths.append(width)
                column += width + 1
            }
            let span = column - start - 1
            let title = " \(group) "
            let rule = max(span - DisplayText.width(title), 0)
            let dash: Character = glyphs == .unicode ? "─" : "-"
            groups.append(Piece(text: String(repeating: dash, count: rule / 2) + title + String(repeating: dash, count: rule - rule / 2),
                                column: start, role: .muted))
        }
        lines.append(groups)
        lines.append(header)
        for queue in dashboard.queues {
            let name = queue.queue
            var values: [(String, DashboardFigure, ThemeRole?)] = [(String(queue.open), .open(queue: name, state: nil), nil)]
            values += Self.stateColumns.map { state, _ in
                (String(queue.depth[state] ?? 0), .open(queue: name, state: state), nil)
            }
            values += [
                (String(queue.unassigned), .unassigned(queue: name), nil),
                (queue.oldestAge.map { DurationText.format(Double($0)) } ?? "—", .oldest(queue: name), nil),
                (String(queue.atRisk), .atRisk(queue: name), queue.atRisk > 0 ? .slaWarning : nil),
                (String(queue.breachedNow), .breachedNow(queue: name), queue.breachedNow > 0 ? .slaBreached : nil),
                (String(queue.breachedToday), .breachedToday(queue: name), queue.breachedToday > 0 ? .slaBreached : nil),
                (String(queue.completedToday), .completedToday(queue: name), nil),
                (String(queue.completedLateToday), .lateToday(queue: name), queue.completedLateToday > 0 ? .slaBreached : nil),
            ]
            var line = [Piece(text: DisplayText.fit(name, cells: nameWidth), column: 1, role: nil)]
            var column = 1 + nameWidth + 1
            for ((text, figure, role), width) in zip(values, widths) {
                line.append(Piece(text: text, column: column + max(width - DisplayText.width(text), 0), role: role, figure: figure))
                column += width + 1
            }
            lines.append(line)
        }
    }

    private mutating func flow(_ flow: FlowFigures, glyphs: Chart.Glyphs) {
        let label = 20
        lines.append([Piece(text: "Flow, last 24 hours", column: 1, role: .header)])
        for (name, values, total, figure) in [("arrivals", flow.arrivals, flow.arrivalsTotal, DashboardFigure.arrivals),
                                              ("completions", flow.completions, flow.completionsTotal, DashboardFigure.completions)] {
            var line = [Piece(text: name, column: 2, role: nil)]
            for (hour, mark) in Chart.sparkline(values, glyphs: glyphs).enumerated() {
                line.append(Piece(text: String(mark), column: label + hour, role: nil, figure: figure(hour)))
            }
            line.append(Piece(text: String(total), column: label + DashboardScope.hours + 2, role: nil, figure: figure(nil)))
            lines.append(line)
        }
        let axis = "-24h" + String(repeating: " ", count: DashboardScope.hours - 7) + "now"
        lines.append([Piece(text: axis, column: label, role: .muted)])
        for (name, summary, figure) in [("time to claim", flow.timeToClaim, DashboardFigure.claims),
                                        ("time to complete", flow.timeToComplete, .completions(hour: nil)),
                                        ("time pending", flow.timePending, .pendingEnded)] {
            var line = [Piece(text: name, column: 2, role: nil)]
            let text = if let median = summary.median, let p90 = summary.p90 {
                "median \(DurationText.format(median)), p90 \(DurationText.format(p90)),"
            } else {
                "none,"
            }
            line.append(Piece(text: text, column: label, role: nil))
            line.append(Piece(text: "\(summary.count) task\(summary.count == 1 ? "" : "s")", column: label + DisplayText.width(text) + 1, role: nil, figure: figure))
            lines.append(line)
        }
    }

    private mutating func people(_ people: PeopleFigures, rows: Int, glyphs: Chart.Glyphs) {
        let arrows = glyphs == .unicode ? "↔" : "<>"
        lines.append([Piece(text: "People: open work now; \(arrows) reassigned to or from them in the last 24 hours (\(people.reassignments) in all)",
                            column: 1, role: .header)])
        let most = people.people.map(\.openWork).max() ?? 0
        let nameWidth = min(max(people.people.map { DisplayText.width($0.name) }.max() ?? 4, 4), 20)
        let shown = people.people.count > rows - 1 ? max(rows - 2, 0) : people.people.count
        for person in people.people.prefix(shown) {
            let bar = Chart.bar(person.openWork, of: most, width: 30, glyphs: glyphs)
            lines.append([
                Piece(text: DisplayText.fit(person.name, cells: nameWidth), column: 2, role: nil),
                Piece(text: String(person.openWork), column: 3 + nameWidth, role: nil, figure: .openWork(user: person.name)),
                Piece(text: bar, column: 9 + nameWidth, role: .header),
                Piece(text: "\(arrows) \(person.reassignments)", column: 41 + nameWidth, role: person.reassignments > 0 ? nil : .muted,
                      figure: .reassignments(user: person.name)),
            ])
        }
        if shown < people.people.count {
            lines.append([Piece(text: "… and \(people.people.count - shown) more (handoff dashboard lists everyone)", column: 2, role: .muted)])
        }
        if people.people.isEmpty { lines.append([Piece(text: "Nobody owns open work.", column: 2, role: .muted)]) }
    }

    private mutating func breakGlass(_ records: [FlowRecord], now: Date) {
        lines.append([Piece(text: "Break-glass accesses, last 24 hours:", column: 1, role: .header),
                      Piece(text: String(records.count), column: 38, role: records.isEmpty ? nil : .error, figure: .breakGlass)])
        for record in records.prefix(3) {
            guard case let .breakGlass(actor, reason) = record.kind else { continue }
            let ago = RelativeTime.format(from: record.time, to: now)
            lines.append([Piece(text: "\(ago) ago  \(actor) opened \(record.task) (\(record.queue)): \(reason)", column: 2, role: .error)])
        }
    }

    private mutating func blank() { lines.append([]) }
}
