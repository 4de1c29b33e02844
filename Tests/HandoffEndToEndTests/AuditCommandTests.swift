import Foundation
import HandoffTestSupport
import Testing

/// `handoff audit log`: records filtered by task, user and time; supervisors see their queues', admins all,
/// others none; and the database itself refuses to change or delete a record.
@Suite(.serialized)
struct AuditCommandTests {
    let home = DemoStateDirectory("handoff-audit-cli")
    var demo: String { home.demo }

    func records(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try expectSuccess(home.handoff(["audit", "log", "--db", demo, "--format", "json", "--limit", "100000"] + arguments))
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func filtersByTaskUserAndTimeAndShowsOnlyWhatTheRoleAllows() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let all = try records([])
        #expect(all.count == Int(try home.sqlite("SELECT count(*) FROM audit")), "an admin reads every record")
        #expect(all.compactMap { $0["seq"] as? Int } == all.compactMap { $0["seq"] as? Int }.sorted(), "oldest first")

        let id = try home.sqlite("SELECT task FROM audit WHERE task IS NOT NULL GROUP BY task ORDER BY count(*) DESC LIMIT 1")
        let task = try records(["--task", "T-\(id)"])
        #expect(task.count == Int(try home.sqlite("SELECT count(*) FROM audit WHERE task = \(id)")))
        #expect(task.allSatisfy { $0["task"] as? String == "T-\(id)" })

        let marco = try records(["--user", "marco"])
        #expect(marco.count == Int(try home.sqlite("SELECT count(*) FROM audit WHERE actor = 'marco'")) && !marco.isEmpty)
        #expect(marco.allSatisfy { $0["actor"] as? String == "marco" })

        let recent = try records(["--since", "3h"])
        let cutoff = Date().addingTimeInterval(-3 * 3_600 - 60)
        let formatter = ISO8601DateFormatter()
        #expect(!recent.isEmpty && recent.count < all.count)
        #expect(recent.allSatisfy { ($0["time"] as? String).flatMap(formatter.date(from:)).map { $0 >= cutoff } == true })

        let sam = try records(["--as", "sam"])
        let samTasks = Set(try home.sqlite("""
            SELECT 'T-' || id FROM task WHERE queue IN (SELECT queue FROM queueMember WHERE user = 'sam' AND isSupervisor = 1)
            """).split(separator: "\n").map(String.init))
        #expect(!sam.isEmpty && sam.count < all.count)
        #expect(sam.allSatisfy { ($0["task"] as? String).map(samTasks.contains) == true }, "a supervisor reads his queues' records only")

        let cora = try home.handoff(["audit", "log", "--db", demo, "--as", "cora"])
        #expect(cora.status == 1)
        #expect(cora.stderr.contains("the audit log is for supervisors (their queues) and admins; you have coordinator"))
        let bad = try home.handoff(["audit", "log", "--db", demo, "--task", "twelve"])
        #expect(bad.status != 0 && bad.stderr.contains("--task: 'twelve' is not a task id like T-12"))
    }

    @Test func theDatabaseRefusesToChangeOrDeleteARecord() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let before = try home.sqlite("SELECT count(*) || ' ' || max(seq) || ' ' || (SELECT actor FROM audit WHERE seq = 1) FROM audit")
        for sql in ["UPDATE audit SET actor = 'mallory' WHERE seq = 1", "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"] {
            let refused = try CommandRun.run("/usr/bin/sqlite3", [demo, sql])
            #expect(refused.status != 0, "\(sql)")
            #expect(refused.stderr.contains("audit records are append-only"), "\(refused.stderr)")
        }
        #expect(try home.sqlite("SELECT count(*) || ' ' || max(seq) || ' ' || (SELECT actor FROM audit WHERE seq = 1) FROM audit") == before)
    }
}
