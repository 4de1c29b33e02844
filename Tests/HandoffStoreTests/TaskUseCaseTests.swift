import Foundation
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// Task use cases: one transaction each, with optimistic concurrency and an audit record.
struct TaskUseCaseTests {
    @Test func twoWritersFromTheSameVersionOneWinsTheOtherGetsAConflict() throws {
        let fixture = try StoreFixture()
        let task = try fixture.makeTask()
        let other = try HandoffStore.open(at: fixture.store.path)
        let cora = try fixture.actor("cora"), sam = try fixture.actor("sam")
        let auditBefore = try fixture.store.read { try $0.auditCount() }

        // Both saw version 1. Cora claims through one connection, Sam cancels through another.
        let claimed = try fixture.store.write {
            try $0.perform(.claim, on: task.id, expectedVersion: task.version, by: cora, at: fixture.start.addingTimeInterval(120))
        }
        #expect(throws: StoreError.conflict(task: task.id, changedBy: "cora", at: fixture.start.addingTimeInterval(120), version: 2)) {
            try other.write {
                try $0.perform(.cancel(reason: "duplicate"), on: task.id, expectedVersion: task.version, by: sam, at: fixture.start.addingTimeInterval(121))
            }
        }
        let stored = try fixture.store.read { try $0.task(task.id) }
        #expect(stored == claimed)
        #expect(stored.state == .assigned && stored.owner == "cora")
        #expect(try fixture.store.read { try $0.auditCount() } == auditBefore + 1)
    }

    @Test func aRefusedActionChangesNothing() throws {
        let fixture = try StoreFixture()
        let task = try fixture.makeTask()
        let cora = try fixture.actor("cora")
        let auditBefore = try fixture.store.read { try $0.auditCount() }
        #expect(throws: StoreError.transition(.illegalFromState(action: .start, task: task.id, state: .queued, allowed: [.note, .claim]))) {
            try fixture.store.write { try $0.perform(.start, on: task.id, by: cora, at: fixture.start) }
        }
        #expect(try fixture.store.read { try $0.task(task.id) } == task)
        #expect(try fixture.store.read { try $0.auditCount() } == auditBefore)
    }

    @Test func aFullReviewedFlowLeavesAnAuditTrailWithBothPeople() throws {
        let fixture = try StoreFixture()
        let task = try fixture.makeTask()
        let cora = try fixture.actor("cora"), nina = try fixture.actor("nina")
        var time = fixture.start.addingTimeInterval(600)
        func next() -> Date { time.addTimeInterval(60); return time }
        try fixture.store.write { db in
            try db.perform(.claim, on: task.id, by: cora, at: next())
            try db.perform(.start, on: task.id, by: cora, at: next())
            try db.perform(.note("Called the lab"), on: task.id, by: cora, at: next())
            try db.perform(.requestReview, on: task.id, by: cora, at: next())
        }
        #expect(throws: StoreError.self) {
            try fixture.store.write { try $0.perform(.approve, on: task.id, by: cora, at: next()) }
        }
        let done = try fixture.store.write { try $0.perform(.approve, on: task.id, by: nina, at: next()) }
        #expect(done.state == .completed)
        let detail = try fixture.store.write { try $0.openTask(task.id, by: nina, at: next()) }
        #expect(detail.history.map(\.entry.action) == ["create", "claim", "start", "note", "request-review", "approve", "view"])
        #expect(detail.history.map(\.entry.actor) == ["sync", "cora", "cora", "cora", "cora", "nina", "nina"])
        #expect(detail.notes.map(\.text) == ["Called the lab"])
        #expect(detail.displayNames["nina"] == "Nina Kowalczyk")
        #expect(detail.history.map(\.seq) == detail.history.map(\.seq).sorted())
    }

    @Test func reassignmentChecksTheAssigneeInTheStore() throws {
        let fixture = try StoreFixture()
        let task = try fixture.makeTask(in: "intake")
        let sam = try fixture.actor("sam")
        #expect(throws: StoreError.transition(.assigneeNotEligible(user: "nina", queue: "intake", reason: "they are not a member of the queue"))) {
            try fixture.store.write { try $0.assign(task.id, to: "nina", reason: nil, by: sam, at: fixture.start) }
        }
        #expect(throws: StoreError.unknownUser("ghost")) {
            try fixture.store.write { try $0.assign(task.id, to: "ghost", reason: nil, by: sam, at: fixture.start) }
        }
        let assigned = try fixture.store.write { try $0.assign(task.id, to: "cora", reason: "cover", by: sam, at: fixture.start) }
        #expect(assigned.owner == "cora" && assigned.state == .assigned)
    }

    @Test func listingsShowOnlyTheQueuesAPersonBelongsTo() throws {
        let fixture = try StoreFixture()
        let lab = try fixture.makeTask(in: "lab")
        let intake = try fixture.makeTask(in: "intake")
        let nina = try fixture.actor("nina"), cora = try fixture.actor("cora")
        #expect(try fixture.store.read { try $0.tasks(TaskFilter(), visibleTo: nina) }.map(\.id) == [lab.id])
        #expect(Set(try fixture.store.read { try $0.tasks(TaskFilter(), visibleTo: cora) }.map(\.id)) == [lab.id, intake.id])
        #expect(try fixture.store.read { try $0.tasks(TaskFilter(), visibleTo: fixture.admin) }.count == 2)
    }

    @Test func listingsSortMostUrgentFirstAndFilter() throws {
        let fixture = try StoreFixture()
        let sync = try fixture.actor("sync")
        let ids = try fixture.store.write { db in
            try [Priority.routine, .stat, .urgent].enumerated().map { index, priority in
                try db.createTask(TaskDraft(queue: "lab", title: "t\(index)", priority: priority), by: sync,
                                  at: fixture.start.addingTimeInterval(Double(index))).id
            }
        }
        let all = try fixture.store.read { try $0.tasks(TaskFilter(), visibleTo: fixture.admin) }
        #expect(all.map(\.id) == [ids[1], ids[2], ids[0]])
        let stat = try fixture.store.read { try $0.tasks(TaskFilter(priority: .stat), visibleTo: fixture.admin) }
        #expect(stat.map(\.id) == [ids[1]])
        #expect(throws: StoreError.unknownQueue("nope")) {
            try fixture.store.read { try $0.tasks(TaskFilter(queue: "nope"), visibleTo: fixture.admin) }
        }
    }
}
