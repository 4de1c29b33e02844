import Foundation
import HandoffTestSupport
import Testing

/// `handoff task show --break-glass`: opening a task outside one's queues in an emergency, recorded in the audit.
@Suite(.serialized)
struct BreakGlassCommandTests {
    let home = DemoStateDirectory("handoff-break-glass-cli")
    var demo: String { home.demo }

    func handoff(_ arguments: [String]) throws -> CommandResult { try home.handoff(arguments) }
    func sqlite(_ sql: String) throws -> String { try home.sqlite(sql) }

    /// The query a supervisor's figure counts break-glass openings with.
    static let breakGlassViews = "SELECT actor || '|' || task || '|' || json_extract(detail, '$.breakGlass') FROM audit "
        + "WHERE action = 'view' AND json_extract(detail, '$.breakGlass') IS NOT NULL ORDER BY seq"

    @Test func aCoordinatorOutsideTheQueueOpensATaskOnlyWithAReasonAndTheAuditKeepsIt() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        // cora works lab-results, referral-intake, registration-exceptions and care-followup, not prior-auth.
        let id = try sqlite("SELECT id FROM task WHERE queue = 'prior-auth' ORDER BY id LIMIT 1")
        let task = "T-\(id)"

        let refused = try handoff(["task", "show", task, "--db", demo, "--as", "cora"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--break-glass"), "\(refused)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let empty = try handoff(["task", "show", task, "--break-glass", "  ", "--db", demo, "--as", "cora"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("break-glass: must not be empty"), "\(empty)")
        #expect(try sqlite(Self.breakGlassViews).isEmpty)

        let reason = "Patient in ED, payer on the phone, prior-auth team unreachable"
        let opened = try expectSuccess(handoff(["task", "show", task, "--break-glass", reason, "--format", "json", "--db", demo, "--as", "cora"]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.last?["action"] as? String == "view")
        #expect((history.last?["detail"] as? [String: String])?["breakGlass"] == reason)
        #expect(try sqlite(Self.breakGlassViews) == "cora|\(id)|\(reason)")

        try expectSuccess(handoff(["task", "show", task, "--db", demo, "--as", "sam"]))
        #expect(try sqlite(Self.breakGlassViews) == "cora|\(id)|\(reason)", "an ordinary view by the queue's supervisor breaks no glass")
        #expect(try sqlite("SELECT detail FROM audit WHERE action = 'view' ORDER BY seq DESC LIMIT 1") == "{}")
    }

    @Test func actingOutsideTheQueueNeedsAReasonAndShowsOnTheSupervisorDashboard() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let id = try sqlite("SELECT id FROM task WHERE queue = 'prior-auth' AND state = 'queued' ORDER BY id LIMIT 1")
        let task = "T-\(id)"
        func breakGlass() throws -> [[String: Any]] {
            let shown = try expectSuccess(handoff(["dashboard", "--format", "json", "--db", demo, "--as", "ada"]))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
            return try #require(json["breakGlass"] as? [[String: Any]], "\(json.keys)")
        }
        let before = try breakGlass().count

        let refused = try handoff(["task", "claim", task, "--db", demo, "--as", "cora"])
        #expect(refused.status == 1 && refused.stderr.contains("you are not a member of queue prior-auth"), "\(refused)")
        #expect(refused.stderr.contains("--break-glass REASON"))
        #expect(try sqlite("SELECT owner IS NULL FROM task WHERE id = \(id)") == "1")

        let reason = "Prior-auth team unreachable, surgery at 14:00"
        try expectSuccess(handoff(["task", "claim", task, "--break-glass", reason, "--db", demo, "--as", "cora"]))
        #expect(try sqlite("SELECT owner FROM task WHERE id = \(id)") == "cora")
        #expect(try sqlite("SELECT action || '|' || json_extract(detail, '$.breakGlass') FROM audit WHERE task = \(id) ORDER BY seq DESC LIMIT 1")
            == "claim|\(reason)")
        let listed = try breakGlass()
        #expect(listed.count == before + 1, "the supervisor dashboard lists the action")
        #expect(listed.contains { $0["user"] as? String == "cora" && $0["task"] as? String == task && $0["reason"] as? String == reason })
    }
}
