import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// The supervisor dashboard on the seeded sample world: every figure checked against counts made here,
/// task by task from the tasks and their audit histories, and every drill-down against its figure.
@Suite(.serialized)
struct SupervisorDashboardTests {
    /// The seeded sample, three hours after seeding, with "today" begun ten hours ago.
    struct World {
        let store: HandoffStore
        let admin: Actor
        let now: Date
        let scope: DashboardScope
        let dashboard: SupervisorDashboard
        let tasks: [WorkTask]
        let histories: [TaskID: [StoredAudit]]
        let directory: TemporaryDirectory

        init() throws {
            let data = try SampleData.load(from: SeederTests.sampleFolder)
            directory = TemporaryDirectory()
            let seeded = Date(timeIntervalSince1970: 1_795_000_000)
            let created = try HandoffStore.openOrCreate(at: directory.file("demo.db"))
            try Seeder(data: data, now: seeded).seed(into: created, admin: "tester", adminDisplayName: "Tester", origin: "local", markAsDemo: true)
            store = try SLASettings.measuring(created)
            let admin = try store.read { try $0.actor(named: "tester", origin: "local") }
            self.admin = admin
            // Work done after seeding, inside the window: reassignments and a pending period that ends.
            try store.write { db in
                let queued = try db.tasks(TaskFilter(queue: "lab-results", states: [.queued], limit: 3), visibleTo: admin)
                for (index, task) in queued.enumerated() {
                    try db.assign(task.id, to: "nina", reason: nil, by: admin, at: seeded.addingTimeInterval(600 + Double(index)))
                    try db.assign(task.id, to: "zoe", reason: "nina is off sick", by: admin, at: seeded.addingTimeInterval(1_200 + Double(index)))
                }
                let helga = try db.actor(named: "helga", origin: "local")
                for (index, task) in queued.enumerated() {
                    let pended = seeded.addingTimeInterval(1_800 + Double(index) * 600)
                    try db.perform(.pend(reason: "awaiting outside records", expectedBy: pended.addingTimeInterval(86_400)), on: task.id,
                                   by: helga, at: pended)
                    try db.perform(.resume, on: task.id, by: helga, at: pended.addingTimeInterval(900 * Double(index + 1)))
                }
                // Marco belongs to neither lab queue: he breaks the glass once, and looks at his own work once.
                let marco = try db.actor(named: "marco", origin: "local")
                _ = try db.openTask(queued[0].id, by: marco, at: seeded.addingTimeInterval(3_000), breakGlass: "patient in ED, lab call")
                let own = try db.tasks(TaskFilter(owner: "marco", limit: 1), visibleTo: marco)
                _ = try db.openTask(own[0].id, by: marco, at: seeded.addingTimeInterval(3_100))
            }
            let now = seeded.addingTimeInterval(3 * 3_600)
            let scope = DashboardScope(queues: try store.read { try $0.supervisedQueues(of: admin) }, now: now,
                                       dayStart: now.addingTimeInterval(-10 * 3_600))
            self.now = now
            self.scope = scope
            dashboard = try store.read { try $0.dashboard(scope) }
            let tasks = try store.read { try $0.tasks(TaskFilter(includeClosed: true, limit: 100_000), visibleTo: admin) }
            self.tasks = tasks
            histories = try store.read { db in
                try Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, try db.auditLog(task: $0.id)) })
            }
        }

        /// The audit records of `task` in the window [now − 24 h, now].
        func inWindow(_ task: WorkTask) -> [StoredAudit] {
            (histories[task.id] ?? []).filter { $0.entry.time >= scope.windowStart && $0.entry.time <= now }
        }

        /// The hour bucket of a time in the window, counted here: whole hours since the window began.
        func bucket(_ time: Date) -> Int { min(Int(time.timeIntervalSince(scope.windowStart)) / 3_600, 23) }
    }

    @Test func queueFiguresMatchCountsMadeTaskByTask() throws {
        let world = try World()
        let now = world.now, dayStart = world.scope.dayStart
        let sampleQueues = try SampleData.load(from: SeederTests.sampleFolder).queues.map(\.name).sorted()
        #expect(world.dashboard.queues.map(\.queue) == sampleQueues)
        #expect(world.dashboard.queues.contains { $0.breachedNow > 0 } && world.dashboard.queues.contains { $0.unassigned > 0 },
                "the sample exercises the figures")
        for queue in world.dashboard.queues {
            let tasks = world.tasks.filter { $0.queue == queue.queue }
            let open = tasks.filter { $0.state.isActive }
            var depth: [TaskState: Int] = [:]
            for task in open { depth[task.state, default: 0] += 1 }
            #expect(queue.depth == depth, "\(queue.queue)")
            #expect(queue.unassigned == open.filter { $0.owner == nil }.count)
            #expect(queue.oldestAge == open.map(\.createdAt).min().map { Int(now.timeIntervalSince($0)) })
            #expect(queue.atRisk == open.filter { task in
                (task.dueAt.map { $0 > now } ?? false) && (task.slaThreshold != nil || (task.slaNextAt.map { $0 <= now } ?? false))
            }.count, "\(queue.queue) at risk")
            #expect(queue.breachedNow == open.filter { ($0.dueAt.map { $0 <= now } ?? false) || $0.slaStage == .breached }.count)
            // Completed today: the task's last arrival in `completed` happened today, and it is still completed.
            let completed = tasks.filter { task in
                guard task.state == .completed,
                      let last = world.histories[task.id]?.last(where: { $0.entry.toState == .completed && $0.entry.fromState != .completed })
                else { return false }
                return last.entry.time >= dayStart && last.entry.time <= now
            }
            #expect(queue.completedToday == completed.count, "\(queue.queue) completed today")
            #expect(queue.completedLateToday == completed.filter { $0.slaStage == .breached }.count)
            #expect(queue.breachedToday == tasks.filter { task in
                guard let due = task.dueAt, due >= dayStart, due <= now else { return false }
                return task.state.isActive || (completed.contains(task) && task.slaStage == .breached)
            }.count, "\(queue.queue) breached today")
        }
        #expect(world.dashboard.queues.contains { $0.completedToday > 0 }, "the sample completes work today")
    }

    @Test func flowFiguresMatchTheAuditHistories() throws {
        let world = try World()
        var arrivals = [Int](repeating: 0, count: 24), completions = [Int](repeating: 0, count: 24)
        var completionTasks = Set<TaskID>()
        var claimWaits: [TimeInterval] = [], workTimes: [TimeInterval] = [], pendingTimes: [TimeInterval] = []
        for task in world.tasks {
            let history = world.histories[task.id] ?? []
            var completionBuckets = Set<Int>()
            var lastClaim: TimeInterval?, lastCompletion: TimeInterval?, lastPending: TimeInterval?
            for record in world.inWindow(task) {
                let entry = record.entry
                let earlier = history.filter { $0.seq < record.seq }
                if entry.action == "create" { arrivals[world.bucket(entry.time)] += 1 }
                if entry.toState == .completed, entry.fromState != .completed {
                    completionBuckets.insert(world.bucket(entry.time))
                    completionTasks.insert(task.id)
                    if let start = earlier.last(where: { ["create", "reopen"].contains($0.entry.action) }) {
                        lastCompletion = entry.time.timeIntervalSince(start.entry.time)
                    }
                }
                if ["claim", "assign"].contains(entry.action), entry.fromState == .queued,
                   let entered = earlier.last(where: { $0.entry.toState == .queued && $0.entry.fromState != .queued }) {
                    lastClaim = entry.time.timeIntervalSince(entered.entry.time)
                }
                if entry.fromState == .pending, entry.toState != .pending,
                   let entered = earlier.last(where: { $0.entry.toState == .pending && $0.entry.fromState != .pending }) {
                    lastPending = entry.time.timeIntervalSince(entered.entry.time)
                }
            }
            for bucket in completionBuckets { completions[bucket] += 1 }
            if let lastClaim { claimWaits.append(lastClaim) }
            if let lastCompletion { workTimes.append(lastCompletion) }
            if let lastPending { pendingTimes.append(lastPending) }
        }
        let flow = world.dashboard.flow
        #expect(flow.arrivals == arrivals)
        #expect(flow.completions == completions)
        #expect(flow.arrivalsTotal == arrivals.reduce(0, +))
        #expect(flow.completionsTotal == completionTasks.count)
        try #require(flow.arrivalsTotal > 0 && flow.completionsTotal > 0 && claimWaits.count > 0 && pendingTimes.count >= 3,
                      "the sample exercises the flow figures")
        for (summary, values, name) in [(flow.timeToClaim, claimWaits, "claim"), (flow.timeToComplete, workTimes, "complete"),
                                        (flow.timePending, pendingTimes, "pending")] {
            let sorted = values.sorted()
            // Nearest rank, counted here: the value at 1-based rank ceil(p × n).
            let rank = { (p: Int) in (p * sorted.count + 99) / 100 }
            #expect(summary.count == sorted.count, "\(name)")
            #expect(summary.median == sorted[rank(50) - 1], "\(name) median")
            #expect(summary.p90 == sorted[rank(90) - 1], "\(name) p90")
        }
    }

    @Test func peopleFiguresMatchOwnersAndReassignments() throws {
        let world = try World()
        var open: [String: Int] = [:]
        for task in world.tasks where task.state.isActive {
            if let owner = task.owner { open[owner, default: 0] += 1 }
        }
        var reassigned: [String: Set<TaskID>] = [:]
        var all = Set<TaskID>()
        for task in world.tasks {
            for record in world.inWindow(task) where record.entry.action == "reassign" {
                all.insert(task.id)
                for name in [record.entry.detail["previousOwner"], record.entry.detail["owner"]].compactMap({ $0 }) {
                    reassigned[name, default: []].insert(task.id)
                }
            }
        }
        let people = world.dashboard.people
        #expect(Dictionary(uniqueKeysWithValues: people.people.filter { $0.openWork > 0 }.map { ($0.name, $0.openWork) }) == open)
        #expect(Dictionary(uniqueKeysWithValues: people.people.filter { $0.reassignments > 0 }.map { ($0.name, $0.reassignments) })
                == reassigned.mapValues(\.count))
        #expect(people.reassignments == all.count)
        #expect(all.count >= 3, "the test's own reassignments are counted")
        #expect(people.people.map(\.openWork) == people.people.map(\.openWork).sorted(by: >), "most open work first")
        let breakGlass = world.tasks.flatMap { task in
            world.inWindow(task).filter { $0.entry.action == "view" && $0.entry.detail["breakGlass"] != nil }.map { (task.id, $0.entry) }
        }
        #expect(breakGlass.count == 1, "the test's break-glass, and not marco's ordinary view")
        #expect(people.breakGlass.map(\.task) == breakGlass.map(\.0))
        #expect(people.breakGlass.first?.kind == .breakGlass(actor: "marco", reason: "patient in ED, lab call"))
    }

    @Test func everyDrillDownListsExactlyTheTasksBehindItsNumber() throws {
        let world = try World()
        let dashboard = world.dashboard
        var figures: [DashboardFigure] = [.claims, .pendingEnded, .reassignments(user: nil), .breakGlass,
                                          .arrivals(hour: nil), .completions(hour: nil)]
        figures += (0..<24).flatMap { [DashboardFigure.arrivals(hour: $0), .completions(hour: $0)] }
        for queue in dashboard.queues.map(\.queue) {
            figures += [.open(queue: queue, state: nil), .unassigned(queue: queue), .oldest(queue: queue), .atRisk(queue: queue),
                        .breachedNow(queue: queue), .breachedToday(queue: queue), .completedToday(queue: queue), .lateToday(queue: queue)]
            figures += TaskState.allCases.filter(\.isActive).map { .open(queue: queue, state: $0) }
        }
        for person in dashboard.people.people {
            figures += [.openWork(user: person.name), .reassignments(user: person.name)]
        }
        var nonZero = 0
        for figure in figures {
            let listed = try world.store.read { try $0.dashboardTasks(figure, in: world.scope) }
            #expect(listed.count == dashboard.count(of: figure), "\(figure)")
            #expect(Set(listed.map(\.id)).count == listed.count, "\(figure) lists each task once")
            if !listed.isEmpty { nonZero += 1 }
        }
        #expect(nonZero > figures.count / 3, "most figures have tasks behind them in the sample")

        // A few lists checked task by task, not only by count.
        let lab = "lab-results"
        let unassigned = try world.store.read { try $0.dashboardTasks(.unassigned(queue: lab), in: world.scope) }
        #expect(Set(unassigned.map(\.id)) == Set(world.tasks.filter { $0.queue == lab && $0.state.isActive && $0.owner == nil }.map(\.id)))
        let oldest = try world.store.read { try $0.dashboardTasks(.oldest(queue: lab), in: world.scope) }
        #expect(oldest.map(\.createdAt) == oldest.map(\.createdAt).sorted())
        #expect(oldest.first.map { Int(world.now.timeIntervalSince($0.createdAt)) } == dashboard.queues.first { $0.queue == lab }?.oldestAge)
        let zoe = try world.store.read { try $0.dashboardTasks(.openWork(user: "zoe"), in: world.scope) }
        #expect(Set(zoe.map(\.id)) == Set(world.tasks.filter { $0.state.isActive && $0.owner == "zoe" }.map(\.id)))
    }

    @Test func supervisorsSeeTheirQueuesAndOthersNone() throws {
        let fixture = try StoreFixture()
        let sam = try fixture.actor("sam"), cora = try fixture.actor("cora"), ada = try fixture.actor("ada")
        #expect(try fixture.store.read { try $0.supervisedQueues(of: sam) } == ["intake", "lab"])
        #expect(try fixture.store.read { try $0.supervisedQueues(of: cora) }.isEmpty)
        #expect(try fixture.store.read { try $0.supervisedQueues(of: ada) } == ["intake", "lab"], "admins oversee every queue")
    }
}
