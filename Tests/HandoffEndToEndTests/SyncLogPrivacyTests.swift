import Foundation
import HandoffTestSupport
import Testing

/// The sync worker's log at its most detailed level carries ids, types and trace ids, and no patient's name.
@Suite(.serialized)
struct SyncLogPrivacyTests {
    let home = DemoStateDirectory("handoff-sync-log")
    static let events = SyncFixture.sampleData + "/events"

    /// The sample patients' names (`SampleData/patients.yaml`, one `name: "…"` line each): whole, and each
    /// given and family name of two or more characters (a one-letter particle such as `Ó` names nobody).
    static func patientNames() throws -> [String] {
        let text = try String(contentsOfFile: SyncFixture.sampleData + "/patients.yaml", encoding: .utf8)
        let names = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("name: \""), trimmed.hasSuffix("\"") else { return nil }
            return String(trimmed.dropFirst("name: \"".count).dropLast())
        }
        let parts = names.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 2 }
        return names + parts
    }

    /// Every sample event as a JSON object: the NDJSON lines and the elements of the batch files.
    static func sampleEvents() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: events).sorted().flatMap { name -> [[String: Any]] in
            let data = try Data(contentsOf: URL(fileURLWithPath: events + "/" + name))
            if name.hasSuffix(".json") { return (try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? [] }
            guard name.hasSuffix(".ndjson") else { return [] }
            return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        }
    }

    @Test func theWorkerLogsAtTraceLevelWithoutAPatientsName() throws {
        let names = try Self.patientNames()
        #expect(names.count > 40, "the 40 sample patients and their names' parts")
        let events = try Self.sampleEvents()
        let carried = Set(events.compactMap { ($0["data"] as? [String: Any])?["name"] as? String })
        #expect(!carried.isEmpty && carried.allSatisfy { name in names.contains { name.contains($0) } },
                "the events the worker reads carry the patients' names (one with escape sequences in it)")

        try expectSuccess(home.handoff(["demo", "--print"]))
        let spool = home.state.file("spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.events) where name.hasSuffix("json") {
            try FileManager.default.copyItem(atPath: Self.events + "/" + name, toPath: spool + "/" + name)
        }
        let run = try expectSuccess(home.handoff(["sync", "--once", "--log-level", "trace", "--db", home.demo, "--as", "handoff-sync",
                                                  "--spool", spool, "--routes", SyncFixture.sampleData + "/routes.yaml", "--park-timeout", "0s"]))
        let log = run.stderr
        #expect(run.stdout.contains("received 402"), "\(run.stdout)")

        // Positive control: the log is there, one trace line per event, with ids and trace ids.
        let first = try #require(events.first)
        let id = try #require(first["id"] as? String)
        let trace = try #require((first["traceparent"] as? String)?.split(separator: "-").dropFirst().first.map(String.init))
        let traceLines = log.split(separator: "\n").filter { $0.contains(" trace handoff.sync:") }
        #expect(traceLines.count >= 402, "one line per event received: \(traceLines.count)")
        #expect(traceLines.contains { $0.contains("event=\(id) ") && $0.contains("trace=\(trace) ") }, "ids and trace ids are logged")

        let leaked = names.filter { log.contains($0) }
        #expect(leaked.isEmpty, "patients' names in the log: \(leaked)")
        #expect(!log.contains("\u{1B}") && !log.contains("\u{07}"), "no control character in the log")

        // The default level logs batches, not single events: a redelivered file is one batch line.
        let redelivered = try #require(try FileManager.default.contentsOfDirectory(atPath: Self.events).sorted().first { $0.hasSuffix(".ndjson") })
        try FileManager.default.copyItem(atPath: Self.events + "/" + redelivered, toPath: spool + "/again-" + redelivered)
        let quiet = try expectSuccess(home.handoff(["sync", "--once", "--db", home.demo, "--as", "handoff-sync", "--spool", spool,
                                                    "--routes", SyncFixture.sampleData + "/routes.yaml"]))
        #expect(quiet.stderr.contains(" info handoff.sync:") && quiet.stderr.contains("batch applied"), "\(quiet)")
        #expect(!quiet.stderr.contains(" trace handoff.sync:"))
        let usage = try home.handoff(["sync", "--once", "--log-level", "loud", "--db", home.demo])
        #expect(usage.status == 2 && usage.stderr.contains("--log-level"), "\(usage)")
    }
}
