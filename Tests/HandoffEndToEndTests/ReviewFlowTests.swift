import Foundation
import HandoffTestSupport
import Testing

/// The built binary with real OS users: a coordinator's work approved by a different nurse.
@Suite(.serialized, .enabled(if: OSUsers.available || OSUsers.requiredByCI, "needs root to create OS users"))
struct ReviewFlowTests {
    @Test func coordinatorWorksANurseApprovesAndTheAuditNamesBoth() throws {
        let shared = try SharedDatabase()
        let db = shared.path
        let coordinator = try shared.addUser("coord", roles: "coordinator")
        let nurse = try shared.addUser("nurse", roles: "nurse")
        try expectSuccess(shared.run(["queues", "add", "lab", "--title", "Lab results review", "--review", "--db", db], as: shared.admin))
        try expectSuccess(shared.run(["queues", "members", "lab", "--add", coordinator, "--add", nurse, "--db", db], as: shared.admin))

        let created = try expectSuccess(shared.run(["task", "create", "--queue", "lab", "--title", "Review potassium 6.1 mmol/L",
                                                    "--priority", "stat", "--patient", "Patient/1001", "--db", db], as: coordinator))
        #expect(created.stdout.contains("Created T-1"))
        for action in ["claim", "start", "request-review"] {
            try expectSuccess(shared.run(["task", action, "T-1", "--db", db], as: coordinator))
        }

        let own = try shared.run(["task", "approve", "T-1", "--db", db], as: coordinator)
        #expect(own.status == 1)
        #expect(own.stderr.contains("approve is not permitted"))
        #expect(own.stderr.split(separator: "\n").count == 1)

        let approved = try expectSuccess(shared.run(["task", "approve", "T-1", "--db", db], as: nurse))
        #expect(approved.stdout.contains("review → completed"))

        let shown = try expectSuccess(shared.run(["task", "show", "T-1", "--format", "json", "--db", db], as: nurse))
        let json = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as! [String: Any]
        let history = json["history"] as! [[String: Any]]
        #expect(history.map { $0["action"] as! String } == ["create", "claim", "start", "request-review", "approve", "view"])
        #expect(history.map { $0["actor"] as! String } == [coordinator, coordinator, coordinator, coordinator, nurse, nurse])
        #expect((json["task"] as! [String: Any])["state"] as? String == "completed")

        let table = try expectSuccess(shared.run(["task", "show", "T-1", "--db", db], as: nurse))
        #expect(table.stdout.contains("Test coord (\(coordinator))"))
        #expect(table.stdout.contains("Test nurse (\(nurse))"))
    }

    @Test func badInputGivesOneLineAndExitOneAndChangesNothing() throws {
        let shared = try SharedDatabase()
        let db = shared.path
        let coordinator = try shared.addUser("coord", roles: "coordinator")
        try expectSuccess(shared.run(["queues", "add", "intake", "--title", "Referral intake", "--db", db], as: shared.admin))
        try expectSuccess(shared.run(["queues", "members", "intake", "--add", coordinator, "--db", db], as: shared.admin))
        try expectSuccess(shared.run(["task", "create", "--queue", "intake", "--title", "Referral", "--db", db], as: coordinator))
        let stranger = try shared.users.add("stranger")
        let textFile = shared.directory.file("notes.txt")
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: textFile))
        try shared.users.share(textFile)

        let cases: [(arguments: [String], user: String, message: String)] = [
            (["task", "claim", "T-999", "--db", db], coordinator, "no task T-999"),
            (["task", "complete", "T-1", "--db", db], coordinator, "cannot complete from queued"),
            (["task", "list", "--db", db], stranger, "unknown user '\(stranger)'"),
            (["init", "--db", "/proc/handoff/cannot.db"], coordinator, "cannot create"),
            (["task", "list", "--db", textFile], coordinator, "is not a SQLite database; it was left untouched"),
            (["task", "list", "--db", shared.directory.file("missing.db")], coordinator, "no Handoff database at"),
            (["task", "list", "--db", db, "--as", coordinator], shared.admin, "--as works only on a demo database"),
        ]
        for (arguments, user, message) in cases {
            let result = try shared.run(arguments, as: user)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.hasPrefix("handoff: "), "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments): \(result)")
        }
        #expect(try String(contentsOfFile: textFile, encoding: .utf8) == "not a database\n")

        let usage = try shared.run(["task", "claim"], as: coordinator)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Missing expected argument"))

        let list = try expectSuccess(shared.run(["task", "list", "--format", "json", "--db", db], as: coordinator))
        let tasks = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]]
        #expect(tasks.count == 1)
        #expect(tasks.first?["state"] as? String == "queued")
        #expect(tasks.first?["version"] as? Int == 1)
    }
}
