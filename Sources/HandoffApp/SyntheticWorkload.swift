import Foundation
import HandoffCore

/// A large, realistic and entirely synthetic workload for benchmarks: care-team users, six queues
/// like `SampleData/queues.yaml`, and tasks in every state, each with the audit history that led there.
///
/// Deterministic: the same seed, size and `now` always give the same users, queues, tasks and audit
/// records, on any machine (no library randomness, no transcendental functions). Each task is computed
/// from the seed and its position alone, so tasks can be produced batch by batch in bounded memory and
/// the batches chosen never change them. Histories are replayed through ``Workflow`` — pure, no I/O —
/// so every audit record is exactly what the product would have written.
///
/// Task ids follow creation time, as in a real database. About 70 % of tasks are closed (completed
/// or cancelled) and spread evenly over two years; open tasks are minutes to six weeks old.
///
/// With SLA policies, every history is also replayed for its SLA state (``SLAReplay``), so the tasks
/// carry the SLA fields and pauses the store's own use cases would have given them. The sweeper is
/// taken never to have run: no threshold counts as acted on, and there are no `slaFired` records.
public struct SyntheticWorkload: Sendable {
    /// A generated user.
    public struct User: Hashable, Sendable {
        public var name: String
        public var displayName: String
        public var roles: Set<Role>
    }

    /// A generated queue with its people.
    public struct Queue: Hashable, Sendable {
        public var name: String
        public var title: String
        public var requiresReview: Bool
        /// Coordinators and nurses who work the queue.
        public var members: [String]
        public var supervisors: [String]
    }

    /// Consecutive tasks and their audit records, each task's history in time order after its creation,
    /// and the pauses of their SLA clocks.
    public struct Batch: Hashable, Sendable {
        public var tasks: [WorkTask]
        public var audit: [AuditEntry]
        public var pauses: [SLAPauseRecord]
    }

    /// The seed everything is derived from.
    public let seed: UInt64
    /// How many tasks the workload has; task ids run from 1 to `taskCount`.
    public let taskCount: Int
    /// The moment the workload leads up to, rounded down to a whole second: no generated time is later.
    public let now: Date
    /// Everyone: an admin, two service accounts, supervisors, coordinators and nurses.
    public let users: [User]
    /// The six queues; `lab-results` is the one that requires review.
    public let queues: [Queue]
    /// The SLA policies the tasks are measured against.
    public let slaPolicies: SLAPolicies

    private let people: [Actor]
    private let plans: [QueuePlan]
    private let sync: Int, sweeper: Int, admin: Int
    private let patientCount: Int

