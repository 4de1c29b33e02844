import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// Each class of bad input ends in the dead-letter store with its reason code, and the next good
/// event is still processed.
struct BadInputTests {
    let fixture: SyncFixture

    init() throws { fixture = try SyncFixture(parkTimeout: 60) }

    static let good = RoutingTests.lab("DiagnosticReport/1")

    static func replacing(_ text: String, _ old: String, _ new: String) -> String {
        precondition(text.contains(old), "\(old) not in \(text)")
        return text.replacingOccurrences(of: old, with: new)
    }

    static let cases: [(String, String, DeadLetterReason)] = [
        ("invalid JSON", "{\"specversion\":\"1.0\",", .invalidJSON),
        ("not an object", "[\(good)]", .invalidJSON),
        ("missing id", replacing(good, "\"id\":", "\"ident\":"), .missingRequiredAttribute),
        ("missing source", replacing(good, "\"source\":", "\"origin\":"), .missingRequiredAttribute),
        ("mistyped type", replacing(good, "\"type\":\"lab.result.signed\"", "\"type\":42"), .invalidAttribute),
        ("mistyped time", replacing(good, "\"time\":\"2026-11-25T09:30:00Z\"", "\"time\":\"last tuesday\""), .invalidAttribute),
        ("wrong specversion", replacing(good, "\"specversion\":\"1.0\"", "\"specversion\":\"0.3\""), .unsupportedSpecversion),
        ("unknown type", replacing(replacing(good, "\"type\":\"lab.result.signed\"", "\"type\":\"bed.assigned\""),
                                   "event:lab.result.signed", "event:bed.assigned"), .unknownType),
        ("unknown schema version", replacing(good, ":v1\"", ":v2\""), .unsupportedSchemaVersion),
        ("data missing a required field", replacing(good, "\"report\":\"DiagnosticReport/1\",", ""), .dataInvalid),
        ("data field of the wrong type", replacing(good, "\"critical\":false", "\"critical\":\"no\""), .dataInvalid),
        ("a reference of the wrong kind", replacing(good, "\"report\":\"DiagnosticReport/1\"", "\"report\":\"Patient/1\""), .dataInvalid),
        ("very large", replacing(good, "Potassium 6.1 mmol/L", String(repeating: "x", count: EventDecoder.maximumSize)), .payloadTooLarge),
        ("deeply nested", replacing(good, "\"José Nuñez\"", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)), .invalidJSON),
    ]

    @Test(arguments: cases.indices)
    func badInputIsDeadLetteredWithItsReasonAndTheNextEventGoesOn(_ index: Int) throws {
        let (name, text, reason) = Self.cases[index]
        let next = RoutingTests.lab("DiagnosticReport/2")
        let tally = try fixture.ingest([text, next])
        #expect(tally.deadLettered == 1, "\(name)")
        let letters = try fixture.deadLetters()
        #expect(letters.map(\.reason) == [reason], "\(name)")
        #expect(letters.first?.raw == Data(text.utf8), "the raw bytes are kept")
        #expect(letters.first?.detail.isEmpty == false)
        #expect(try fixture.openTask("DiagnosticReport/2") != nil, "the next event is applied")
        #expect(try fixture.store.read { try $0.eventCounts()[.applied] } == 1)
    }

    @Test func theSameBadBytesAgainCountAnAttemptInsteadOfASecondDeadLetter() throws {
        try fixture.ingest(["{not json", "{not json"])
        try fixture.ingest(["{not json"])
        let letters = try fixture.deadLetters()
        #expect(letters.count == 1)
        #expect(letters.first?.attempts == 3)
    }

    @Test func aRedeliveryIsSkippedEvenReSerialisedButDifferentContentIsAConflict() throws {
        let original = RoutingTests.lab("DiagnosticReport/3", id: "evt-dup")
        let object = try JSONSerialization.jsonObject(with: Data(original.utf8))
        let reSerialised = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        #expect(reSerialised != original)
        let conflicting = RoutingTests.lab("DiagnosticReport/3", critical: true, id: "evt-dup")
        let auditBefore = try fixture.store.read { try $0.auditCount() }
        let tally = try fixture.ingest([original, original, reSerialised, conflicting])
        #expect(tally.duplicates == 2)
        #expect(try fixture.deadLetters().map(\.reason) == [.idConflict])
        #expect(try fixture.tasks("DiagnosticReport/3").count == 1)
        #expect(try fixture.openTask("DiagnosticReport/3")?.priority == .routine, "the conflicting content changed nothing")
        #expect(try fixture.store.read { try $0.auditCount() } == auditBefore + 1, "one create, nothing else")
    }

    @Test func theSameIDFromAnotherSourceIsAnotherEvent() throws {
        let tally = try fixture.ingest([RoutingTests.lab("DiagnosticReport/4", id: "evt-7"),
                                        TestEvent.json("lab.result.signed", id: "evt-7", source: "urn:test:other", data: [
                                            "patient": "Patient/1001", "name": "José Nuñez", "report": "DiagnosticReport/5",
                                            "test": ["code": "1", "display": "Sodium"], "abnormal": false, "critical": false,
                                        ])])
        #expect(tally.created == 2)
        #expect(tally.duplicates == 0)
    }

    @Test func controlCharactersAreStoredAsReceivedAndNeverLogged() throws {
        let hostile = "Eve\u{1B}[2J\u{1B}[31mRed\u{07}"
        let event = TestEvent.json("lab.result.signed", subject: "Patient/1001", data: [
            "patient": "Patient/1001", "name": hostile, "report": "DiagnosticReport/6",
            "test": ["code": "2823-3", "display": "K \u{1B}]0;pwned\u{07}"], "abnormal": false, "critical": false,
        ])
        let log = LogCapture()
        let worker = try SyncSetup.worker(store: fixture.store, routes: fixture.routes, actor: fixture.service, sources: [],
                                          parkTimeout: 60, now: { [fixture] in fixture.now }, logger: log.logger)
        _ = try worker.apply([Delivery(raw: Data(event.utf8), transport: "test"),
                              Delivery(raw: Data("{\"bad\u{1B}[2J".utf8), transport: "test")], at: fixture.now)
        let task = try #require(try fixture.openTask("DiagnosticReport/6"))
        #expect(task.subjectDisplay == hostile, "stored as received")
        #expect(task.title.contains("\u{1B}]0;pwned"))
        #expect(DisplayText.sanitize(task.subjectDisplay ?? "").contains("\\x1b[2J"), "shown escaped")
        #expect(!log.text.isEmpty)
        #expect(!log.text.contains("\u{1B}"), "no escape byte reaches the log")
        #expect(!log.text.contains("Eve"), "no payload value reaches the log")
        #expect(!log.text.contains("Potassium") && !log.text.contains("pwned"))
    }
}
