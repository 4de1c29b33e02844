import Foundation
import HandoffTestSupport
import Testing

/// The real binary in a real terminal (tmux at 120×40): keys in, screen and database out.
@Suite(.serialized, .enabled(if: TmuxSession.available || OSUsers.requiredByCI, "needs tmux"))
struct ConsoleTerminalTests {
    let home = TemporaryDirectory("handoff-console")
    var demo: String { home.file("state/handoff/demo.db") }
    var environment: [String: String] {
        ["XDG_STATE_HOME": home.file("state"), "XDG_CONFIG_HOME": home.file("config"), "HOME": home.path]
    }

    init() throws {
        try expectSuccess(CommandRun.handoff(["demo", "--print"], environment: environment))
    }

    /// A shell command that runs the console, then records how it ended and the terminal's modes. The demo
    /// runs without its sync worker and sweeper here, so nothing but the test changes the tasks it works
    /// (`DemoSyncTests` covers the demo with them).
    func console(_ arguments: String, extra: [String: String] = [:]) -> String {
        let arguments = arguments.hasPrefix("demo") ? arguments + " --no-sync" : arguments
        let variables = environment.merging(extra) { $1 }.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        return "env \(variables) \(BuiltBinary.path) \(arguments); echo \"EXIT=$?\" > \(home.file("status")); "
            + "stty -a > \(home.file("stty")); echo CONSOLE-ENDED; sleep 600"
    }

    func sqlite(_ sql: String) throws -> String {
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", ["-readonly", demo, sql])).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func handoffPID(in tmux: TmuxSession) throws -> Int32 {
        let children = try CommandRun.run("/usr/bin/pgrep", ["-P", String(try tmux.panePID())]).stdout
        return Int32(children.split(separator: "\n").first.map(String.init) ?? "") ?? -1
    }

