import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing
import Yams

/// The shipped sample events, through the real spool and worker, do exactly what
/// `SampleData/events/expected.yaml` says: every dead letter with its reason, every duplicate
/// skipped, every out-of-order pair resolved, every listed chain in its final state.
struct SampleEventsTests {
    struct Expected: Decodable {
        struct DeadLetter: Decodable { var file: String; var line: Int; var id: String?; var reason: String }
        struct Chain: Decodable { var name: String; var correlation: String; var events: [String]; var final_state: String }
        struct OutOfOrder: Decodable { var id: String; var waits_for: String }
        var total_lines: Int
        var accepted: Int
        var duplicates: Int
        var dead_letters: [DeadLetter]
        var out_of_order: [OutOfOrder]
        var chains: [Chain]
    }

    @Test func theSampleEventsDoWhatTheManifestSays() throws {
        let folder = SyncFixture.sampleData + "/events"
        let expected = try YAMLDecoder().decode(Expected.self, from: String(contentsOfFile: folder + "/expected.yaml", encoding: .utf8))
        let fixture = try SyncFixture(parkTimeout: 60)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix("json") {
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: fixture.directory.file("spool/" + name))
        }
        let worker = try fixture.worker()
        var tally = try worker.drain()
        fixture.now += 61
        tally = tally + (try worker.drain())

        #expect(tally.received == expected.total_lines)
        #expect(tally.duplicates == expected.duplicates)
        let counts = try fixture.store.read { try $0.eventCounts() }
        let orphans = expected.dead_letters.filter { $0.reason == "no_matching_task" }.count
        #expect(counts.values.reduce(0, +) == expected.accepted + orphans, "every distinct event is in the inbox once")
        #expect(counts[.dead] == orphans)
        #expect(counts[.parked] == nil, "nothing is left waiting")

        let letters = try fixture.store.read { try $0.deadLetters(status: .open) }
        #expect(letters.count == expected.dead_letters.count)
        let byID = Dictionary(grouping: letters.compactMap { letter in letter.eventID.map { ($0, letter.reason.rawValue) } }, by: \.0)
            .mapValues { $0.map(\.1).sorted() }
        for letter in expected.dead_letters {
            if let id = letter.id {
                #expect(byID[id]?.contains(letter.reason) == true, "\(letter.file):\(letter.line) \(id) should be \(letter.reason)")
            }
        }
        let withoutID = expected.dead_letters.filter { $0.id == nil }.map(\.reason).sorted()
        #expect(letters.filter { $0.eventID == nil }.map(\.reason.rawValue).sorted() == withoutID,
                "an event that names its id keeps it in its dead letter, even when it failed validation")

        for pair in expected.out_of_order {
            let entry = try #require(try fixture.store.read { try $0.events(matching: pair.id) }.first)
            #expect(entry.status == .applied, "\(pair.id) waited for \(pair.waits_for) and was then applied")
            #expect(entry.attempts > 1, "it was tried again when its task arrived")
        }
        for chain in expected.chains {
            let tasks = try fixture.tasks(chain.correlation)
            #expect(tasks.last?.state.rawValue == chain.final_state, "\(chain.name) (\(chain.correlation))")
        }
        #expect(try fixture.store.read { try $0.auditLog(actor: "handoff-sync", limit: 100_000) }
            .allSatisfy { $0.entry.detail["event"] != nil }, "every change names its event")
    }
}
