import Foundation
import HandoffCore
import HandoffTestSupport
import Testing

/// `handoff outbound` on the demo database: who may do what, the status, naming the source, and a
/// replay that delivers the same events again.
@Suite(.serialized)
struct OutboundCommandTests {
    let home = DemoStateDirectory("handoff-outbound-cli")
    var demo: String { home.demo }
    var spool: String { home.state.file("outbound") }

    func handoff(_ arguments: [String], as user: String) throws -> CommandResult {
        try home.handoff(arguments + ["--db", demo, "--as", user])
    }

    /// The ids of every line in the spool's files, in name order.
    func deliveredIDs() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".ndjson") }.sorted()
            .flatMap { try String(contentsOfFile: spool + "/" + $0, encoding: .utf8).split(separator: "\n") }
            .map { try EventDecoder.decode(Data($0.utf8)).get().id }
    }

    @Test func statusSourceAndReplayForAdminsPublishingForServices() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        let written = Int(try home.sqlite("SELECT count(*) FROM outbox")) ?? 0
        #expect(written == Int(try home.sqlite("SELECT count(*) FROM audit WHERE task IS NOT NULL AND action != 'view'")))

        let before = try expectSuccess(handoff(["outbound", "status"], as: "ada"))
        #expect(before.stdout.contains("publisher:  never ran"), "\(before)")
        #expect(before.stdout.contains("source:     urn:handoff:demo"))
        #expect(before.stdout.contains("waiting:    \(written), oldest "))

        // Only a service account publishes; only admins (and services) read or steer.
        let person = try handoff(["outbound", "publish", "--once", "--keep", "forever", "--to", spool], as: "ada")
        #expect(person.status == 1 && person.stderr.contains("running the outbound publisher needs the service role"), "\(person)")
        let coordinator = try handoff(["outbound", "status"], as: "cora")
        #expect(coordinator.status == 1 && coordinator.stderr.contains("the outbound events are for admins; you have coordinator"), "\(coordinator)")
        #expect(try handoff(["outbound", "source", "urn:x:y"], as: "cora").status == 1)

        let published = try expectSuccess(handoff(["outbound", "publish", "--once", "--keep", "forever", "--to", spool], as: "handoff-sync"))
        #expect(published.stdout == "delivered \(written) outbound events to \(spool)\n")
        #expect(try deliveredIDs().joined(separator: "\n") == (try home.sqlite("SELECT id FROM outbox ORDER BY seq")))
        let json = try expectSuccess(handoff(["outbound", "status", "--format", "json"], as: "ada"))
        let status = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(status["waiting"] as? Int == 0 && status["delivered"] as? Int == written && status["spool"] as? String == spool)

        // A new source names the events written from now on, and the change is audited.
        try expectSuccess(handoff(["outbound", "source", "urn:hospital:handoff:north"], as: "ada"))
        #expect(try expectSuccess(handoff(["outbound", "source"], as: "ada")).stdout == "urn:hospital:handoff:north\n")
        #expect(try home.sqlite("SELECT actor FROM audit WHERE action = 'outbound.source'") == "ada")
        let task = "T-" + (try home.sqlite("SELECT id FROM task WHERE state NOT IN ('completed', 'cancelled') ORDER BY id LIMIT 1"))
        let member = try home.sqlite("""
            SELECT user FROM queueMember WHERE isSupervisor = 0 AND queue = (SELECT queue FROM task WHERE id = \(task.dropFirst(2))) LIMIT 1
            """)
        try expectSuccess(handoff(["task", "note", task, "called the ward"], as: member))
        let newest = try home.sqlite("SELECT event FROM outbox ORDER BY seq DESC LIMIT 1")
        #expect(try EventDecoder.decode(Data(newest.utf8)).get().source == "urn:hospital:handoff:north")
        #expect(!newest.contains("called the ward"), "notes are not sent")
        try expectSuccess(handoff(["task", "note", task, "called again"], as: member))
        try expectSuccess(handoff(["outbound", "publish", "--once", "--keep", "forever", "--to", spool], as: "handoff-sync"))
        let delivered = try deliveredIDs()
        #expect(delivered.count == written + 2)
        // The consumer takes its files away, as Mirth's File Reader moves what it has read.
        let taken = home.state.file("taken")
        try FileManager.default.moveItem(atPath: spool, toPath: taken)

        // A replay delivers the events since a time again, with the same ids, in order; nothing before it.
        let since = try home.sqlite("SELECT time FROM outbox ORDER BY seq DESC LIMIT 1 OFFSET 1").replacingOccurrences(of: " ", with: "T") + "Z"
        let replay = try expectSuccess(handoff(["outbound", "replay", "--since", since], as: "ada"))
        #expect(replay.stdout.hasPrefix("2 events since "), "\(replay)")
        #expect(replay.stdout.contains("will be delivered again by the publisher, with their original ids"))
        try expectSuccess(handoff(["outbound", "publish", "--once", "--keep", "forever", "--to", spool], as: "handoff-sync"))
        let again = try deliveredIDs()
        #expect(again == Array(delivered.suffix(2)), "the same two events, the same ids, in order")
        #expect(try home.sqlite("SELECT detail FROM audit WHERE action = 'outbound.replay'").contains("\"events\":\"2\""))
    }

    @Test func badArgumentsAreExplained() throws {
        try expectSuccess(home.handoff(["demo", "--print"]))
        for (arguments, message) in [
            (["outbound", "publish", "--batch", "0"], "--batch: 0 is not between 1 and 100000"),
            (["outbound", "publish", "--keep", "3x"], "--keep: '3x' is neither a positive duration like 7d nor 'forever'"),
            (["outbound", "replay", "--since", "yesterday"], "--since: 'yesterday' is neither an RFC 3339 time nor a duration like 2h"),
            (["outbound", "source", "not a uri"], "'not a uri' is not a URI"),
        ] {
            let result = try handoff(arguments, as: "ada")
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result)")
        }
        // A spool that is a file, not a directory: a clear error, nothing delivered.
        let file = home.state.file("not-a-directory")
        try Data().write(to: URL(fileURLWithPath: file))
        let result = try handoff(["outbound", "publish", "--once", "--to", file], as: "handoff-sync")
        #expect(result.status == 1 && result.stderr.contains("outbound spool \(file)"), "\(result)")
        #expect(try home.sqlite("SELECT count(*) FROM syncState WHERE key = 'outbound.cursor'") == "0")
    }
}
