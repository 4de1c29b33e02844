import Foundation
import HandoffCore
import Testing

/// CloudEvents 1.0 structured JSON: what is accepted, and the reason code for each kind of bad input.
struct EventDecoderTests {
    static let good = """
        {"specversion":"1.0","id":"evt-1","source":"urn:hospital:mirth:lab-results","type":"lab.result.signed",
         "time":"2026-11-25T09:30:00Z","subject":"Patient/1001","datacontenttype":"application/json",
         "dataschema":"urn:handoff:event:lab.result.signed:v1",
         "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","correlationid":"DiagnosticReport/9",
         "partitionkey":"p-77","x-site":"north","data":{"patient":"Patient/1001","name":"José Nuñez","critical":true,"report":"DiagnosticReport/9"}}
        """

    func decode(_ text: String) -> Result<CloudEvent, EventRejection> {
        EventDecoder.decode(Data(text.utf8))
    }

    func reason(_ text: String) -> DeadLetterReason? {
        if case let .failure(rejection) = decode(text) { return rejection.reason }
        return nil
    }

    func replacing(_ old: String, with new: String) -> String {
        Self.good.replacingOccurrences(of: old, with: new)
    }

    @Test func aGoodEventKeepsEveryAttributeAndUnknownExtensions() throws {
        let event = try decode(Self.good).get()
        #expect(event.id == "evt-1" && event.source == "urn:hospital:mirth:lab-results" && event.type == "lab.result.signed")
        #expect(event.time == Timestamp.parse("2026-11-25T09:30:00Z"))
        #expect(event.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(event.correlationID == "DiagnosticReport/9" && event.partitionKey == "p-77")
        #expect(event.extensions == ["x-site": .string("north")])
        #expect(event.data?["critical"] == .bool(true))
        #expect(event.data?["name"]?.string == "José Nuñez")
        #expect(event.schemaVersion == 1)
    }

    @Test func eachKindOfBadInputHasItsReason() {
        #expect(reason("{\"specversion\": \"1.0\", ") == .invalidJSON)
        #expect(reason("[1, 2]") == .invalidJSON)
        #expect(reason(replacing("\"id\":\"evt-1\",", with: "")) == .missingRequiredAttribute)
        #expect(reason(replacing("\"id\":\"evt-1\"", with: "\"id\":42")) == .invalidAttribute)
        #expect(reason(replacing("\"source\":\"urn:hospital:mirth:lab-results\"", with: "\"source\":\"\"")) == .invalidAttribute)
        #expect(reason(replacing("\"specversion\":\"1.0\"", with: "\"specversion\":\"0.3\"")) == .unsupportedSpecversion)
        #expect(reason(replacing(":v1\"", with: ":vX\"")) == .invalidAttribute)
        #expect(reason(replacing("2026-11-25T09:30:00Z", with: "yesterday")) == .invalidAttribute)
        #expect(reason(replacing("\"subject\":\"Patient/1001\"", with: "\"subject\":7")) == .invalidAttribute)
        #expect(reason(replacing("application/json", with: "text/xml")) == .invalidAttribute)
    }

    @Test func oversizedEventsAreRefusedBeforeParsing() {
        let padding = String(repeating: "x", count: EventDecoder.maximumSize)
        #expect(reason(replacing("\"north\"", with: "\"\(padding)\"")) == .payloadTooLarge)
    }

    @Test func deeplyNestedJSONIsRefusedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(reason(replacing("\"north\"", with: deep)) == .invalidJSON)
        let braceInString = replacing("\"north\"", with: "\"" + String(repeating: "[", count: 500) + "\"")
        #expect(reason(braceInString) == nil, "brackets inside strings do not count")
    }

    @Test func controlCharactersAreKeptAsReceived() throws {
        let event = try decode(replacing("José Nuñez", with: "Bad\\u001b[2JName")).get()
        #expect(event.data?["name"]?.string == "Bad\u{1B}[2JName")
    }

    @Test func ndjsonYieldsCompleteLinesAndKeepsAnUnfinishedTail() {
        let text = "{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":"
        let (complete, remainder) = EventDecoder.lines(of: Data(text.utf8))
        #expect(complete.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}\r"])
        #expect(String(decoding: remainder, as: UTF8.self) == "{\"c\":")
    }

    @Test func aBatchGivesOneResultPerElement() throws {
        let batch = "[\(Self.good), {\"specversion\":\"1.0\"}, 3]"
        let results = try EventDecoder.decodeBatch(Data(batch.utf8)).get()
        #expect(results.count == 3)
        #expect((try? results[0].get())?.id == "evt-1")
        #expect(results[1].failureReason == .missingRequiredAttribute)
        #expect(results[2].failureReason == .invalidJSON)
        #expect(EventDecoder.decodeBatch(Data(Self.good.utf8)).failureReason == .invalidJSON)
    }
}

extension Result where Failure == EventRejection {
    var failureReason: DeadLetterReason? {
        if case let .failure(rejection) = self { return rejection.reason }
        return nil
    }
}
