import Foundation
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// The sweeper crossing warning and breach: each action once, audited, across restarts and outages.
struct EscalationSweeperTests {
    static let policies = SLAPolicies(calendars: ["office": SLATestCalendar.office], policies: [
        "intake": SLAPolicy(queue: "intake", goals: [
            .init(priority: .urgent, target: .hours(4), calendar: "office"),
            .init(priority: nil, target: .businessDays(2), calendar: "office"),
        ], thresholds: [
            .init(name: "warning", fraction: 0.75, actions: [.flag]),
            .init(name: "breach", fraction: 1, actions: [.flag, .raisePriority(to: nil)]),
        ], overdueActions: [.flag]),
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

    /// One pass by a fresh sweeper (as after a restart).
    @discardableResult
    func sweep(at time: Date) throws -> EscalationSweeper.Tally {
        let sweeper = EscalationSweeper(actor: try fixture.actor("sync"))
        return try store.write { try sweeper.sweep(in: $0, at: time) }
    }

    func escalations(_ id: TaskID) throws -> [StoredAudit] {
        try store.read { try $0.auditLog(task: id) }.filter { $0.entry.action == "escalate" }
    }

    @Test func warningThenBreachEachActOnceAuditedAcrossARestart() throws {
        let task = try create(at: Self.local(1, 9, 16))
        #expect(try sweep(at: Self.local(1, 14, 11, 59)).crossings == 0, "before 75 %")
        let warning = try sweep(at: Self.local(1, 14, 12, 1))
        #expect(warning.crossings == 1)
        #expect(warning.actions == 1)
        #expect(try sweep(at: Self.local(1, 14, 13)).crossings == 0, "the warning acts once")
        let afterWarning = try store.read { try $0.task(task.id) }
        #expect(afterWarning.escalated)
        #expect(afterWarning.priority == .routine)
        #expect(afterWarning.slaNextAt == Self.local(1, 14, 16), "next: the breach")
        #expect(afterWarning.slaThreshold == "warning", "the list keeps showing it at risk")
        let breach = try sweep(at: Self.local(1, 14, 16, 5))
        #expect(breach.crossings == 1)
        let late = try store.read { try $0.task(task.id) }
        #expect(late.priority == .urgent, "the breach raised the priority one step")
        #expect(late.slaNextAt == nil)
        #expect(try sweep(at: Self.local(1, 15, 9)).crossings == 0, "and acts once")
        let audit = try escalations(task.id)
        #expect(audit.count == 2)
        #expect(audit.map { $0.entry.detail["reason"] ?? "" } == ["SLA warning: 75 % of the goal used", "SLA breach: 100 % of the goal used"])
        #expect(audit.allSatisfy { $0.entry.actor == "sync" && $0.entry.actorRole == .service })
    }

    @Test func aBreachCanMoveTheTaskToAnotherQueueWhereANewCycleStarts() throws {
        var policy = Self.policies.policies["intake"]!
        policy.thresholds = [.init(name: "breach", fraction: 1, actions: [.flag, .moveTo(queue: "lab")])]
        let moving = fixture.store.measuring(SLAPolicies(calendars: Self.policies.calendars, policies: ["intake": policy]))
        let sync = try fixture.actor("sync")
        let task = try moving.write { try $0.createTask(TaskDraft(queue: "intake", title: "Referral intake"), by: sync, at: Self.local(1, 9, 16)) }
        let sweeper = EscalationSweeper(actor: sync)
        let tally = try moving.write { try sweeper.sweep(in: $0, at: Self.local(1, 14, 16, 30)) }
        #expect(tally.actions == 2)
        let moved = try moving.read { try $0.task(task.id) }
        #expect(moved.queue == "lab")
        #expect(moved.escalated)
        #expect(moved.slaCycle == 2)
        #expect(moved.slaCycleStart == Self.local(1, 14, 16, 30))
        #expect(moved.slaStage == nil, "lab has no policy here: no clock runs")
        let audit = try moving.read { try $0.auditLog(task: task.id) }.map(\.entry)
        #expect(audit.map(\.action).suffix(2) == ["escalate", "move"])
        #expect(audit.last?.detail["from"] == "intake" && audit.last?.detail["to"] == "lab")
        #expect(try moving.write { try sweeper.sweep(in: $0, at: Self.local(1, 20, 9)) }.actions == 0, "once per cycle")
    }

    @Test func aBacklogAfterALongOutageActsOnEachThresholdOnceInOrder() throws {
        let tasks = try (0..<3).map { try create(at: Self.local(1, 9, 16).addingTimeInterval(Double($0) * 60)) }
        let first = try sweep(at: Self.local(1, 26, 9))
        #expect(first.tasks == 3)
        #expect(first.crossings == 6, "warning and breach of each task")
        #expect(try sweep(at: Self.local(1, 26, 10)).crossings == 0)
        for task in tasks {
            #expect(try escalations(task.id).map { $0.entry.detail["reason"]?.hasPrefix("SLA warning") == true } == [true, false])
        }
    }

    @Test func overduePendingWorkIsFlaggedOncePerPend() throws {
        let task = try create(at: Self.local(1, 13, 9))
        let cora = try fixture.actor("cora")
        try store.write { db in
            try db.perform(.claim, on: task.id, by: cora, at: Self.local(1, 13, 9))
            try db.perform(.start, on: task.id, by: cora, at: Self.local(1, 13, 9))
            try db.perform(.pend(reason: "awaiting authorization", expectedBy: Self.local(1, 13, 12)), on: task.id, by: cora,
                           at: Self.local(1, 13, 10))
        }
        #expect(try sweep(at: Self.local(1, 13, 11)).crossings == 0)
        #expect(try sweep(at: Self.local(1, 13, 12, 30)).crossings == 1)
        #expect(try sweep(at: Self.local(1, 13, 13)).tasks == 0, "handled: not even looked at again")
        #expect(try escalations(task.id).first?.entry.detail["reason"]?.hasPrefix("expected data overdue") == true)
    }
}
