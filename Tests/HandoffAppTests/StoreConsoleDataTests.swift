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
}
