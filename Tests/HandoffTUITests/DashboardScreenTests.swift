import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// The supervisor dashboard screen: opened by supervisors, drawn with Unicode or ASCII charts, numbers
/// chosen by keyboard and opened into the tasks behind them, refreshed live.
struct DashboardScreenTests {
    /// A clock the test moves.
    final class Clock: @unchecked Sendable {
        var now = World.now
    }

    static func figures() -> SupervisorDashboard {
        let scope = DashboardScope(queues: ["lab"], now: World.now, dayStart: World.now.addingTimeInterval(-8 * 3_600))
        let lab = QueueFigures(queue: "lab", depth: [.queued: 4, .assigned: 1], unassigned: 4, oldestAge: 7_205, atRisk: 1,
                               breachedNow: 2, breachedToday: 1, completedToday: 3, completedLateToday: 1)
        let records = (0..<6).map { hour in
            FlowRecord(kind: .arrival, task: TaskID(Int64(hour + 1)), queue: "lab", time: World.now.addingTimeInterval(-Double(hour) * 3_600 - 60),
                       taskState: .queued)
        } + [FlowRecord(kind: .claim(since: World.now.addingTimeInterval(-900)), task: TaskID(5), queue: "lab",
                        time: World.now.addingTimeInterval(-300), taskState: .assigned)]
        return SupervisorDashboard(scope: scope, queues: [lab], flow: FlowFigures(records: records, scope: scope),
                                   people: PeopleFigures(openWork: ["cora": 2, "nina": 1], records: records, scope: scope))
    }

    func supervisorConsole(glyphs: Chart.Glyphs = .unicode, clock: Clock = Clock()) -> (Console, FakeConsoleData) {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        data.dashboardFigures = Self.figures()
        let console = Console(data: data, options: ConsoleOptions(glyphs: glyphs, now: { clock.now }))
        console.reload()
        return (console, data)
    }

    @Test func supervisorsOpenItWithFiveOrColonDash() {
        let (console, _) = supervisorConsole()
        console.handle(.character("5"))
        #expect(console.screen == .dashboard)
        console.handle(.character("1"))
        for key in ":dash" { console.handle(.character(key)) }
        console.handle(.enter)
        #expect(console.screen == .dashboard)
        #expect(console.render(width: 120, height: 40, now: World.now).text.contains("[5 Dashboard]"))
    }

    @Test func coordinatorsAreToldItIsForSupervisors() {
        let data = World.data(World.names)
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        console.handle(.character("5"))
        #expect(console.screen == .myWork)
        #expect(console.message?.text == "the dashboard is for supervisors and admins")
        #expect(data.dashboardLoads == 0)
        #expect(!console.render(width: 120, height: 40, now: World.now).text.contains("Dashboard"))
    }

    @Test func drawsQueuesFlowAndPeopleWithUnicodeCharts() {
        let (console, _) = supervisorConsole()
        console.handle(.character("5"))
        let text = console.render(width: 120, height: 40, now: World.now).text
        let lines = text.split(separator: "\n").map(String.init)
        let lab = lines.first { $0.hasPrefix(" lab ") }
        #expect(lab?.split(separator: " ").map(String.init) == ["lab", "5", "4", "1", "0", "0", "0", "0", "4", "2h", "1", "2", "1", "3", "1"])
        let arrivals = lines.first { $0.contains("arrivals") } ?? ""
        #expect(arrivals.contains("██████"), "six busy hours at the end of the window: \(arrivals)")
        #expect(arrivals.hasSuffix(" 6"))
        #expect(lines.contains { $0.contains("time to claim") && $0.contains("median 10m, p90 10m, 1 task") })
        let cora = lines.first { $0.contains("cora") } ?? ""
        #expect(cora.contains(String(repeating: "█", count: 30)) && cora.contains("↔ 0"), "\(cora)")
        let nina = lines.first { $0.contains("nina") } ?? ""
        #expect(nina.filter { $0 == "█" }.count == 15, "half of cora's bar: \(nina)")
        #expect(text.contains("Break-glass accesses, last 24 hours: 0"))
    }