    /// A workload of `tasks` tasks leading up to `now`, derived from `seed`, measured against `slaPolicies`
    /// (none: no task has SLA fields, as in a database without policies).
    public init(seed: UInt64, tasks: Int, now: Date, slaPolicies: SLAPolicies = .none) {
        precondition(tasks >= 0, "a workload cannot have a negative number of tasks")
        self.seed = seed
        self.slaPolicies = slaPolicies
        self.taskCount = tasks
        self.now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        patientCount = max(200, tasks / 4)

        var rng = SplitMix64(seed: seed, stream: 0)
        var people = [
            Actor(name: "admin", roles: [.admin]),
            Actor(name: "handoff-sync", roles: [.service]),
            Actor(name: "handoff-sweeper", roles: [.service]),
        ]
        var displayNames = [Vocabulary.personName(&rng), "Sync worker", "Escalation sweeper"]
        admin = 0
        sync = 1
        sweeper = 2

        let specs = QueueSpec.all
        var memberIndexes = Array(repeating: [Int](), count: specs.count)
        var supervisorIndexes = Array(repeating: [Int](), count: specs.count)
        let supervisorCount = max(3, (tasks + 7_999) / 8_000)
        for number in 1...supervisorCount {
            let person = people.count
            people.append(Actor(name: "super-" + Vocabulary.padded(number, width: 3), roles: [.supervisor],
                                origin: Vocabulary.origin(&rng)))
            displayNames.append(Vocabulary.personName(&rng))
            // Every supervisor oversees two queues; three supervisors already cover all six.
            supervisorIndexes[(number - 1) % specs.count].append(person)
            supervisorIndexes[(number + 2) % specs.count].append(person)
        }

        // About one coordinator or nurse per 400 tasks. Each works a main queue, spread by the
        // queues' shares of the work, and a third also help out in a second queue. Lab results are
        // worked by nurses, who may sign off each other's work.
        let workerCount = max(12, (tasks + 399) / 400)
        let shares = QueueSpec.shares
        var counters: [Role: Int] = [:]
        for number in 0..<workerCount {
            let main = shares.index(atShare: (Double(number) + 0.5) / Double(workerCount))
            let role: Role = specs[main].requiresReview || rng.chance(0.3) ? .nurse : .coordinator
            counters[role, default: 0] += 1
            let person = people.count
            people.append(Actor(name: (role == .nurse ? "nurse-" : "coord-") + Vocabulary.padded(counters[role]!, width: 4),
                                roles: [role], origin: Vocabulary.origin(&rng)))
            displayNames.append(Vocabulary.personName(&rng))
            memberIndexes[main].append(person)
            if rng.chance(0.35) {
                var second = shares.pick(&rng)
                while second == main { second = shares.pick(&rng) }
                memberIndexes[second].append(person)
            }
        }
        for (queue, spec) in specs.enumerated() {
            // Every queue has at least two people to own work, and review queues two nurses.
            let needed: (Int) -> Bool = { spec.requiresReview ? people[$0].has(.nurse) : true }
            var candidate = 3 + supervisorCount
            while memberIndexes[queue].filter(needed).count < 2 {
                if needed(candidate), !memberIndexes[queue].contains(candidate) { memberIndexes[queue].append(candidate) }
                candidate += 1
            }
            memberIndexes[queue].sort()
        }

        self.people = people
        users = zip(people, displayNames).map { User(name: $0.name, displayName: $1, roles: $0.roles) }
        plans = specs.indices.map { QueuePlan(spec: specs[$0], members: memberIndexes[$0], supervisors: supervisorIndexes[$0], people: people) }
        queues = plans.map {
            Queue(name: $0.spec.name, title: $0.spec.title, requiresReview: $0.spec.requiresReview,
                  members: $0.members.map { people[$0].name }, supervisors: $0.supervisors.map { people[$0].name })
        }
    }

    /// When the users and queues were set up: a day before the oldest task.
    public var setUpTime: Date { now.addingTimeInterval(-AgeModel.history - 86_400) }

    /// The changes that create the users, the queues and their memberships, in order.
    public var directoryChanges: [DirectoryChange] {
        users.map { DirectoryChange.addUser(name: $0.name, displayName: $0.displayName, roles: $0.roles) }
            + queues.flatMap { queue in
                [DirectoryChange.addQueue(name: queue.name, title: queue.title, requiresReview: queue.requiresReview)]
                    + queue.members.map { DirectoryChange.addMember(queue: queue.name, user: $0) }
                    + queue.supervisors.map { DirectoryChange.addSupervisor(queue: queue.name, user: $0) }
            }
    }

    /// The tasks at `positions` (task `T-n` is at position `n - 1`) with their audit records.
    ///
    /// Throws only if the workflow rules refuse a generated history: a bug in the generator or a
    /// change in the rules it has not followed.
    public func batch(_ positions: Range<Int>) throws(TransitionError) -> Batch {
        precondition(positions.lowerBound >= 0 && positions.upperBound <= taskCount,
                     "positions \(positions) are outside the workload's 0..<\(taskCount)")
        var batch = Batch(tasks: [], audit: [], pauses: [])
        batch.tasks.reserveCapacity(positions.count)
        batch.audit.reserveCapacity(positions.count * 5)
        let meter = SLAMeter(policies: slaPolicies)
        for position in positions {
            batch.tasks.append(try task(at: position, audit: &batch.audit, pauses: &batch.pauses, meter: meter))
        }
        return batch
    }

    // MARK: - One task

    /// One step of a history: who does what.
    private struct Step {
        enum Move {
            case act(TaskAction)
            /// Pend for `reason`; `last` when the task stays pending, so the data may now be overdue.
            case pend(reason: String, last: Bool)
        }
        var actor: Int
        var move: Move
    }

