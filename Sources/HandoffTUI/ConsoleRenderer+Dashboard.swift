import Foundation
import HandoffCore

/// Drawing the supervisor dashboard and the task lists behind its numbers.
extension ConsoleRenderer {
    func drawDashboard(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        guard let dashboard = console.dashboard else {
            buffer.put("The dashboard shows the queues you supervise; you supervise none.", row: area.lowerBound, column: 1, role: .muted)
            console.dashboardCells = []
            return
        }
        let layout = DashboardLayout(dashboard: dashboard, rows: area.count, glyphs: console.options.glyphs, now: now)
        console.dashboardCells = layout.cells
        let selected = console.dashboardPosition.map { console.dashboardCells[$0.line][$0.cell].figure }
        console.dashboardSelection = selected
        let count = selected.flatMap(dashboard.count(of:))
        let queues = dashboard.queues.count
        let age = console.dashboardLoadedAt.map { " · read \(RelativeTime.format(from: $0, to: now)) ago" } ?? ""
        let about = selected.map { figure in " — \(figure.title): \(count.map(String.init) ?? "?") (Enter lists them)" } ?? ""
        buffer.put("Dashboard, \(queues) queue\(queues == 1 ? "" : "s")\(age)\(about)", row: 1, column: 1, role: .muted,
                   maxWidth: buffer.width - 2)
        for (offset, line) in layout.lines.enumerated() {
            let row = area.lowerBound + offset
            for piece in line {
                let isSelected = piece.figure != nil && piece.figure == selected
                buffer.put(piece.text, row: row, column: piece.column, role: isSelected ? .selection : piece.role)
                if isSelected { buffer.cursor = (row, piece.column) }
            }
        }
    }

    func drawDrillDown(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        let title = console.drillFigure?.title ?? "tasks"
        let shown = console.rows.isEmpty ? "" : " · \(console.selected + 1) of \(console.total)"
        buffer.put("Dashboard › \(title) — \(console.total) task\(console.total == 1 ? "" : "s")\(shown)   (Esc: back)",
                   row: 1, column: 1, role: .muted, maxWidth: buffer.width - 2)
        drawTable(&buffer, area: area)
    }
}
