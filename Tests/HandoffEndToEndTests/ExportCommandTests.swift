import Foundation
import HandoffTestSupport
import Testing

/// `handoff export fhir` on the demo database: the whole seeded sample exports as a Bundle the
/// independent validator accepts; selections narrow it; people who are not admins or services are refused.
@Suite(.serialized)
struct ExportCommandTests {
    let home = DemoStateDirectory("handoff-export-cli")
    var demo: String { home.demo }

    func handoff(_ arguments: [String]) throws -> CommandResult { try home.handoff(arguments) }

    @Test(.enabled(if: FHIRValidator.available || OSUsers.requiredByCI, "needs python3 with fhir.resources (.ci/run installs it)"))
    func theSampleExportsAsAValidBundleAndSelectionsNarrowIt() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let out = home.state.file("export.json")
        let written = try expectSuccess(handoff(["export", "fhir", "--with-provenance", "--out", out, "--db", demo, "--as", "ada"]))
        let tasks = Int(try home.sqlite("SELECT count(*) FROM task")) ?? 0
        #expect(written.stdout.contains("Wrote \(tasks) tasks to \(out)."), "\(written)")
        let validated = try FHIRValidator.validate(out)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        #expect(validated.stdout.contains("valid: \(tasks) Task"), "\(validated.stdout)")

        let one = try expectSuccess(handoff(["export", "fhir", "--task", "T-3", "--db", demo, "--as", "ada"]))
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect((entries.first?["resource"] as? [String: Any])?["id"] as? String == "T-3")

        func exported(_ selection: [String]) throws -> Int {
            let run = try expectSuccess(handoff(["export", "fhir"] + selection + ["--db", demo, "--as", "ada"]))
            return run.stdout.components(separatedBy: "\"resourceType\" : \"Task\"").count - 1
        }
        #expect(try exported(["--queue", "prior-auth"]) == Int(try home.sqlite("SELECT count(*) FROM task WHERE queue = 'prior-auth'")))
        #expect(try exported(["--since", "2000-01-01T00:00:00Z"]) == tasks)
        #expect(try exported(["--since", "2999-01-01T00:00:00Z"]) == 0)
    }

    @Test func othersAreRefusedAndBadArgumentsExplained() throws {
        try expectSuccess(handoff(["demo", "--print"]))
        let refused = try handoff(["export", "fhir", "--db", demo, "--as", "cora"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exporting tasks is for admins and service accounts"), "\(refused)")
        let badTask = try handoff(["export", "fhir", "--task", "task twelve", "--db", demo, "--as", "ada"])
        #expect(badTask.status == 2)
        #expect(badTask.stderr.contains("not a task id like T-12"))
        let unknownTask = try handoff(["export", "fhir", "--task", "T-99999", "--db", demo, "--as", "ada"])
        #expect(unknownTask.status == 1)
        #expect(unknownTask.stderr.contains("T-99999"), "\(unknownTask)")
        let unknownQueue = try handoff(["export", "fhir", "--queue", "nowhere", "--db", demo, "--as", "ada"])
        #expect(unknownQueue.status == 1)
        #expect(unknownQueue.stderr.contains("nowhere"))
    }
}