    private func task(at position: Int, audit: inout [AuditEntry], pauses: inout [SLAPauseRecord],
                      meter: SLAMeter) throws(TransitionError) -> WorkTask {
        var rng = SplitMix64(seed: seed, stream: UInt64(position) + 1)
        let id = TaskID(Int64(position) + 1)
        // Positions in order take consecutive slices of the age distribution, oldest first.
        let age = AgeModel.age(atShare: (Double(taskCount - position) - rng.unit()) / Double(taskCount))
        let created = now.addingTimeInterval(-max(1, age.rounded(.up)))
        let plan = plans[QueueSpec.shares.pick(&rng)]
        let spec = plan.spec
        let state: TaskState = rng.chance(AgeModel.openProbability(age: age)) ? spec.openStates[spec.openWeights.pick(&rng)]
            : rng.chance(0.88) ? .completed : .cancelled
        let priority = Vocabulary.priorities[Vocabulary.priorityWeights.pick(&rng)]
        let patient = 100_000 + rng.below(patientCount)
        let content = spec.content(priority, id.number, patient, &rng)

        let byHand = rng.chance(spec.requiresReview ? 0.1 : 0.25)
        let creator = byHand ? plan.members[rng.below(plan.members.count)] : sync
        var draft = TaskDraft(
            queue: spec.name, title: content.title, kind: content.kind, priority: priority,
            subject: Reference("Patient/\(patient)"), subjectDisplay: Vocabulary.patientName(patient, seed: seed),
            focus: content.focus, correlationKey: content.correlated ? content.focus?.description : nil,
            traceID: byHand ? nil : Vocabulary.traceParent(&rng))

        // Who works it: usually claimed, sometimes assigned by a supervisor, now and then handed over.
        var owner = plan.members[rng.below(plan.members.count)]
        let supervisor = plan.supervisors[rng.below(plan.supervisors.count)]
        let taken = rng.chance(0.15) ? Step(actor: supervisor, move: .act(.assign(to: plan.assignee(owner, people), reason: nil)))
            : Step(actor: owner, move: .act(.claim))
        var worked = [taken]
        if rng.chance(0.06) {
            let index = plan.members.firstIndex(of: owner)!
            owner = plan.members[(index + 1 + rng.below(plan.members.count - 1)) % plan.members.count]
            worked.append(Step(actor: supervisor, move: .act(.assign(to: plan.assignee(owner, people), reason: "Shift change"))))
        }
        worked.append(Step(actor: owner, move: .act(.start)))
        if rng.chance(0.12) {
            worked += [Step(actor: owner, move: .pend(reason: rng.pick(spec.pendingReasons), last: false)),
                       Step(actor: owner, move: .act(.resume))]
        }
        let pendLast = Step.Move.pend(reason: content.pendingReason ?? rng.pick(spec.pendingReasons), last: true)

        var path: [Step]
        switch state {
        case .queued:
            let roll = rng.unit()
            path = roll < 0.08 ? [Step(actor: owner, move: .act(.claim)), Step(actor: owner, move: .act(.release))]
                : roll < 0.15 ? [Step(actor: sync, move: .pend(reason: rng.pick(spec.pendingReasons), last: false)),
                                 Step(actor: sync, move: .act(.resume))]
                : []
        case .assigned:
            path = [taken]
        case .inProgress:
            path = worked
        case .pending:
            path = rng.chance(0.35) ? [Step(actor: sync, move: pendLast)] : worked + [Step(actor: owner, move: pendLast)]
        case .review:
            path = worked + [Step(actor: owner, move: .act(.requestReview))]
        case .exception:
            let roll = rng.unit()
            if creator == sync, roll < 0.5 {
                draft.exception = content.exception
                path = []
            } else {
                path = roll < 0.75 ? worked + [Step(actor: owner, move: .act(.raiseException(content.exception)))]
                    : [Step(actor: sync, move: .act(.raiseException(content.exception)))]
            }
        case .completed:
            path = spec.requiresReview
                ? worked + [Step(actor: owner, move: .act(.requestReview)),
                            Step(actor: plan.reviewer(besides: owner, people, &rng), move: .act(.approve))]
                : worked + [Step(actor: owner, move: .act(.complete))]
        case .cancelled:
            let roll = rng.unit()
            let canceller = roll < 0.5 ? supervisor : roll < 0.9 ? sync : admin
            let cancel = Step(actor: canceller, move: .act(.cancel(reason: rng.pick(spec.cancelReasons))))
            let before = rng.unit()
            path = before < 0.7 ? [cancel]
                : before < 0.9 ? [taken, cancel]
                : [Step(actor: sync, move: .pend(reason: rng.pick(spec.pendingReasons), last: false)), cancel]
        }
        if rng.chance(0.04) {
            // Flagged by the sweeper or a supervisor while still open; the priority stays as it was.
            let escalation = Step(actor: rng.chance(0.7) ? sweeper : supervisor,
                                  move: .act(.escalate(reason: rng.pick(Vocabulary.escalationReasons), priority: nil)))
            path.insert(escalation, at: rng.below(state.isActive ? path.count + 1 : path.count))
        }

        let creation = try Workflow.create(draft, id: id, by: people[creator], access: plan.access(creator), at: created)
        var task = creation.task
        var sla = SLAReplay(meter: meter, created: task, at: created)
        audit.append(creation.audit)
        for (step, time) in zip(path, times(of: path.count, after: created, &rng)) {
            let action: TaskAction
            switch step.move {
            case let .act(chosen):
                action = chosen
            case let .pend(reason, last):
                action = .pend(reason: reason, expectedBy: expectedBy(pendedAt: time, last: last, &rng))
            }
            let outcome = try Workflow.apply(action, to: task, by: people[step.actor], access: plan.access(step.actor), at: time)
            sla.changed(to: outcome.task, by: action.kind, at: time)
            task = outcome.task
            audit.append(outcome.audit)
        }
        pauses += sla.pauses
        return sla.measured()
    }

