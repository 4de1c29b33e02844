import Foundation
import HandoffApp
import HandoffCore
import Testing

/// The synthetic workload is deterministic, distributed like real work, and obeys the workflow.
struct SyntheticWorkloadTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000.75)
    static let large = SyntheticWorkload(seed: 42, tasks: 20_000, now: now)
    /// All of `large`, generated once for the tests that look at distributions and invariants.
    static let largeBatch = Result { () throws(TransitionError) in try large.batch(0..<20_000) }

    // MARK: - Determinism

    @Test func theSameSeedGivesTheSameWorkload() throws {
        let first = SyntheticWorkload(seed: 7, tasks: 3_000, now: Self.now)
        let second = SyntheticWorkload(seed: 7, tasks: 3_000, now: Self.now)
        #expect(first.users == second.users)
        #expect(first.queues == second.queues)
        #expect(first.directoryChanges == second.directoryChanges)
        #expect(try first.batch(0..<3_000) == second.batch(0..<3_000))
    }

    @Test func batchesDoNotChangeTheWorkload() throws {
        let workload = SyntheticWorkload(seed: 7, tasks: 3_000, now: Self.now)
        let whole = try workload.batch(0..<3_000)
        let parts = try [0..<1_000, 1_000..<1_001, 1_001..<3_000].map { try workload.batch($0) }
        #expect(parts.flatMap(\.tasks) == whole.tasks)
        #expect(parts.flatMap(\.audit) == whole.audit)
        #expect(whole.tasks.map(\.id) == (1...3_000).map { TaskID(Int64($0)) })
    }

    @Test func anotherSeedGivesAnotherWorkload() throws {
        let one = SyntheticWorkload(seed: 1, tasks: 500, now: Self.now)
        let two = SyntheticWorkload(seed: 2, tasks: 500, now: Self.now)
        #expect(one.users.map(\.displayName) != two.users.map(\.displayName))
        let first = try one.batch(0..<500).tasks, second = try two.batch(0..<500).tasks
        #expect(zip(first, second).filter { $0.title == $1.title }.count < 100)
        #expect(zip(first, second).filter { $0.createdAt == $1.createdAt }.count < 100)
    }

    // MARK: - People and queues

    @Test func theDirectoryScalesWithTheWork() throws {
        func workers(_ workload: SyntheticWorkload) -> Int {
            workload.users.filter { !$0.roles.isDisjoint(with: Role.workers) }.count
        }
        #expect(workers(SyntheticWorkload(seed: 1, tasks: 100, now: Self.now)) == 12)
        #expect(workers(Self.large) == 50)
        #expect(Set(Self.large.users.flatMap(\.roles)) == Set(Role.allCases))
        #expect(Set(Self.large.users.map(\.name)).count == Self.large.users.count)
        #expect(Self.large.queues.map(\.name)
            == ["lab-results", "referral-intake", "registration-exceptions", "prior-auth", "care-followup", "escalations"])
        #expect(Self.large.queues.filter(\.requiresReview).map(\.name) == ["lab-results"])
        for queue in Self.large.queues {
            #expect(queue.members.count >= 2 && !queue.supervisors.isEmpty, "\(queue.name)")
        }
        let admin = Actor(name: "root", roles: [.admin])
        for change in Self.large.directoryChanges {
            #expect(throws: Never.self) { try Directory.authorize(change, by: admin, at: Self.now) }
        }
    }

    // MARK: - Distributions

    @Test func statesAndPrioritiesAreMixedLikeRealWork() throws {
        let tasks = try Self.largeBatch.get().tasks
        func share(_ predicate: (WorkTask) -> Bool) -> Double {
            Double(tasks.filter(predicate).count) / Double(tasks.count)
        }
        #expect(abs(share { !$0.state.isActive } - 0.70) < 0.02)
        #expect(abs(share { $0.state == .cancelled } - 0.70 * 0.12) < 0.015)
        #expect(Set(tasks.map(\.state)) == Set(TaskState.allCases))
        for (priority, expected) in [(Priority.routine, 0.70), (.urgent, 0.20), (.asap, 0.07), (.stat, 0.03)] {
            #expect(abs(share { $0.priority == priority } - expected) < 0.015, "\(priority)")
        }
        let pending = tasks.filter { $0.state == .pending }
        let overdue = Double(pending.filter { $0.expectedBy! < Self.large.now }.count) / Double(pending.count)
        #expect(abs(overdue - 0.2) < 0.06)
        #expect(abs(share { $0.escalated } - 0.04) < 0.01)
    }

    @Test func closedWorkIsOldAndOpenWorkIsYoung() throws {
        let tasks = try Self.largeBatch.get().tasks
        let day = 86_400.0
        func ages(open: Bool) -> [TimeInterval] {
            tasks.filter { $0.state.isActive == open }.map { Self.large.now.timeIntervalSince($0.createdAt) }.sorted()
        }
        let closed = ages(open: false), open = ages(open: true)
        #expect(closed.last! <= 730 * day)
        #expect(abs(closed[closed.count / 2] - 365 * day) < 30 * day, "closed work is spread over two years")
        #expect(open.last! <= 43 * day)
        #expect(open.first! < 3_600)
        #expect((3_600...4 * day).contains(open[open.count / 2]), "open work is mostly hours to days old")
        #expect(zip(tasks, tasks.dropFirst()).allSatisfy { $0.createdAt <= $1.createdAt }, "ids follow creation time")
    }

    @Test func theLastDayHasArrivalsClaimsAndCompletions() throws {
        let recent = try Self.largeBatch.get().audit.filter { $0.time > Self.large.now.addingTimeInterval(-86_400) }
        func count(_ action: String) -> Int { recent.filter { $0.action == action }.count }
        // Open work is young and closed work two years old: far more arrives in a day than is finished.
        #expect(count("create") > 2_000)
        #expect(count("claim") > 500)
        #expect(count("complete") + count("approve") > 10)
    }

    @Test func patientsHaveInventedNamesInSeveralScripts() throws {
        let tasks = try Self.largeBatch.get().tasks
        let names = Set(tasks.compactMap(\.subjectDisplay))
        #expect(names.count > 1_000)
        #expect(names.contains { $0.unicodeScalars.contains { DisplayText.width(String($0)) == 2 } }, "CJK names")
        #expect(names.contains { $0.unicodeScalars.contains { !$0.isASCII && $0.properties.isAlphabetic && DisplayText.width(String($0)) == 1 } },
                "accented names")
        var nameOf: [Reference: String] = [:]
        let renamed = tasks.filter { task in
            guard let patient = task.subject, let name = task.subjectDisplay else { return true }
            defer { nameOf[patient] = name }
            return nameOf[patient, default: name] != name
        }
        #expect(renamed.isEmpty, "every task has a patient, and a patient keeps their name")
        #expect(tasks.allSatisfy { $0.subject?.type == "Patient" && $0.focus != nil })
    }

    // MARK: - Invariants

    @Test func everyTaskAndItsHistoryObeyTheWorkflow() throws {
        let workload = Self.large
        let batch = try Self.largeBatch.get()
        let queues = Dictionary(uniqueKeysWithValues: workload.queues.map { ($0.name, $0) })
        let roles = Dictionary(uniqueKeysWithValues: workload.users.map { ($0.name, $0.roles) })
        let histories = Dictionary(grouping: batch.audit) { $0.taskID }
        var problems: [String] = []
        func check(_ condition: Bool, _ problem: @autoclosure () -> String) {
            if !condition { problems.append(problem()) }
        }
        for task in batch.tasks {
            let queue = queues[task.queue]!
            if let owner = task.owner {
                check(queue.members.contains(owner) && !roles[owner]!.isDisjoint(with: Role.workers),
                      "\(task.id) is owned by \(owner), who does not work \(queue.name)")
            }
            switch task.state {
            case .assigned, .inProgress, .review: check(task.owner != nil, "\(task.id) is \(task.state.rawValue) without an owner")
            case .queued: check(task.owner == nil, "\(task.id) is queued with an owner")
            default: break
            }
            check(task.state != .review || queue.requiresReview, "\(task.id) is in review in \(queue.name)")

            let history = histories[task.id] ?? []
            check(history.first?.action == "create" && history.first?.time == task.createdAt, "\(task.id) does not start with its creation")
            check(zip(history, history.dropFirst()).allSatisfy { $0.time <= $1.time && $0.toState == $1.fromState },
                  "\(task.id): times go back or states do not follow on")
            check(history.allSatisfy { $0.time <= workload.now }, "\(task.id) has a record after now")
            check(history.allSatisfy { roles[$0.actor]?.contains($0.actorRole) == true }, "\(task.id) has an actor without their role")
            check(history.last?.toState == task.state, "\(task.id) ends \(task.state.rawValue), its history does not")
            check(task.version == history.count && task.updatedAt == history.last?.time && task.updatedBy == history.last?.actor,
                  "\(task.id): version, updatedAt or updatedBy do not match its history")
        }
        check(histories.count == batch.tasks.count, "audit records of tasks that do not exist")
        #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(5))")
    }

    // MARK: - SLA state

    @Test func tasksCarryTheirSLAStateWhateverTheBatches() throws {
        let policies = try #require(try SampleData.load(from: SeederTests.sampleFolder).sla).policies
        let workload = SyntheticWorkload(seed: 7, tasks: 3_000, now: Self.now, slaPolicies: policies)
        let whole = try workload.batch(0..<3_000)
        let parts = try [0..<1_000, 1_000..<1_001, 1_001..<3_000].map { try workload.batch($0) }
        #expect(parts.flatMap(\.tasks) == whole.tasks)
        #expect(parts.flatMap(\.pauses) == whole.pauses)
        #expect(try SyntheticWorkload(seed: 7, tasks: 3_000, now: Self.now, slaPolicies: policies).batch(0..<3_000) == whole)

        let stages = Dictionary(grouping: whole.tasks) { $0.slaStage }.mapValues(\.count)
        #expect(stages[nil] == nil, "every queue has a policy")
        #expect(stages[.cancelled] == whole.tasks.filter { $0.state == .cancelled }.count)
        #expect(stages[.met, default: 0] + stages[.breached, default: 0] > whole.tasks.filter { $0.state == .completed }.count,
                "completed work is met or breached, and open work may be breached")
        #expect(stages[.paused, default: 0] > 0 && stages[.running, default: 0] > 0)
        // Pending is the only state the sample policies pause in. (A task pended again within the second its
        // last pause started and ended is not in one: the store keys pauses by their start.)
        let pending = Set(whole.tasks.filter { $0.state == .pending }.map(\.id))
        let paused = Set(whole.pauses.filter { $0.pause.end == nil }.map(\.task))
        #expect(!paused.isEmpty && paused.isSubset(of: pending))
    }

    @Test func withoutPoliciesTheSameHistoriesHaveNoSLAState() throws {
        let policies = try #require(try SampleData.load(from: SeederTests.sampleFolder).sla).policies
        let measured = try SyntheticWorkload(seed: 7, tasks: 500, now: Self.now, slaPolicies: policies).batch(0..<500)
        let plain = try SyntheticWorkload(seed: 7, tasks: 500, now: Self.now).batch(0..<500)
        #expect(plain.audit == measured.audit)
        #expect(plain.pauses.isEmpty)
        #expect(plain.tasks.allSatisfy { $0.slaStage == nil && $0.dueAt == nil && $0.slaNextAt == nil && $0.slaThreshold == nil })
    }
}
