import Foundation
import HandoffApp
import HandoffCore
import HandoffTestSupport
import Testing

/// The console's data from the store: what the console offers is what the rules allow.
struct StoreConsoleDataTests {
    @Test func reassignmentOffersTheQueuesMembersThenItsSupervisors() throws {
        let fixture = try StoreFixture()
        let data = StoreConsoleData(store: fixture.store, actor: try fixture.actor("sam"))
        let offered = try data.members(of: "lab")
        #expect(Set(offered.dropLast()) == ["cora", "nina", "zoe"] && offered.last == "sam", "members, then the supervisor: \(offered)")
        // Every one offered is someone the rules accept as the assignee.
        let task = try fixture.makeTask(in: "lab")
        for (index, name) in offered.enumerated() {
            let assigned = try fixture.store.write { try $0.assign(task.id, to: name, reason: "test", by: fixture.admin, at: fixture.start.addingTimeInterval(Double(index + 1))) }
            #expect(assigned.owner == name)
        }
    }

    @Test func theAuditScreenReadsWhatTheRoleAllowsNewestFirst() throws {
        let fixture = try StoreFixture()
        try fixture.store.write { try $0.apply(.addQueue(name: "pharmacy", title: "Pharmacy", requiresReview: false), by: fixture.admin, at: fixture.start) }
        let first = try fixture.makeTask(in: "lab")
        let elsewhere = try fixture.makeTask(in: "pharmacy")
        let second = try fixture.makeTask(in: "intake")
        let query = AuditQuery(limit: 500)
        let everything = try StoreConsoleData(store: fixture.store, actor: fixture.admin).auditLog(query)
        #expect(everything.map(\.seq) == everything.map(\.seq).sorted(by: >), "newest first")
        #expect(everything.contains { $0.entry.taskID == nil } && everything.contains { $0.entry.taskID == elsewhere.id },
                "admins read every record")
        let his = try StoreConsoleData(store: fixture.store, actor: try fixture.actor("sam")).auditLog(query)
        #expect(his.map(\.entry.taskID) == [second.id, first.id], "sam reads the records of his queues' tasks only, newest first")
        #expect(try StoreConsoleData(store: fixture.store, actor: fixture.admin).auditLog(AuditQuery(limit: 1)).map(\.seq)
                == [everything[0].seq], "the limit keeps the newest")
        #expect(throws: TransitionError.self, "the rules' own refusal, for the console to show") {
            try StoreConsoleData(store: fixture.store, actor: try fixture.actor("cora")).auditLog(query)
        }
    }
}
