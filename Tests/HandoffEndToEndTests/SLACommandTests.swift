import Foundation
import HandoffTestSupport
import Testing

/// `handoff sla`: the policies live in the database; admins set them from a checked file.
@Suite(.serialized)
struct SLACommandTests {
    let home = DemoStateDirectory("handoff-sla-cli")
    var state: TemporaryDirectory { home.state }
    var demo: String { home.demo }

    func handoff(_ arguments: [String]) throws -> CommandResult { try home.handoff(arguments) }
    func sqlite(_ sql: String) throws -> String { try home.sqlite(sql) }

    @Test func theDemoIsSeededWithTheSamplePoliciesAndItsTasksCarryTheirSLA() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let show = try expectSuccess(handoff(["sla", "--db", demo]))
        #expect(show.stdout.contains("lab-results"))
        #expect(show.stdout.contains("warning 75 %"))
        #expect(Int(try sqlite("SELECT count(*) FROM task WHERE slaStage IS NOT NULL")) == 300)
        #expect(try sqlite("SELECT count(*) FROM task WHERE state = 'pending' AND slaStage = 'running'") == "0", "pending pauses the clock")
        #expect(Int(try sqlite("SELECT count(*) FROM task WHERE state NOT IN ('completed','cancelled','pending') AND dueAt IS NULL")) == 0)

        let dashboard = try expectSuccess(handoff(["dashboard", "--db", demo, "--format", "json"]))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(dashboard.stdout.utf8)) as? [String: Any])
        let rows = try #require(document["queues"] as? [[String: Any]])
        #expect(rows.count == 6, "an admin oversees every queue")
        let flow = try #require(document["flow"] as? [String: Any])
        #expect((flow["arrivalsPerHour"] as? [Int])?.count == 24)
        let arrivals = try sqlite("""
            SELECT count(*) FROM audit WHERE action = 'create' AND time >= strftime('%Y-%m-%d %H:%M:%f', '\(document["at"] as? String ?? "")', '-1 day')
            """)
        #expect(flow["arrivals"] as? Int == Int(arrivals), "arrivals in the last 24 hours, counted with sqlite3")
        #expect((document["people"] as? [[String: Any]])?.isEmpty == false)
        let lab = try #require(rows.first { $0["queue"] as? String == "lab-results" })
        #expect(lab["open"] as? Int == Int(try sqlite("SELECT count(*) FROM task WHERE queue = 'lab-results' AND state NOT IN ('completed','cancelled')")))
        let sam = try expectSuccess(handoff(["dashboard", "--db", demo, "--as", "sam"])).stdout
        #expect(sam.contains("referral-intake") && !sam.contains("lab-results"), "a supervisor sees the queues they supervise")
        #expect(sam.contains("Flow, last 24 hours") && sam.contains("time to claim") && sam.contains("Break-glass accesses"))
        let notTheirs = try handoff(["dashboard", "--db", demo, "--as", "sam", "--queue", "lab-results"])
        #expect(notTheirs.status == 1)
        #expect(notTheirs.stderr.contains("you do not supervise lab-results; yours: escalations, prior-auth, referral-intake"))
        let coordinator = try handoff(["dashboard", "--db", demo, "--as", "cora"])
        #expect(coordinator.status == 1)
        #expect(coordinator.stderr.contains("you supervise no queue"))
    }

    @Test func aBrokenFileIsRefusedWithItsLineAndOnlyAdminsSetPolicies() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let broken = state.file("sla.yaml")
        try "policies:\n  lab-results:\n    goals:\n      - { within: 2 fortnights }\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try handoff(["sla", "set", broken, "--db", demo])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(broken):4:"), "\(refused)")
        let good = state.file("good.yaml")
        try "policies:\n  lab-results:\n    goals:\n      - { within: 1h, calendar: 24x7 }\n    thresholds:\n      - { at: 100%, name: breach, do: [flag] }\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        let nurse = try handoff(["sla", "set", good, "--db", demo, "--as", "nina"])
        #expect(nurse.status == 1)
        #expect(nurse.stderr.contains("admin"), "\(nurse)")
        try expectSuccess(handoff(["sla", "set", good, "--db", demo]))
        let show = try expectSuccess(handoff(["sla", "show", "--db", demo])).stdout
        #expect(show.contains("1 h"))
        #expect(!show.contains("referral-intake"))
        #expect(try sqlite("SELECT action FROM audit ORDER BY seq DESC LIMIT 1") == "sla.set")
    }
}
