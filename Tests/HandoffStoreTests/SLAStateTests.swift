import Foundation
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// Every task change keeps the task's SLA state in step, in the same transaction: stage, due time,
/// pauses, cycles, and the next threshold the sweeper will act on.
struct SLAStateTests {
    static let policies = SLAPolicies(calendars: ["office": SLATestCalendar.office], policies: [
        "intake": SLAPolicy(queue: "intake", goals: [
            .init(priority: .urgent, target: .hours(4), calendar: "office"),
            .init(priority: nil, target: .businessDays(2), calendar: "office"),
        ], thresholds: [.init(name: "warning", fraction: 0.75, actions: [.flag]), .init(name: "breach", fraction: 1, actions: [.flag])]),
    ])

    static func local(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        SLATestCalendar.local(month, day, hour, minute)
    }

    let fixture: StoreFixture
    let store: HandoffStore

    init() throws {
        fixture = try StoreFixture()
        store = fixture.store.measuring(Self.policies)
    }

    func create(at time: Date) throws -> WorkTask {
        let sync = try fixture.actor("sync")
        return try store.write { try $0.createTask(TaskDraft(queue: "intake", title: "Referral intake"), by: sync, at: time) }
    }

    func act(_ action: TaskAction, on id: TaskID, as name: String, at time: Date) throws -> WorkTask {
        let actor = try fixture.actor(name)
        return try store.write { try $0.perform(action, on: id, by: actor, at: time) }
    }

    @Test func aNewTaskGetsItsDueTimeAndTheWarningInstant() throws {
        let task = try create(at: Self.local(1, 9, 16))
        #expect(task.slaStage == .running)
        #expect(task.dueAt == Self.local(1, 14, 16))
        #expect(task.slaNextAt == Self.local(1, 14, 12), "75 % of 16 working hours: Friday 1 h, Tuesday 8 h, Wednesday 3 h")
        #expect(try store.read { try $0.task(task.id) } == task, "what was returned is what was stored")
    }

    @Test func pendingPausesTheClockAndResumingPushesTheDueTimeOut() throws {
        let task = try create(at: Self.local(1, 9, 16))
        _ = try act(.claim, on: task.id, as: "cora", at: Self.local(1, 13, 9))
        _ = try act(.start, on: task.id, as: "cora", at: Self.local(1, 13, 9))
        let pending = try act(.pend(reason: "awaiting authorization", expectedBy: nil), on: task.id, as: "cora", at: Self.local(1, 13, 15))
        #expect(pending.slaStage == .paused)
        #expect(pending.dueAt == nil)
        #expect(pending.slaNextAt == nil, "a paused clock crosses no threshold")
        let resumed = try act(.resume, on: task.id, as: "cora", at: Self.local(1, 14, 10))
        #expect(resumed.slaStage == .running)
        #expect(resumed.dueAt == Self.local(1, 15, 11))
        #expect(resumed.slaNextAt == Self.local(1, 14, 15), "12 h: 7 h before the pause, 5 h from Wednesday 10:00")
    }

    @Test func raisingThePriorityMeasuresTheNewGoalFromTheCycleStart() throws {
        let task = try create(at: Self.local(1, 9, 16))
        let urgent = try act(.reprioritise(.urgent), on: task.id, as: "sam", at: Self.local(1, 13, 10))
        #expect(urgent.dueAt == Self.local(1, 13, 12))
        #expect(urgent.slaNextAt == Self.local(1, 13, 11), "75 % of 4 h")
        let late = try act(.note("still waiting"), on: task.id, as: "cora", at: Self.local(1, 13, 13))
        #expect(late.slaStage == .breached)
        #expect(late.slaThreshold == "breach")
        #expect(late.slaNextAt == Self.local(1, 13, 13), "crossed thresholds nobody acted on yet: the sweeper must look now")
    }

    @Test func completionEndsTheCycleAndReopeningStartsANewOne() throws {
        let task = try create(at: Self.local(1, 9, 16))
        _ = try act(.claim, on: task.id, as: "cora", at: Self.local(1, 13, 9))
        _ = try act(.start, on: task.id, as: "cora", at: Self.local(1, 13, 9))
        let done = try act(.complete, on: task.id, as: "cora", at: Self.local(1, 13, 11))
        #expect(done.slaStage == .met)
        #expect(done.slaNextAt == nil)
        let reopened = try act(.reopen(reason: "amended result"), on: task.id, as: "sam", at: Self.local(1, 20, 9))
        #expect(reopened.slaCycle == 2)
        #expect(reopened.slaCycleStart == Self.local(1, 20, 9))
        #expect(reopened.slaStage == .running)
        #expect(reopened.dueAt == Self.local(1, 21, 17))
    }

    @Test func aQueueWithoutAPolicyHasNoSLA() throws {
        let sync = try fixture.actor("sync")
        let task = try store.write { try $0.createTask(TaskDraft(queue: "lab", title: "Review"), by: sync, at: Self.local(1, 9, 16)) }
        #expect(task.slaStage == nil)
        #expect(task.dueAt == nil)
        #expect(task.slaNextAt == nil)
    }
}
