import Foundation
import HandoffCore

/// The supervisor dashboard screen: figures per queue, flow and people, refreshed live; arrows choose a
/// number and Enter lists the tasks behind it (drill-down).
extension Console {
    /// How often the dashboard is re-read while nothing in the database changes (its figures age with time).
    static let dashboardRefresh: TimeInterval = 15

    /// Supervisors and admins oversee queues and see the dashboard.
    var isOverseer: Bool { data.actor.has(.supervisor) || data.actor.has(.admin) }

    /// Shows the dashboard, to supervisors and admins.
    func openDashboard() {
        guard isOverseer else { return show("the dashboard is for supervisors and admins", isError: true) }
        switchScreen(.dashboard)
    }

    func loadDashboard() throws {
        dashboard = try data.dashboard()
        dashboardLoadedAt = options.now()
        rows = []
        total = 0
        if dashboard == nil { show("you supervise no queue: the dashboard has nothing to show", isError: true) }
    }

    func loadDrillDown() throws {
        guard let figure = drillFigure else { return }
        rows = try data.dashboardTasks(figure).map(Row.task)
        total = rows.count
        windowOffset = 0
    }

    /// Handles a key meant for the dashboard; `false` leaves it to the console.
    func handleDashboardKey(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): moveDashboardSelection(lines: -1)
        case .down, .character("j"): moveDashboardSelection(lines: 1)
        case .left, .character("h"): moveDashboardSelection(cells: -1)
        case .right, .character("l"): moveDashboardSelection(cells: 1)
        case .home, .character("g"): dashboardSelection = dashboardCells.first?.first?.figure
        case .enter: drillDown()
        default: return false
        }
        return true
    }

    /// Where the selection sits in the cells last drawn: (line, cell); the first cell when it is not there.
    var dashboardPosition: (line: Int, cell: Int)? {
        guard !dashboardCells.isEmpty else { return nil }
        for (line, cells) in dashboardCells.enumerated() {
            if let cell = cells.firstIndex(where: { $0.figure == dashboardSelection }) { return (line, cell) }
        }
        return (0, 0)
    }

    private func moveDashboardSelection(lines: Int = 0, cells: Int = 0) {
        guard let (line, cell) = dashboardPosition else { return }
        if cells != 0 {
            let row = dashboardCells[line]
            dashboardSelection = row[min(max(cell + cells, 0), row.count - 1)].figure
            return
        }
        // Up and down keep the column: the nearest number on the next line with numbers.
        let target = min(max(line + lines, 0), dashboardCells.count - 1)
        let column = dashboardCells[line][cell].column
        dashboardSelection = dashboardCells[target].min { abs($0.column - column) < abs($1.column - column) }?.figure
    }

    /// Lists the tasks behind the selected number.
    private func drillDown() {
        guard let position = dashboardPosition else { return }
        let figure = dashboardCells[position.line][position.cell].figure
        dashboardSelection = figure
        drillFigure = figure
        switchScreen(.drillDown)
        if rows.isEmpty { show("no task behind this number", isError: false) }
    }
}
