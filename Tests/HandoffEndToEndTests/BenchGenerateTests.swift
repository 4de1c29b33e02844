import Foundation
import HandoffTestSupport
import Testing

/// `handoff bench generate`: a synthetic database that holds the sample SLA policies, its tasks measured
/// against them.
@Suite(.serialized)
struct BenchGenerateTests {
    let directory = TemporaryDirectory("handoff-bench-generate")

    func sqlite(_ database: String, _ sql: String) throws -> String {
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", ["-readonly", database, sql])).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theDatabaseHoldsTheSamplePoliciesAndItsTasksTheirSLAState() throws {
        let database = directory.file("bench.db")
        let generated = try expectSuccess(CommandRun.handoff(["bench", "generate", "--tasks", "300", "--db", database]))
        #expect(generated.stdout.contains("300 tasks"))

        let sample = try String(contentsOfFile: SyncFixture.sampleData + "/sla.yaml", encoding: .utf8)
        #expect(try sqlite(database, "SELECT value FROM meta WHERE key = 'sla.policies'") == sample.trimmingCharacters(in: .whitespacesAndNewlines))
        let shown = try expectSuccess(CommandRun.handoff(["sla", "--db", database])).stdout
        #expect(shown.contains("lab-results") && shown.contains("warning 75 %"), "opening the database reads the policies")
        #expect(try sqlite(database, "SELECT count(*) FROM audit WHERE action = 'sla.set'") == "1")

        #expect(try sqlite(database, "SELECT count(*) FROM task WHERE slaStage IS NULL OR slaCycleStart IS NULL") == "0")
        #expect(try sqlite(database, "SELECT count(DISTINCT slaStage) FROM task") == "5", "running, paused, met, breached, cancelled")
        #expect(Int(try sqlite(database, "SELECT count(*) FROM slaPause")) ?? 0 > 0)
        #expect(try sqlite(database, "SELECT count(*) FROM slaFired") == "0", "as if the sweeper never ran")
    }
}
