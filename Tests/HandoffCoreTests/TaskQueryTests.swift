import HandoffCore
import Testing

struct TaskQueryTests {
    @Test func termsAndWordsBecomeAFilter() throws {
        let filter = try TaskQuery.parse("state:pending owner:me priority:STAT patient:nunez cardio x", me: "cora").get()
        #expect(filter.states == [.pending])
        #expect(filter.owner == "cora")
        #expect(filter.priority == .stat)
        #expect(filter.search == [SearchTerm("nunez", in: .patient), SearchTerm("cardio")], "one-letter words are left out")
    }

    @Test func ownerNoneAndRepeatedStates() throws {
        let filter = try TaskQuery.parse("owner:none state:queued is:exception", me: "cora").get()
        #expect(filter.unownedOnly)
        #expect(filter.states == [.queued, .exception])
    }

    @Test func unknownTermsAndValuesAreReported() {
        #expect(TaskQuery.parse("colour:red", me: "cora") == .failure(.unknownKey("colour")))
        #expect(TaskQuery.parse("state:done", me: "cora") == .failure(.unknownValue(key: "state", value: "done")))
        #expect(QueryError.unknownValue(key: "priority", value: "high").description.contains("routine, urgent, asap or stat"))
    }
}
