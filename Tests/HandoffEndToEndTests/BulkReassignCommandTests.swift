import Foundation
import HandoffTestSupport
import Testing

/// `handoff task reassign --from USER --to USER [--queue Q]`: someone is off sick; their open work moves in one
/// transaction, one audit record per task, or not at all.
@Suite(.serialized)
struct BulkReassignCommandTests {
    let home = DemoStateDirectory("handoff-bulk-reassign")
    var demo: String { home.demo }

    func openOwned(by user: String, in queue: String? = nil) throws -> [String] {
        try home.sqlite("""
            SELECT id FROM task WHERE owner = '\(user)' AND state NOT IN ('completed', 'cancelled')
            \(queue.map { "AND queue = '\($0)'" } ?? "") ORDER BY id
            """).split(separator: "\n").map(String.init)
    }

    @Test func oneQueuesWorkMovesWithOneAuditRecordPerTask() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let cora = try openOwned(by: "cora", in: "referral-intake")
        try #require(cora.count >= 2, "the sample gives cora referral work")
        let marcoBefore = try openOwned(by: "marco", in: "referral-intake")
        let result = try expectSuccess(home.handoff(["task", "reassign", "--from", "cora", "--to", "marco", "--queue", "referral-intake",
                                                     "--reason", "cora is off sick", "--db", demo]))
        #expect(result.stdout.hasPrefix("Reassigned \(cora.count) tasks from cora to marco: "))
        #expect(try openOwned(by: "cora", in: "referral-intake").isEmpty)
        #expect(Set(try openOwned(by: "marco", in: "referral-intake")) == Set(marcoBefore + cora))
        let audited = try home.sqlite("""
            SELECT task FROM audit WHERE action = 'reassign' AND json_extract(detail, '$.reason') = 'cora is off sick'
              AND json_extract(detail, '$.previousOwner') = 'cora' AND json_extract(detail, '$.owner') = 'marco' ORDER BY task
            """).split(separator: "\n").map(String.init)
        #expect(audited == cora, "one audit record per task")
    }

    @Test func aRefusalAnywhereChangesNothing() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let before = (try openOwned(by: "cora"), try home.sqlite("SELECT count(*) FROM audit"))
        // marco is not a member of every queue cora works in.
        let refused = try home.handoff(["task", "reassign", "--from", "cora", "--to", "marco", "--reason", "off sick", "--db", demo])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not a member of the queue") && refused.stderr.contains("nothing was changed"), "\(refused.stderr)")
        #expect((try openOwned(by: "cora"), try home.sqlite("SELECT count(*) FROM audit")) == before)

        let coordinator = try home.handoff(["task", "reassign", "--from", "marco", "--to", "cora", "--reason", "x", "--db", demo, "--as", "cora"])
        #expect(coordinator.status == 1 && coordinator.stderr.contains("assign is not permitted for your roles (coordinator)"))
        let none = try home.handoff(["task", "reassign", "--from", "ada", "--to", "cora", "--reason", "x", "--db", demo])
        #expect(none.status == 1 && none.stderr.contains("ada owns no open task"))
        let both = try home.handoff(["task", "reassign", "T-1", "--from", "cora", "--to", "marco", "--reason", "x", "--db", demo])
        #expect(both.status == 2 && both.stderr.contains("give either a task or --from USER, not both"))
    }
}