    /// Times of `count` steps after `created`: minutes to days apart; for work too young for that,
    /// squeezed into some part of its life so far (not all ending the moment before `now`).
    private func times(of count: Int, after created: Date, _ rng: inout SplitMix64) -> [Date] {
        guard count > 0 else { return [] }
        var offsets: [Double] = []
        var total = 0.0
        for _ in 0..<count {
            total += rng.spread(from: 60, octaves: 11)
            offsets.append(total)
        }
        let room = max(0, now.timeIntervalSince(created) - 1)
        let scale = total <= room ? 1 : room * (0.1 + 0.9 * rng.unit()) / total
        return offsets.map { created.addingTimeInterval(($0 * scale).rounded(.down)) }
    }

    /// When pended data is expected: hours after pending; for a task still pending, mostly still
    /// ahead of `now`, but one in five overdue.
    private func expectedBy(pendedAt time: Date, last: Bool, _ rng: inout SplitMix64) -> Date {
        guard last else { return time.addingTimeInterval(rng.spread(from: 3_600, octaves: 6).rounded(.down)) }
        let room = now.timeIntervalSince(time)
        if rng.chance(0.2), room > 120 {
            return time.addingTimeInterval(60 + ((room - 120) * rng.unit()).rounded(.down))
        }
        return now.addingTimeInterval(rng.spread(from: 1_800, octaves: 7).rounded(.down))
    }
}

// MARK: - Queues

/// A queue's people as indexes into the workload's people, with what the rules need to know.
private struct QueuePlan: Sendable {
    let spec: QueueSpec
    let members: [Int]
    let supervisors: [Int]
    let nurses: [Int]
    let memberSet: Set<Int>
    let supervisorSet: Set<Int>

    init(spec: QueueSpec, members: [Int], supervisors: [Int], people: [Actor]) {
        self.spec = spec
        self.members = members
        self.supervisors = supervisors
        nurses = members.filter { people[$0].has(.nurse) }
        memberSet = Set(members)
        supervisorSet = Set(supervisors)
    }

    func access(_ person: Int) -> QueueAccess {
        QueueAccess(queue: spec.name, requiresReview: spec.requiresReview,
                    isMember: memberSet.contains(person), isSupervisor: supervisorSet.contains(person))
    }

    func assignee(_ person: Int, _ people: [Actor]) -> Assignee {
        Assignee(name: people[person].name, roles: people[person].roles, isMember: true)
    }

    /// A nurse of the queue other than `owner`, to sign off their work.
    func reviewer(besides owner: Int, _ people: [Actor], _ rng: inout SplitMix64) -> Int {
        let others = nurses.filter { $0 != owner }
        return others[rng.below(others.count)]
    }
}

/// What one of the six queues holds: its share of the work, its mix of open states, and its tasks.
private struct QueueSpec: Sendable {
    /// What one task is about.
    struct Content {
        var kind: String
        var title: String
        var focus: Reference?
        /// Whether later events find the task by its focus (`correlationKey`).
        var correlated: Bool
        var exception: ExceptionDetail
        /// A reason specific to this task, e.g. naming its payer.
        var pendingReason: String?
    }

