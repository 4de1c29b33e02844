import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// The audit screen: the records one may read, newest first, flagged, escaped, filtered, opened into their task.
struct AuditScreenTests {
    /// A clock the test moves.
    final class Clock: @unchecked Sendable {
        var now = World.now
    }

    static let utc = TimeZone(identifier: "UTC")!

    /// Record `seq`, made `7 - seq` minutes before `World.now`.
    static func record(_ seq: Int64, _ actor: String, _ role: Role, _ action: String, task: Int64? = nil, from: TaskState? = nil,
                       to: TaskState? = nil, origin: String = "local", detail: [String: String] = [:]) -> StoredAudit {
        StoredAudit(seq: seq, entry: AuditEntry(time: World.now.addingTimeInterval(-Double(7 - seq) * 60), actor: actor, actorRole: role,
                                                origin: origin, action: action, taskID: task.map(TaskID.init), fromState: from, toState: to,
                                                detail: detail))
    }

    /// Oldest first, as stored: lab's tasks (sam supervises lab), a pharmacy task (pia's), a directory change.
    static let log = [
        record(1, "handoff-sync", .service, "create", task: 1, to: .queued),
        record(2, "handoff-sync", .service, "create", task: 9, to: .queued),
        record(3, "cora", .coordinator, "claim", task: 1, from: .queued, to: .assigned, origin: "ssh 192.0.2.10", detail: ["owner": "cora"]),
        record(4, "ada", .admin, "user.add", detail: ["user": "zoe"]),
        record(5, "nina", .coordinator, "view", task: 9, from: .queued, to: .queued, detail: ["breakGlass": "patient in resus"]),
        record(6, "cora", .coordinator, "pend", task: 2, from: .queued, to: .pending, origin: "ssh \u{1B}[2J",
               detail: ["reason": "Eve\u{1B}[2J\u{1B}[31m"]),
    ]

    func console(_ actor: Actor, log: [StoredAudit] = Self.log, zone: TimeZone = Self.utc, clock: Clock = Clock()) -> (Console, FakeConsoleData) {
        var pharmacyTask = World.task(9, "Review vancomycin level", patient: "Ana Ferreira")
        pharmacyTask.queue = "pharmacy"
        let lab = QueueInfo(name: "lab", title: "Lab results review", requiresReview: false, members: ["cora", "nina"],
                            supervisors: ["sam"], counts: [.queued: World.names.count])
        let pharmacy = QueueInfo(name: "pharmacy", title: "Pharmacy", requiresReview: false, members: ["nina"],
                                 supervisors: ["pia"], counts: [.queued: 1])
        let data = FakeConsoleData(actor: actor, queues: [lab, pharmacy], tasks: World.names + [pharmacyTask], now: World.now)
        data.audit = log
        let console = Console(data: data, options: ConsoleOptions(timeZone: zone, now: { clock.now }))
        console.reload()
        return (console, data)
    }

    static let ada = Actor(name: "ada", roles: [.admin])
    static let sam = Actor(name: "sam", roles: [.supervisor])

    func type(_ text: String, into console: Console) {
        for character in text { console.handle(.character(character)) }
    }

    /// The frame's record lines (below the column headings, above the selected record's summary).
    func recordLines(_ console: Console, width: Int = 160, height: Int = 30) -> [String] {
        let frame = console.render(width: width, height: height, now: World.now)
        return (3..<(height - 3)).map { frame.text(row: $0) }.filter { !$0.isEmpty }
    }

    @Test func anAdminSeesEveryRecordNewestFirstInLocalTime() {
        let (console, data) = console(Self.ada)
        console.handle(.character("6"))
        #expect(console.screen == .audit)
        #expect(data.auditQueries.last?.limit == Console.auditLimit)
        let frame = console.render(width: 160, height: 30, now: World.now).text
        #expect(frame.contains("[6 Audit]"))
        #expect(frame.contains("Audit — every record, newest first · 1 of 6"))
        let lines = recordLines(console)
        #expect(lines.count == 6, "\(lines)")
        for (line, action) in zip(lines, ["pend", "view", "user.add", "claim", "create", "create"]) {
            #expect(line.contains(" \(action) "), "\(line)")
        }
        #expect(lines.first?.hasPrefix("  11-18 11:05:40 cora") == true, "\(lines.first ?? "")")
        #expect(lines[3].contains("coordinator") && lines[3].contains("ssh 192.0.2.10") && lines[3].contains("T-1")
                && lines[3].contains("queued → assigned") && lines[3].contains("owner=cora"), "\(lines[3])")
        #expect(lines[2].contains("user.add") && lines[2].contains("user=zoe"))