    @Test func asciiGlyphsWhereTheTerminalLacksUnicode() {
        let (console, _) = supervisorConsole(glyphs: .ascii)
        console.handle(.character("5"))
        let lines = console.render(width: 120, height: 40, now: World.now).text.split(separator: "\n").map(String.init)
        // Everything the dashboard itself draws is ASCII (the title and hint bars are shared with every screen).
        for line in lines.dropFirst(2).dropLast(2) {
            let ascii = line.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(line)")
        }
        #expect(lines.contains { $0.contains("arrivals") && $0.contains("######") })
        #expect(lines.contains { $0.contains("cora") && $0.contains(String(repeating: "#", count: 30)) })
    }

    @Test func arrowsChooseANumberAndEnterListsTheTasksBehindIt() {
        let (console, data) = supervisorConsole()
        console.handle(.character("5"))
        _ = console.render(width: 120, height: 40, now: World.now)
        #expect(console.dashboardSelection == .open(queue: "lab", state: nil), "the first number is selected")
        console.handle(.right)
        _ = console.render(width: 120, height: 40, now: World.now)
        #expect(console.dashboardSelection == .open(queue: "lab", state: .queued))
        #expect(console.render(width: 120, height: 40, now: World.now).text.contains("lab: open, queued: 4 (Enter lists them)"))
        console.handle(.enter)
        #expect(console.screen == .drillDown)
        #expect(data.drilled == [.open(queue: "lab", state: .queued)])
        let queued = World.names.filter { $0.state == .queued }.map(\.id)
        #expect(Set(console.rows.compactMap(\.task?.id)) == Set(queued))
        let text = console.render(width: 120, height: 40, now: World.now).text
        #expect(text.contains("Dashboard › lab: open, queued — \(queued.count) tasks"))
        console.handle(.enter)
        #expect(console.screen == .detail, "Enter opens a listed task")
        console.handle(.escape)
        #expect(console.screen == .drillDown)
        console.handle(.escape)
        #expect(console.screen == .dashboard)
        _ = console.render(width: 120, height: 40, now: World.now)
        #expect(console.dashboardSelection == .open(queue: "lab", state: .queued), "back where the supervisor was")
    }

    @Test func upAndDownKeepTheColumn() {
        let (console, _) = supervisorConsole()
        console.handle(.character("5"))
        _ = console.render(width: 120, height: 40, now: World.now)
        console.handle(.down)
        _ = console.render(width: 120, height: 40, now: World.now)
        guard case let .arrivals(hour?) = console.dashboardSelection else {
            Issue.record("down from the queue row lands on an hour of the arrivals: \(String(describing: console.dashboardSelection))")
            return
        }
        #expect((0..<24).contains(hour))
        console.handle(.down)
        _ = console.render(width: 120, height: 40, now: World.now)
        #expect(console.dashboardSelection == .completions(hour: hour), "the same hour one line down")
        console.handle(.up)
        console.handle(.up)
        _ = console.render(width: 120, height: 40, now: World.now)
        #expect(console.dashboardSelection.map { if case .open = $0 { true } else { false } } == true)
    }

    @Test func figuresRefreshWithTimeAndWhenTheDatabaseChanges() {
        let clock = Clock()
        let (console, data) = supervisorConsole(clock: clock)
        console.handle(.character("5"))
        let loads = data.dashboardLoads
        clock.now = World.now.addingTimeInterval(10)
        #expect(!console.tick(), "fresh figures are not re-read")
        clock.now = World.now.addingTimeInterval(Console.dashboardRefresh + 1)
        #expect(console.tick())
        #expect(data.dashboardLoads == loads + 1)
        console.databaseChanged()
        #expect(data.dashboardLoads == loads + 2)
        console.handle(.character("1"))
        clock.now = clock.now.addingTimeInterval(3_600)
        #expect(!console.tick(), "other screens do not re-read the dashboard")
    }

    @Test func anAdminsTitleBarKeepsTheSyncStateBesideFiveTabs() {
        let data = World.data(World.names, actor: Actor(name: "ada", roles: [.admin]))
        data.sync = "⇄ sync · lag 2s · 3 dead"
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        let wide = console.render(width: 160, height: 40, now: World.now).text(row: 0)
        #expect(wide.contains("4 Dead letters") && wide.contains("5 Dashboard") && wide.contains("⇄ sync · lag 2s · 3 dead"))
        let title = console.render(width: 120, height: 40, now: World.now).text(row: 0)
        #expect(title.contains("⇄ sync · lag 2s · 3 dead"), "\(title)")
        #expect(title.contains("4 Dead ") && title.contains("5 Dash "), "the tabs shorten their names first: \(title)")
        #expect(title.contains("ada (admin)"))
    }
}