    let name: String
    let title: String
    let requiresReview: Bool
    /// Fraction of all tasks.
    let share: Double
    let openStates: [TaskState]
    let openWeights: Weights
    let pendingReasons: [String]
    let cancelReasons: [String]
    let content: @Sendable (_ priority: Priority, _ id: Int64, _ patient: Int, _ rng: inout SplitMix64) -> Content

    init(name: String, title: String, requiresReview: Bool = false, share: Double,
         open: KeyValuePairs<TaskState, Double>, pendingReasons: [String], cancelReasons: [String],
         content: @escaping @Sendable (Priority, Int64, Int, inout SplitMix64) -> Content) {
        self.name = name
        self.title = title
        self.requiresReview = requiresReview
        self.share = share
        openStates = open.map(\.key)
        openWeights = Weights(open.map(\.value))
        self.pendingReasons = pendingReasons
        self.cancelReasons = cancelReasons
        self.content = content
    }

    static let shares = Weights(all.map(\.share))

    static let all: [QueueSpec] = [
        QueueSpec(
            name: "lab-results", title: "Lab results review", requiresReview: true, share: 0.30,
            open: [.queued: 30, .assigned: 12, .inProgress: 15, .pending: 8, .review: 25, .exception: 10],
            pendingReasons: ["Awaiting repeat specimen", "Awaiting callback from ordering provider", "Awaiting outside records"],
            cancelReasons: ["Duplicate order", "Result superseded by corrected report", "Patient transferred"]
        ) { priority, id, _, rng in
            let test = rng.pick(Vocabulary.labTests)
            let flag: LabTest.Flag = switch priority {
            case .stat: .critical
            case .asap: rng.chance(0.5) ? .critical : .abnormal
            case .urgent: .abnormal
            case .routine: rng.chance(0.6) ? .normal : .abnormal
            }
            return Content(kind: "lab-review", title: "Review \(test.result(flag, &rng)) (\(flag.rawValue))",
                           focus: Reference("DiagnosticReport/\(100_000 + id)"), correlated: true,
                           exception: ExceptionDetail(code: "missing_demographics",
                                                      context: ["missing": rng.pick(["date of birth", "date of birth, address", "insurance"])]))
        },
        QueueSpec(
            name: "referral-intake", title: "Referral intake", share: 0.20,
            open: [.queued: 38, .assigned: 15, .inProgress: 20, .pending: 17, .exception: 10],
            pendingReasons: ["Awaiting outside records", "Awaiting referral letter from PCP", "Awaiting specialist clinic reply"],
            cancelReasons: ["Referral withdrawn by patient", "Duplicate order", "Patient transferred"]
        ) { _, id, _, rng in
            Content(kind: "referral-intake", title: "Referral to \(rng.pick(Vocabulary.specialties)) — intake",
                    focus: Reference("ServiceRequest/\(100_000 + id)"), correlated: true,
                    exception: ExceptionDetail(code: "authorization_denied",
                                               context: ["payer": rng.pick(Vocabulary.payers), "reason": "Referral not covered under plan (synthetic)"]))
        },
        QueueSpec(
            name: "registration-exceptions", title: "Registration exceptions", share: 0.12,
            open: [.queued: 30, .assigned: 12, .inProgress: 15, .pending: 10, .exception: 33],
            pendingReasons: ["Awaiting insurance card copy from patient", "Awaiting callback from patient", "Awaiting payer eligibility response"],
            cancelReasons: ["Resolved at front desk", "Duplicate record", "Patient transferred"]
        ) { _, id, patient, rng in
            if rng.chance(0.55) {
                let missing = rng.pick(Vocabulary.missingDemographics)
                return Content(kind: "demographics-exception", title: "Missing demographics: \(missing)",
                               focus: Reference("Patient/\(patient)"), correlated: false,
                               exception: ExceptionDetail(code: "missing_demographics", context: ["missing": missing]))
            }
            let claim = 100_000 + id
            return Content(kind: "claim-exception", title: "Claim C-\(claim) failed validation",
                           focus: Reference("Claim/\(claim)"), correlated: false,
                           exception: ExceptionDetail(code: "claim_validation_failed",
                                                      context: ["claim": "Claim/\(claim)", "errors": rng.pick(Vocabulary.claimErrors)]))
        },
        QueueSpec(
            name: "prior-auth", title: "Prior authorization", share: 0.13,
            open: [.queued: 28, .assigned: 12, .inProgress: 14, .pending: 22, .exception: 24],
            pendingReasons: ["Awaiting clinical notes from ordering provider", "Awaiting payer portal update"],
            cancelReasons: ["Service no longer planned", "Duplicate order", "Payer does not require authorization"]
        ) { _, id, _, rng in
            let payer = rng.pick(Vocabulary.payers)
            return Content(kind: "prior-authorization", title: "Prior auth for \(rng.pick(Vocabulary.authServices)) — \(payer)",
                           focus: Reference("ServiceRequest/\(100_000 + id)"), correlated: true,
                           exception: ExceptionDetail(code: "authorization_denied",
                                                      context: ["payer": payer, "reason": rng.pick(Vocabulary.denials)]),
                           pendingReason: "Awaiting authorization from \(payer)")
        },
        QueueSpec(
            name: "care-followup", title: "Care-coordination follow-up", share: 0.18,
            open: [.queued: 38, .assigned: 15, .inProgress: 22, .pending: 15, .exception: 10],
            pendingReasons: ["Awaiting patient callback", "Awaiting clinic availability", "Awaiting transport booking"],
            cancelReasons: ["Patient transferred", "Appointment no longer needed", "Duplicate order"]
        ) { _, id, _, rng in
            let exception = ExceptionDetail(code: "missing_demographics", context: ["missing": "phone"])
            if rng.chance(0.5) {
                return Content(kind: "reschedule", title: "\(rng.pick(Vocabulary.reschedules)) \(rng.pick(Vocabulary.specialties)) appointment",
                               focus: Reference("Appointment/\(100_000 + id)"), correlated: false, exception: exception)
            }
            return Content(kind: "follow-up-call", title: rng.pick(Vocabulary.followUpCalls),
                           focus: Reference("Encounter/\(100_000 + id)"), correlated: false, exception: exception)
        },
        QueueSpec(
            name: "escalations", title: "Escalations", share: 0.07,
            open: [.queued: 35, .assigned: 15, .inProgress: 25, .pending: 15, .exception: 10],
            pendingReasons: ["Awaiting on-call physician callback", "Awaiting supervisor decision"],
            cancelReasons: ["Duplicate escalation", "Resolved before escalation review", "Patient transferred"]
        ) { priority, id, _, rng in
            let exception = ExceptionDetail(code: "authorization_denied",
                                            context: ["payer": rng.pick(Vocabulary.payers), "reason": "Not medically necessary (synthetic)"])
            if rng.chance(0.5) {
                let test = rng.pick(Vocabulary.labTests).name
                let title = priority >= .asap ? "Escalated: critical \(test) not acknowledged in \(rng.pick(["30m", "1h", "2h"]))"
                    : "Escalated: abnormal \(test) unreviewed for \(rng.pick(["1d", "2d", "3d"]))"
                return Content(kind: "escalated-review", title: title,
                               focus: Reference("DiagnosticReport/\(100_000 + id)"), correlated: false, exception: exception)
            }
            return Content(kind: "escalated-review",
                           title: "Escalated: referral to \(rng.pick(Vocabulary.specialties)) waiting \(5 + rng.below(17)) days",
                           focus: Reference("ServiceRequest/\(100_000 + id)"), correlated: false, exception: exception)
        },
    ]
}

