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

    // MARK: - assign-to-supervisor

    /// The fixture's store measuring `intake` with one breach threshold doing `actions`.
    func breaching(_ actions: [EscalationAction]) -> HandoffStore {
        var policy = Self.policies.policies["intake"]!
        policy.thresholds = [.init(name: "breach", fraction: 1, actions: actions)]
        return fixture.store.measuring(SLAPolicies(calendars: Self.policies.calendars, policies: ["intake": policy]))
    }

    /// Adds supervisor `name` to `queue`, disabled when asked.
    func addSupervisor(_ name: String, to queue: String, disabled: Bool = false) throws {
        let ada = fixture.admin
        try store.write { db in
            if try db.user(named: name) == nil {
                try db.apply(.addUser(name: name, displayName: name.capitalized, roles: [.supervisor]), by: ada, at: fixture.start)
            }
            try db.apply(.addSupervisor(queue: queue, user: name), by: ada, at: fixture.start)
            if disabled { try db.apply(.disableUser(name), by: ada, at: fixture.start) }
        }
    }

    func audit(_ id: TaskID, in store: HandoffStore) throws -> [AuditEntry] {
        try store.read { try $0.auditLog(task: id) }.map(\.entry)
    }

    @Test func aBreachGivesTheTaskToTheLeastLoadedSupervisorOnceAcrossARestart() throws {
        let assigning = breaching([.flag, .assignToSupervisor])
        try addSupervisor("abe", to: "intake", disabled: true)
        try addSupervisor("helga", to: "intake")
        let sync = try fixture.actor("sync"), cora = try fixture.actor("cora")
        let queued = try create(at: Self.local(1, 9, 16))
        let started = try create(at: Self.local(1, 9, 16, 1))
        try assigning.write { db in
            try db.perform(.claim, on: started.id, by: cora, at: Self.local(1, 10, 9))
            try db.perform(.start, on: started.id, by: cora, at: Self.local(1, 10, 9))
            // helga already owns open intake work, not yet due; sam owns none open, only cancelled work.
            let busy = try db.createTask(TaskDraft(queue: "intake", title: "Referral intake"), by: sync, at: Self.local(1, 14, 9))
            try db.assign(busy.id, to: "helga", reason: nil, by: fixture.admin, at: Self.local(1, 14, 9))
            let done = try db.createTask(TaskDraft(queue: "intake", title: "Referral intake"), by: sync, at: Self.local(1, 14, 9))
            try db.assign(done.id, to: "sam", reason: nil, by: fixture.admin, at: Self.local(1, 14, 9))
            try db.perform(.cancel(reason: "Duplicate referral"), on: done.id, by: fixture.admin, at: Self.local(1, 14, 9))
        }

        let sweeper = EscalationSweeper(actor: sync)
        let tally = try assigning.write { try sweeper.sweep(in: $0, at: Self.local(1, 14, 16, 30)) }
        #expect(tally.crossings == 2)
        #expect(tally.actions == 4, "flag and assign, for each task")
        #expect(tally.failures == 0)

        let first = try assigning.read { try $0.task(queued.id) }
        #expect(first.state == .assigned, "queued work is assigned")
        #expect(first.owner == "sam", "sam owned nothing open; helga one task; disabled abe is skipped")
        #expect(first.escalated)
        let second = try assigning.read { try $0.task(started.id) }
        #expect(second.state == .inProgress, "started work keeps its state")
        #expect(second.owner == "helga", "sam and helga now own one each: ties go by name")

        let reason = "SLA breach: 100 % of the goal used"
        let firstAudit = try audit(queued.id, in: assigning).filter { $0.action == "assign" || $0.action == "reassign" }
        #expect(firstAudit.map(\.action) == ["assign"])
        #expect(firstAudit.first?.actor == "sync" && firstAudit.first?.actorRole == .service)
        #expect(firstAudit.first?.detail == ["owner": "sam", "reason": reason])
        #expect(firstAudit.first?.fromState == .queued && firstAudit.first?.toState == .assigned)
        let secondAudit = try audit(started.id, in: assigning).filter { $0.action == "assign" || $0.action == "reassign" }
        #expect(secondAudit.map(\.detail) == [["owner": "helga", "previousOwner": "cora", "reason": reason]])

        let restarted = EscalationSweeper(actor: sync)
        #expect(try assigning.write { try restarted.sweep(in: $0, at: Self.local(1, 15, 9)) }.actions == 0, "once per cycle")
        #expect(try audit(queued.id, in: assigning).filter { $0.action == "assign" }.count == 1)
        #expect(try assigning.read { try $0.task(queued.id) }.owner == "sam")
    }

    @Test func afterAMoveTheTaskGoesToASupervisorOfTheNewQueue() throws {
        let moving = breaching([.flag, .moveTo(queue: "lab"), .assignToSupervisor])
        try addSupervisor("helga", to: "lab")
        let sync = try fixture.actor("sync")
        let task = try create(at: Self.local(1, 9, 16))
        try moving.write { db in
            // sam, who alone supervises intake, already owns lab work; helga supervises lab only.
            let busy = try db.createTask(TaskDraft(queue: "lab", title: "Review potassium"), by: sync, at: Self.local(1, 14, 9))
            try db.assign(busy.id, to: "sam", reason: nil, by: fixture.admin, at: Self.local(1, 14, 9))
        }
        let tally = try moving.write { try EscalationSweeper(actor: sync).sweep(in: $0, at: Self.local(1, 14, 16, 30)) }
        #expect(tally.actions == 3)
        let moved = try moving.read { try $0.task(task.id) }
        #expect(moved.queue == "lab")
        #expect(moved.owner == "helga")
        #expect(try audit(task.id, in: moving).map(\.action).suffix(3) == ["escalate", "move", "assign"])
    }

    @Test func withoutASupervisorTheOtherActionsStillHappenAndTheLogSaysSo() throws {
        let assigning = breaching([.flag, .raisePriority(to: nil), .assignToSupervisor])
        try store.write { try $0.apply(.removeSupervisor(queue: "intake", user: "sam"), by: fixture.admin, at: fixture.start) }
        try addSupervisor("abe", to: "intake", disabled: true)
        let task = try create(at: Self.local(1, 9, 16))
        let log = LogCapture()
        let sweeper = EscalationSweeper(actor: try fixture.actor("sync"), logger: log.logger)
        let tally = try assigning.write { try sweeper.sweep(in: $0, at: Self.local(1, 14, 16, 30)) }
        #expect(tally.crossings == 1)
        #expect(tally.actions == 1)
        #expect(tally.failures == 0)
        let late = try assigning.read { try $0.task(task.id) }
        #expect(late.escalated)
        #expect(late.priority == .urgent)
        #expect(late.state == .queued && late.owner == nil)
        #expect(log.text.contains("no supervisor to assign to queue=intake task=\(task.id) threshold=breach"), "\(log.text)")
    }

    @Test func aTaskTheChosenSupervisorOwnsAlreadyIsLeftWithThem() throws {
        let assigning = breaching([.flag, .assignToSupervisor])
        // tom owns nothing either: the escalated task does not count against sam, who wins by name.
        try addSupervisor("tom", to: "intake")
        let task = try create(at: Self.local(1, 9, 16))
        try assigning.write { try $0.assign(task.id, to: "sam", reason: nil, by: fixture.admin, at: Self.local(1, 10, 9)) }
        let tally = try assigning.write { try EscalationSweeper(actor: try fixture.actor("sync")).sweep(in: $0, at: Self.local(1, 14, 16, 30)) }
        #expect(tally.actions == 1, "the flag only")
        #expect(tally.failures == 0, "no attempt to give sam what sam has")
        #expect(try audit(task.id, in: assigning).filter { $0.actor == "sync" }.map(\.action) == ["create", "escalate"])
        #expect(try assigning.read { try $0.task(task.id) }.owner == "sam")
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