        let (berlin, _) = self.console(Self.ada, zone: TimeZone(identifier: "Europe/Berlin")!)
        berlin.handle(.character("6"))
        #expect(recordLines(berlin).first?.hasPrefix("  11-18 12:05:40 cora") == true, "times are the person's local time")
    }

    @Test func anAdminsTitleBarFitsSixTabsAndKeepsTheLiveState() {
        let (console, data) = console(Self.ada)
        let title = console.render(width: 120, height: 30, now: World.now).text(row: 0)
        #expect(title.contains("5 Dashboard   6 Audit") && title.hasSuffix("ada (admin) · ● live"), "the database name gives way: \(title)")
        data.sync = "⇄ sync · lag 2s · 3 dead"
        console.reload()
        let synced = console.render(width: 120, height: 30, now: World.now).text(row: 0)
        #expect(synced.contains("5 Dash   6 Audit") && synced.hasSuffix("⇄ sync · lag 2s · 3 dead   ada (admin) · ● live"),
                "then the tabs shorten: \(synced)")
    }

    @Test func aSupervisorSeesOnlyTheRecordsOfTasksInTheQueuesHeSupervises() {
        let (console, _) = console(Self.sam)
        type(":audit", into: console)
        console.handle(.enter)
        #expect(console.screen == .audit)
        #expect(console.auditShown.map(\.seq) == [6, 3, 1])
        let frame = console.render(width: 160, height: 30, now: World.now).text
        #expect(frame.contains("Audit — the records of the tasks in the queues you supervise, newest first · 1 of 3"))
        #expect(!frame.contains("T-9") && !frame.contains("user.add"), "not pharmacy's task, not the directory")
        #expect(recordLines(console).count == 3)
    }

    @Test func aCoordinatorIsRefusedWithTheRulesReasonAndStaysPut() throws {
        let (console, data) = console(Actor(name: "cora", roles: [.coordinator]))
        let refusal = #expect(throws: TransitionError.self) { try AuditAccess.of(data.actor) }
        console.handle(.character("6"))
        #expect(console.screen == .myWork)
        #expect(console.message?.text == refusal?.description)
        #expect(console.message?.isError == true)
        #expect(console.message?.text.contains("the audit log is for supervisors (their queues) and admins") == true)
        type(":audit", into: console)
        console.handle(.enter)
        #expect(console.screen == .myWork)
        console.handle(.tab)
        console.handle(.tab)
        console.handle(.tab)
        #expect(console.screen == .myWork, "Tab cycles past no audit screen")
        #expect(data.auditQueries.isEmpty, "the log was never read")
        #expect(!console.render(width: 160, height: 30, now: World.now).text.contains("6 Audit"))
    }

    @Test func aBreakGlassRecordIsFlagged() {
        let (console, _) = console(Self.ada)
        console.handle(.character("6"))
        let frame = console.render(width: 160, height: 30, now: World.now)
        let row = 4   // the second record: nina's break-glass view
        #expect(frame.text(row: row).hasPrefix("! "), "\(frame.text(row: row))")
        #expect(frame.text(row: row).contains("breakGlass=patient in resus"))
        #expect(frame.cells[row][0].role == .error)
        let action = frame.text(row: row).range(of: "view")!
        let column = frame.text(row: row).distance(from: frame.text(row: row).startIndex, to: action.lowerBound)
        #expect(frame.cells[row][column].role == .error, "the action stands out too")
        for other in [3, 5, 6, 7, 8] {
            #expect(frame.text(row: other).hasPrefix("  "), "\(frame.text(row: other))")
            #expect(frame.cells[other][0].role != .error)
        }
    }

    @Test func escapeSequencesFromTheDatabaseAreShownEscaped() {
        let (console, _) = console(Self.ada)
        console.handle(.character("6"))
        let frame = console.render(width: 160, height: 30, now: World.now)
        #expect(!frame.text.contains("\u{1B}"))
        let line = frame.text(row: 3)
        #expect(line.contains("ssh \\x1b[2J") && line.contains("reason=Eve\\x1b[2J\\x1b[31m"), "\(line)")
        #expect(frame.text(row: 30 - 3).contains("record 6 · 2026-11-18 11:05:40 · cora (coordinator) from ssh \\x1b[2J · pend T-2"
            + " queued → pending · reason=Eve\\x1b[2J\\x1b[31m"), "the selected record in full: \(frame.text(row: 27))")
        let header = frame.text(row: 2)
        for (heading, text) in [("ACTION", "pend"), ("DETAIL", "reason=")] {
            let column = header.distance(from: header.startIndex, to: header.range(of: heading)!.lowerBound)
            #expect(line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound) == column,
                    "the escaped origin is measured as drawn: \(heading) stays in its column")
        }
    }

    @Test func theFilterNarrowsByTaskActorOrAction() {
        let (console, _) = console(Self.ada)
        console.handle(.character("6"))
        console.handle(.character("/"))
        type("CORA", into: console)
        #expect(console.auditShown.map(\.seq) == [6, 3])
        #expect(console.render(width: 160, height: 30, now: World.now).text.contains("2 of 6 match"))
        console.handle(.escape)
        #expect(console.auditShown.count == 6, "Esc in the filter line clears it")
        console.handle(.character("/"))
        type("t-9", into: console)
        #expect(console.auditShown.map(\.seq) == [5, 2])
        console.handle(.enter)
        #expect(console.render(width: 160, height: 30, now: World.now).text.contains("filter: t-9   (Esc clears)"))
        console.handle(.character("/"))
        for _ in 0..<3 { console.handle(.backspace) }
        type("user", into: console)
        #expect(console.auditShown.map(\.seq) == [4])
        type("zzz", into: console)
        #expect(console.auditShown.isEmpty)
        #expect(console.render(width: 160, height: 30, now: World.now).text.contains("No record's task, actor or action matches the filter"))
        console.handle(.enter)
        console.handle(.escape)
        #expect(console.auditShown.count == 6, "Esc on the screen clears the filter")
        #expect(console.screen == .audit)
    }

    @Test func tOpensTheRecordsTaskAndEscComesBack() {
        let (console, data) = console(Self.ada)
        console.handle(.character("6"))
        console.handle(.down)
        console.handle(.down)
        console.handle(.character("t"))
        #expect(console.screen == .audit, "the directory change is about no task")
        #expect(console.message?.text == "record 4 (user.add) is not about a task")
        console.handle(.character("j"))
        #expect(console.selectedAudit?.seq == 3)
        console.handle(.character("t"))
        #expect(console.screen == .detail)
        #expect(data.opened == [TaskID(1)], "opened by the ordinary path, which records the access")
        #expect(console.detail?.task.id == TaskID(1))
        console.handle(.escape)
        #expect(console.screen == .audit)
        #expect(console.selectedAudit?.seq == 3, "back on the record")
    }

    @Test func keysScrollThroughALongLog() {
        let log = (1...60).map { Self.record(Int64($0), "cora", .coordinator, "note", task: 1) }
        let (console, _) = console(Self.ada, log: log)
        console.handle(.character("6"))
        _ = console.render(width: 120, height: 20, now: World.now)
        #expect(console.selectedAudit?.seq == 60)
        console.handle(.character("G"))
        var frame = console.render(width: 120, height: 20, now: World.now).text
        #expect(console.selectedAudit?.seq == 1)
        #expect(frame.contains("record 1 · ") && frame.contains("60 of 60"))
        console.handle(.pageUp)
        #expect(console.selectedAudit?.seq == Int64(1 + console.pageSize))
        console.handle(.character("k"))
        #expect(console.selectedAudit?.seq == Int64(2 + console.pageSize))
        console.handle(.pageDown)
        console.handle(.pageDown)
        #expect(console.selectedAudit?.seq == 1, "paging stops at the end")
        console.handle(.character("g"))
        frame = console.render(width: 120, height: 20, now: World.now).text
        #expect(console.selectedAudit?.seq == 60)
        #expect(frame.contains("record 60 · ") && frame.contains("1 of 60"))
        console.handle(.up)
        #expect(console.selectedAudit?.seq == 60, "nothing before the newest")
    }

    @Test func newRecordsArriveOnTheTickAndWhenTheDatabaseChanges() {
        let clock = Clock()
        let (console, data) = console(Self.ada, clock: clock)
        console.handle(.character("6"))
        console.handle(.down)
        #expect(console.selectedAudit?.seq == 5)
        let reads = data.auditQueries.count
        data.audit.append(Self.record(7, "sam", .supervisor, "escalate", task: 1))
        clock.now = World.now.addingTimeInterval(5)
        #expect(!console.tick(), "fresh records are not re-read")
        clock.now = World.now.addingTimeInterval(Console.auditRefresh + 1)
        #expect(console.tick())
        #expect(data.auditQueries.count == reads + 1)
        #expect(console.auditShown.first?.seq == 7)
        #expect(console.selectedAudit?.seq == 5, "the selection stays on its record")
        data.audit.append(Self.record(8, "sam", .supervisor, "cancel", task: 1))
        console.databaseChanged()
        #expect(console.auditShown.map(\.seq).prefix(2) == [8, 7])
        console.handle(.character("1"))
        clock.now = clock.now.addingTimeInterval(3_600)
        let before = data.auditQueries.count
        #expect(!console.tick(), "other screens do not re-read the log")
        #expect(data.auditQueries.count == before)
    }
}