// MARK: - Time

/// How old tasks are. Two populations: closed work spread evenly over two years (70 % of tasks), and
/// open work whose age is equally likely to fall in any of twelve ranges — under 30 minutes, then
/// doubling up to six weeks — so most open tasks are hours to days old.
///
/// The age density is piecewise constant, so its quantiles are exact and tasks taken in order of
/// position are in order of age; whether a task is open is then decided by the share of open work
/// at its age, which gives the same joint distribution as choosing the population first.
private enum AgeModel {
    static let history: TimeInterval = 730 * 86_400
    static let closedShare = 0.70
    static let youngestOctave: TimeInterval = 30 * 60
    static let openRanges = 12

    /// A stretch of ages with constant density.
    struct Segment {
        var start: TimeInterval
        var end: TimeInterval
        /// The share of tasks younger than `start`.
        var before: Double
        var density: Double
        var openDensity: Double
    }

    static let segments: [Segment] = {
        let closedDensity = closedShare / history
        let openPerRange = (1 - closedShare) / Double(openRanges)
        var bounds: [TimeInterval] = [0]
        var width = youngestOctave
        for _ in 0..<openRanges {
            bounds.append(bounds.last! + width)
            if bounds.count > 2 { width *= 2 }
        }
        bounds.append(history)
        var segments: [Segment] = []
        var before = 0.0
        for (start, end) in zip(bounds, bounds.dropFirst()) {
            let open = segments.count < openRanges ? openPerRange / (end - start) : 0
            segments.append(Segment(start: start, end: end, before: before, density: closedDensity + open, openDensity: open))
            before += (closedDensity + open) * (end - start)
        }
        return segments
    }()