    /// After the console ended: its exit status, and whether the terminal is back in cooked mode with echo.
    func expectRestored(exit: Int = 0) throws {
        let status = try String(contentsOfFile: home.file("status"), encoding: .utf8)
        #expect(status.contains("EXIT=\(exit)"), "\(status)")
        let modes = try String(contentsOfFile: home.file("stty"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        #expect(modes.contains("icanon") && modes.contains("echo") && modes.contains("icrnl"), "\(modes)")
        #expect(!modes.contains("-icanon") && !modes.contains("-echo"))
    }

    @Test func claimStartNoteAndCompleteByKeyboard() throws {
        let tmux = try TmuxSession(console("demo --as cora"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        try tmux.type(":queue referral-intake")
        try tmux.keys("Enter")
        try tmux.waitFor("Referral intake ·")
        try tmux.type("/state:queued")
        try tmux.keys("Enter")
        try tmux.waitFor("filter: state:queued")
        let screen = try tmux.screen()
        let row = try #require(screen.split(separator: "\n").first { $0.contains("queued") && $0.contains("T-") })
        let id = try #require(row.split(separator: " ").first { $0.hasPrefix("T-") }).dropFirst(2)
        try tmux.keys("c")
        try tmux.waitFor("T-\(id): done")
        try tmux.keys("Escape")   // clear the filter: the task is no longer queued
        try tmux.type(":task T-\(id)")
        try tmux.keys("Enter")
        try tmux.waitFor("State      assigned")
        try tmux.keys("s")
        try tmux.waitFor("State      in-progress")
        try tmux.keys("e")
        try tmux.type("Called the clinic")
        try tmux.keys("Enter")
        try tmux.waitFor("Called the clinic")
        try tmux.keys("d")
        try tmux.waitFor("cannot be undone")
        try tmux.keys("y")
        try tmux.waitFor("State      completed")
        try tmux.keys("q", "q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()

        #expect(try sqlite("SELECT state || ' ' || owner FROM task WHERE id = \(id)") == "completed cora")
        let actions = try sqlite("SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE task = \(id) AND action != 'view' ORDER BY seq DESC LIMIT 4)")
        #expect(actions == "complete,note,start,claim")
        #expect(try sqlite("SELECT count(DISTINCT actor) FROM (SELECT actor FROM audit WHERE task = \(id) AND action != 'view' ORDER BY seq DESC LIMIT 4)") == "1")
        #expect(try sqlite("SELECT text FROM note WHERE task = \(id) ORDER BY id DESC LIMIT 1") == "Called the clinic")
    }

    @Test func anotherSessionsChangeAppearsWithoutAKeyPress() throws {
        let id = try sqlite("SELECT id FROM task WHERE queue = 'referral-intake' AND state = 'queued' ORDER BY id LIMIT 1")
        let tmux = try TmuxSession(console("demo --as sam --theme high-contrast"), environment: environment)
        try tmux.waitFor("sam (supervisor)")
        try tmux.type(":task T-\(id)")
        try tmux.keys("Enter")
        try tmux.waitFor("— unassigned")
        try expectSuccess(CommandRun.handoff(["task", "assign", "T-\(id)", "--to", "marco", "--reason", "cover",
                                              "--db", demo, "--as", "sam"], environment: environment))
        let screen = try tmux.waitFor("Owner      Marco Rossi (marco)")
        #expect(screen.contains("was changed by sam"))
        try tmux.keys("C-c")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func filterForNunezFindsNunezWithTheAccent() throws {
        let tmux = try TmuxSession(console("demo --as sam"), environment: environment)
        try tmux.waitFor("sam (supervisor)")
        try tmux.keys("3")
        try tmux.waitFor("Exceptions in your queues")
        try tmux.keys("2")
        try tmux.waitFor("Queues]")
        try tmux.keys("/")
        try tmux.type("nunez")
        try tmux.keys("Enter")
        try tmux.waitFor("filter: nunez")
        let screen = try tmux.screen()
        let rows = screen.split(separator: "\n").filter { $0.contains(" T-") }
        #expect(!rows.isEmpty, "\(screen)")
        #expect(rows.allSatisfy { $0.contains("Nuñez") }, "\(rows)")
        try tmux.keys("Escape", "q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func resizingRelaysOutAndTooSmallAsksToEnlarge() throws {
        let tmux = try TmuxSession(console("demo --as cora"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        try tmux.resize(width: 60, height: 15)
        try tmux.waitFor { screen in screen.contains("Handoff") && screen.split(separator: "\n").allSatisfy { $0.count <= 60 } }
        try tmux.resize(width: 50, height: 10)
        try tmux.waitFor("Enlarge the window")
        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor("Your work (")
        try tmux.keys("q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func hangupEndsTheConsoleAndRestoresTheTerminal() throws {
        let tmux = try TmuxSession(console("demo --as cora"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        let pid = try handoffPID(in: tmux)
        #expect(pid > 0)
        #expect(kill(pid, SIGHUP) == 0)
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func aCrashStillRestoresTheTerminal() throws {
        let tmux = try TmuxSession(console("demo --as cora"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        let pid = try handoffPID(in: tmux)
        #expect(kill(pid, SIGSEGV) == 0)
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored(exit: 128 + Int(SIGSEGV))
    }

    @Test func wideNamesRenderEvenWithoutALocale() throws {
        let tmux = try TmuxSession(console("demo --as cora", extra: ["LANG": "", "LC_ALL": ""]), environment: environment)
        let screen = try tmux.waitFor("cora (coordinator)")
        #expect(screen.contains("佐藤 花子"))
        #expect(screen.contains("Siobhán Ní Bhriain"))
        try tmux.keys("q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func anIdleConsoleClearsTheScreenAndExits() throws {
        let tmux = try TmuxSession(console("demo --as cora --idle-timeout 2s"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        let screen = try tmux.waitFor("CONSOLE-ENDED")
        #expect(screen.contains("closed the console after 2s without a key press"))
        #expect(!screen.contains("Siobhán"), "no patient data left on screen")
        try expectRestored()
    }

    @Test func aDroppedConnectionEndsTheProcess() throws {
        let tmux = try TmuxSession(console("demo --as cora"), environment: environment)
        try tmux.waitFor("cora (coordinator)")
        let pid = try handoffPID(in: tmux)
        #expect(pid > 0)
        try tmux.killSession()
        let deadline = Date().addingTimeInterval(5)
        while kill(pid, 0) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(kill(pid, 0) != 0, "handoff \(pid) still running after its terminal went away")
    }

    @Test(arguments: [
        ["TERM": "xterm"], ["TERM": "xterm-256color"], ["NO_COLOR": "1"], ["TERM": "screen"],
    ])
    func worksInEachTerminalKind(extra: [String: String]) throws {
        let tmux = try TmuxSession(console("demo --as nina", extra: extra), environment: environment)
        try tmux.waitFor("nina (nurse)")
        try tmux.keys("Down", "Enter")
        try tmux.waitFor("History")
        try tmux.keys("Escape", "?")
        try tmux.waitFor("Keys")
        try tmux.keys("x", "q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func aBrokenThemeFileIsNamedAndTheDefaultIsUsed() throws {
        let themes = home.file("config/handoff/themes")
        try FileManager.default.createDirectory(atPath: themes, withIntermediateDirectories: true)
        try "roles:\n  header: { fg: purplish }\n".write(toFile: themes + "/broken.yaml", atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(console("demo --as cora --theme broken"), environment: environment)
        let screen = try tmux.waitFor("broken.yaml")
        #expect(screen.contains("purplish"))
        #expect(screen.contains("cora (coordinator)"))
        try tmux.keys("q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func anUnknownTermIsRefusedWithOneLine() throws {
        let result = try CommandRun.run("/usr/bin/script", ["-qec", "\(BuiltBinary.path) demo", "/dev/null"],
                                        environment: environment.merging(["TERM": "no-such-terminal", "PATH": "/usr/bin:/bin"]) { $1 })
        #expect(result.stdout.contains("cannot drive TERM=no-such-terminal"), "\(result)")
    }

    @Test func aSupervisorDrillsFromTheDashboardIntoTheTasksBehindANumber() throws {
        let tmux = try TmuxSession(console("demo --as sam"), environment: environment)
        try tmux.waitFor("sam (supervisor)")
        try tmux.keys("5")
        try tmux.waitFor("open now")
        let dashboard = try tmux.screen()
        #expect(dashboard.contains("referral-intake") && !dashboard.contains("lab-results"), "only the queues sam supervises")
        #expect(dashboard.contains("Flow, last 24 hours") && dashboard.contains("time to claim"))
        #expect(dashboard.contains("█"), "Unicode charts in a UTF-8 locale")
        // The first row is escalations; Right moves from OPEN to QUEUED.
        try tmux.keys("Right")
        try tmux.waitFor("escalations: open, queued:")
        try tmux.keys("Enter")
        try tmux.waitFor("Dashboard › escalations: open, queued")
        let listed = try tmux.screen().split(separator: "\n").filter { $0.contains(" T-") }.count
        let queued = Int(try sqlite("SELECT count(*) FROM task WHERE queue = 'escalations' AND state = 'queued'")) ?? -1
        #expect(listed == min(queued, 34), "the list shows the queued tasks of escalations (\(queued))")
        try tmux.keys("Escape")
        try tmux.waitFor("open now")
        try tmux.keys("q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func theAuditScreenShowsEachPersonWhatTheyMayRead() throws {
        /// The record lines of an audit screen: below the column headings, each with a time.
        func records(_ screen: String) -> [String] {
            let lines = screen.split(separator: "\n").map(String.init)
            guard let header = lines.firstIndex(where: { $0.contains("TIME") && $0.contains("ACTION") }) else { return [] }
            return lines[(header + 1)...].prefix { $0.contains(":") && !$0.hasPrefix(" record ") }
        }

        let admin = try TmuxSession(console("demo --as ada"), environment: environment)
        try admin.waitFor("ada (admin)")
        try admin.keys("6")
        let all = try admin.waitFor("Audit — every record")
        let newest = try sqlite("SELECT seq || ' ' || actor || ' ' || action FROM audit ORDER BY seq DESC LIMIT 1").split(separator: " ")
        let rows = records(all)
        #expect(rows.count >= 10, "\(all)")
        #expect(rows.first?.contains(" \(newest[1]) ") == true && rows.first?.contains(" \(newest[2]) ") == true,
                "the newest record first: \(newest) in \(rows.first ?? all)")
        #expect(all.contains(" record \(newest[0]) · "), "the selected record in full")
        try admin.keys("q")
        try admin.waitFor("CONSOLE-ENDED")
        try expectRestored()

        let supervised = "SELECT id FROM task WHERE queue IN (SELECT queue FROM queueMember WHERE user = 'sam' AND isSupervisor = 1)"
        #expect((Int(try sqlite("SELECT count(*) FROM audit WHERE task NOT IN (\(supervised))")) ?? 0) > 0,
                "the demo has records sam may not read")
        let supervisor = try TmuxSession(console("demo --as sam"), environment: environment)
        try supervisor.waitFor("sam (supervisor)")
        try supervisor.keys("6")
        let his = try supervisor.waitFor("Audit — the records of the tasks in the queues you supervise")
        let hisRows = records(his)
        #expect(hisRows.count >= 10, "\(his)")
        let ids = Set(hisRows.compactMap { $0.split(separator: " ").first { $0.hasPrefix("T-") }?.dropFirst(2) })
        #expect(!ids.isEmpty)
        let outside = try sqlite("SELECT count(*) FROM task WHERE id IN (\(ids.joined(separator: ","))) AND id NOT IN (\(supervised))")
        #expect(outside == "0", "only his queues' tasks: \(ids.sorted())")
        let hisNewest = try sqlite("SELECT seq FROM audit WHERE task IN (\(supervised)) ORDER BY seq DESC LIMIT 1")
        #expect(his.contains(" record \(hisNewest) · "), "his newest record first")
        try supervisor.keys("q")
        try supervisor.waitFor("CONSOLE-ENDED")
        try expectRestored()

        let coordinator = try TmuxSession(console("demo --as cora"), environment: environment)
        try coordinator.waitFor("cora (coordinator)")
        try coordinator.keys("6")
        let refused = try coordinator.waitFor("the audit log is for supervisors (their queues) and admins")
        #expect(refused.contains("[1 My work]") && !refused.contains("Audit —"), "\(refused)")
        try coordinator.keys("q")
        try coordinator.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }

    @Test func chartsFallBackToASCIIWithoutAUTF8Locale() throws {
        let tmux = try TmuxSession(console("demo --as sam", extra: ["LANG": "C", "LC_ALL": "C"]), environment: environment)
        try tmux.waitFor("sam (supervisor)")
        try tmux.keys("5")
        try tmux.waitFor("open now")
        let screen = try tmux.screen()
        let arrivals = try #require(screen.split(separator: "\n").first { $0.contains("arrivals") })
        #expect(!arrivals.contains { "▁▂▃▄▅▆▇█".contains($0) }, "\(arrivals)")
        #expect(arrivals.contains { "_.-~=+*#".contains($0) }, "\(arrivals)")
        try tmux.keys("q")
        try tmux.waitFor("CONSOLE-ENDED")
        try expectRestored()
    }
}
