import Foundation
import HandoffTestSupport
import Testing

/// `handoff task move`: a supervisor moves a task to another queue; a coordinator may not.
@Suite(.serialized)
struct TaskMoveCommandTests {
    let home = DemoStateDirectory("handoff-move-cli")
    var demo: String { home.demo }

    func handoff(_ arguments: [String]) throws -> CommandResult { try home.handoff(arguments) }
    func sqlite(_ sql: String) throws -> String { try home.sqlite(sql) }

    @Test func aSupervisorMovesATaskAndACoordinatorIsRefused() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        // Open referral work: sam supervises referral-intake; cora is one of its coordinators.
        let id = try sqlite("SELECT id FROM task WHERE queue = 'referral-intake' AND state IN ('queued', 'assigned', 'in-progress') ORDER BY id LIMIT 1")
        let before = try sqlite("SELECT state || '|' || coalesce(owner, '') || '|' || version FROM task WHERE id = \(id)").split(separator: "|", omittingEmptySubsequences: false)
        let task = "T-\(id)"

        let refused = try handoff(["task", "move", task, "--to", "escalations", "--reason", "Needs a senior eye", "--db", demo, "--as", "cora"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("handoff: "), "\(refused)")
        #expect(refused.stderr.contains("move is not permitted for your roles (coordinator)"), "\(refused)")
        #expect(refused.stderr.contains("supervisor"), "\(refused)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try sqlite("SELECT queue FROM task WHERE id = \(id)") == "referral-intake")

        let stale = try handoff(["task", "move", task, "--to", "escalations", "--reason", "Needs a senior eye",
                                 "--expect-version", "\(Int(before[2])! - 1)", "--db", demo, "--as", "sam"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("changed"), "\(stale)")

        let moved = try expectSuccess(handoff(["task", "move", task, "--to", "escalations", "--reason", "Needs a senior eye",
                                               "--expect-version", String(before[2]), "--db", demo, "--as", "sam"]))
        #expect(moved.stdout.contains("\(task): \(before[0]), queue referral-intake → escalations"), "\(moved)")
        #expect(try sqlite("SELECT queue || '|' || state || '|' || coalesce(owner, '') FROM task WHERE id = \(id)")
            == "escalations|\(before[0])|\(before[1])", "state and owner stay")
        #expect(try sqlite("SELECT actor || '|' || action || '|' || json_extract(detail, '$.to') || '|' || json_extract(detail, '$.reason') FROM audit WHERE task = \(id) ORDER BY seq DESC LIMIT 1")
            == "sam|move|escalations|Needs a senior eye")

        let unknown = try handoff(["task", "move", task, "--to", "nowhere", "--reason", "x", "--db", demo, "--as", "sam"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown)")
    }
}