    /// The age below which `share` (0...1) of all tasks fall.
    static func age(atShare share: Double) -> TimeInterval {
        for segment in segments where share <= segment.before + segment.density * (segment.end - segment.start) {
            return segment.start + (share - segment.before) / segment.density
        }
        return history
    }

    /// The share of tasks of this age that are still open.
    static func openProbability(age: TimeInterval) -> Double {
        guard let segment = segments.first(where: { age < $0.end }) else { return 0 }
        return segment.openDensity / segment.density
    }
}

// MARK: - Vocabulary

/// Lab tests with values in tenths or units, for titles such as `Review potassium 6.1 mmol/L (critical)`.
private struct LabTest: Sendable {
    enum Flag: String { case normal, abnormal, critical }

    let name: String
    let unit: String
    /// Values are stored multiplied by 10 when `tenths`.
    let tenths: Bool
    let normal: ClosedRange<Int>
    let abnormal: ClosedRange<Int>
    let critical: ClosedRange<Int>

    func result(_ flag: Flag, _ rng: inout SplitMix64) -> String {
        let range = switch flag {
        case .normal: normal
        case .abnormal: abnormal
        case .critical: critical
        }
        let value = range.lowerBound + rng.below(range.count)
        let text = tenths ? "\(value / 10).\(value % 10)" : "\(value)"
        return unit.isEmpty ? "\(name) \(text)" : "\(name) \(text) \(unit)"
    }
}

/// Words the generated tasks and people are made of: all invented.
private enum Vocabulary {
    static let priorities: [Priority] = [.routine, .urgent, .asap, .stat]
    static let priorityWeights = Weights([70, 20, 7, 3])

    static let labTests = [
        LabTest(name: "potassium", unit: "mmol/L", tenths: true, normal: 35...50, abnormal: 51...59, critical: 60...68),
        LabTest(name: "sodium", unit: "mmol/L", tenths: false, normal: 136...145, abnormal: 146...154, critical: 156...162),
        LabTest(name: "creatinine", unit: "mg/dL", tenths: true, normal: 6...12, abnormal: 13...30, critical: 45...75),
        LabTest(name: "troponin I", unit: "ng/L", tenths: false, normal: 2...25, abnormal: 27...95, critical: 120...1800),
        LabTest(name: "INR", unit: "", tenths: true, normal: 9...12, abnormal: 13...44, critical: 50...80),
        LabTest(name: "hemoglobin", unit: "g/dL", tenths: true, normal: 120...165, abnormal: 81...119, critical: 52...69),
        LabTest(name: "glucose", unit: "mg/dL", tenths: false, normal: 70...99, abnormal: 126...340, critical: 460...610),
        LabTest(name: "platelets", unit: "10^9/L", tenths: false, normal: 150...400, abnormal: 80...140, critical: 8...45),
        LabTest(name: "lactate", unit: "mmol/L", tenths: true, normal: 5...19, abnormal: 21...39, critical: 42...90),
        LabTest(name: "calcium", unit: "mg/dL", tenths: true, normal: 86...102, abnormal: 105...126, critical: 132...150),
    ]
    static let specialties = [
        "cardiology", "dermatology", "endocrinology", "gastroenterology", "neurology", "oncology", "orthopedics",
        "physical therapy", "pulmonology", "rheumatology", "urology", "nephrology", "ophthalmology", "sleep medicine",
    ]
    static let authServices = [
        "MRI lumbar spine", "MRI brain with contrast", "CT abdomen/pelvis", "PET-CT", "knee arthroscopy", "sleep study",
        "CPAP device", "home oxygen", "echocardiogram", "colonoscopy", "insulin pump", "cataract surgery",
    ]
    static let payers = [
        "Acme Health Plan (fake payer)", "Northwind Mutual (fake payer)", "Contoso Care (fake payer)",
        "Fabrikam Health (fake payer)", "Tailspin Assurance (fake payer)",
    ]
    static let denials = [
        "Not medically necessary (synthetic)", "Out-of-network provider (synthetic)", "Missing clinical documentation (synthetic)",
    ]
    static let missingDemographics = [
        "phone", "address", "insurance", "date of birth", "phone, address", "insurance, emergency contact",
        "address, preferred language", "phone, insurance, date of birth",
    ]
    static let claimErrors = [
        "subscriber.id: required; payer: unknown", "diagnosis[0].code: not billable", "provider.npi: invalid checksum (synthetic)",
        "serviceDate: after submission date", "payer: unknown; coverage: inactive",
    ]
    static let reschedules = ["Reschedule cancelled", "Reschedule missed", "Book overdue"]
    static let followUpCalls = [
        "Follow-up call after discharge", "Follow-up call after ED visit", "Follow-up call: medication adherence check",
        "Post-procedure follow-up call", "Follow-up call: home care needs",
    ]
    static let escalationReasons = ["Not picked up within the expected time", "Due time passed", "Patient called again"]

    // MARK: Names

    private static let syllables = [
        "ba", "bel", "da", "dor", "fa", "gan", "ka", "kel", "la", "lin", "ma", "mor", "na", "nel", "pa", "quin",
        "ra", "ren", "sa", "sol", "ta", "tor", "va", "ven", "za", "zel", "ri", "to", "mi", "lu",
    ]
    private static let accented = ["lé", "rø", "mä", "ño", "çi", "bå", "šu", "ží", "ôn", "ül", "ñe", "ï"]
    private static let hanFamily = ["李", "王", "張", "劉", "陳", "楊", "趙", "黃", "周", "吳"]
    private static let hanGiven = ["偉", "芳", "娜", "敏", "靜", "麗", "強", "磊", "洋", "勇", "軍", "傑", "濤", "明"]
    private static let hangulFamily = ["김", "이", "박", "최", "정", "강"]
    private static let hangulGiven = ["민", "준", "서", "연", "지", "현", "우", "수", "하", "윤"]

    /// The display name of patient `number`: always the same for the same patient and seed.
    static func patientName(_ number: Int, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed, stream: 1 << 63 | UInt64(number))
        return personName(&rng)
    }

    /// An invented name: mostly made-up Latin syllables, some with accents, some Chinese or Korean.
    static func personName(_ rng: inout SplitMix64) -> String {
        let roll = rng.unit()
        if roll < 0.05 {
            return rng.pick(hanFamily) + (0..<(1 + rng.below(2))).map { _ in rng.pick(hanGiven) }.joined()
        }
        if roll < 0.08 {
            return rng.pick(hangulFamily) + rng.pick(hangulGiven) + rng.pick(hangulGiven)
        }
        let accent = roll < 0.25
        return word(&rng, accent: accent && rng.chance(0.5)) + " " + word(&rng, accent: accent)
    }

    private static func word(_ rng: inout SplitMix64, accent: Bool) -> String {
        var parts = (0..<(2 + rng.below(2))).map { _ in rng.pick(syllables) }
        if accent { parts[rng.below(parts.count)] = rng.pick(accented) }
        let text = parts.joined()
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Where a person works from: their desk, or over SSH from a documentation address.
    static func origin(_ rng: inout SplitMix64) -> String {
        rng.chance(0.5) ? "local" : "ssh 192.0.2.\(1 + rng.below(254))"
    }

    /// A W3C `traceparent`: `00-<32 hex>-<16 hex>-01`.
    static func traceParent(_ rng: inout SplitMix64) -> String {
        "00-\(hex(rng.next()))\(hex(rng.next()))-\(hex(rng.next() | 1))-01"
    }

    /// `number` with leading zeros up to `width` digits.
    static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

// MARK: - Randomness

/// Relative weights for choosing among alternatives.
private struct Weights: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        var total = 0.0
        cumulative = weights.map { total += $0; return total }
    }

    /// The alternative whose slice of the total holds `share` (0..<1).
    func index(atShare share: Double) -> Int {
        let point = share * cumulative.last!
        return cumulative.firstIndex { point < $0 } ?? cumulative.count - 1
    }

    func pick(_ rng: inout SplitMix64) -> Int { index(atShare: rng.unit()) }
}
