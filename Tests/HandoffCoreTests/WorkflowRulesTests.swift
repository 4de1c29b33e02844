import Foundation
import HandoffCore
import Testing

/// The rules the main table's fixture does not reach: membership, review queues,
/// own work, assignment eligibility, creation and input checks.
struct WorkflowRulesTests {
    let fixture = Fixture()

    @Test func coordinatorOutsideTheQueueIsToldToJoinIt() {
        var outside = fixture
        outside.members = ["nina"]
        let cora = fixture.actors["cora"]!
        #expect(throws: TransitionError.notInQueue(action: .claim, queue: "q")) {
            try Workflow.apply(.claim, to: outside.task(in: .queued), by: cora, access: outside.access(for: cora), at: fixture.later)
        }
        #expect(throws: TransitionError.notInQueue(action: .note, queue: "q")) {
            try Workflow.apply(.note("x"), to: outside.task(in: .queued), by: cora, access: outside.access(for: cora), at: fixture.later)
        }
    }

    @Test func supervisorOfAnotherQueueIsNotInThisOne() {
        var other = fixture
        other.supervisors = []
        let sam = fixture.actors["sam"]!
        #expect(throws: TransitionError.notInQueue(action: .cancel, queue: "q")) {
            try Workflow.apply(.cancel(reason: "dup"), to: other.task(in: .queued), by: sam, access: other.access(for: sam), at: fixture.later)
        }
    }

    @Test func reviewQueueRequiresReviewInsteadOfComplete() throws {
        var reviewed = fixture
        reviewed.requiresReview = true
        let cora = fixture.actors["cora"]!
        let task = reviewed.task(in: .inProgress)
        let outcome = try Workflow.apply(.requestReview, to: task, by: cora, access: reviewed.access(for: cora), at: fixture.later)
        #expect(outcome.task.state == .review)
        #expect(throws: TransitionError.reviewRequired(queue: "q")) {
            try Workflow.apply(.complete, to: task, by: cora, access: reviewed.access(for: cora), at: fixture.later)
        }
    }

    @Test func aNurseMayNotApproveTheirOwnWork() throws {
        let nina = fixture.actors["nina"]!
        let own = fixture.task(in: .review, owner: "nina")
        #expect(throws: TransitionError.ownWork(task: own.id)) {
            try Workflow.apply(.approve, to: own, by: nina, access: fixture.access(for: nina), at: fixture.later)
        }
        let other = Actor(name: "zoe", roles: [.nurse])
        var withZoe = fixture
        withZoe.members.insert("zoe")
        let outcome = try Workflow.apply(.approve, to: own, by: other, access: withZoe.access(for: other), at: fixture.later)
        #expect(outcome.task.state == .completed)
        #expect(outcome.audit.detail["reviewer"] == "zoe")
    }

    @Test func illegalActionListsWhatIsAllowedNow() {
        let cora = fixture.actors["cora"]!
        let task = fixture.task(in: .pending)
        do {
            _ = try Workflow.apply(.start, to: task, by: cora, access: fixture.access(for: cora), at: fixture.later)
            Issue.record("start from pending must fail")
        } catch {
            #expect(error == .illegalFromState(action: .start, task: task.id, state: .pending,
                                               allowed: [.note, .resume, .raiseException]))
            #expect(error.description.contains("allowed now: note, resume, raise-exception"))
        }
    }

    @Test func returnToQueueClearsTheOwner() throws {
        let sync = fixture.actors["sync"]!
        let outcome = try Workflow.apply(.returnFromReview(note: "Amended result", toQueue: true),
                                         to: fixture.task(in: .review), by: sync, access: fixture.access(for: sync), at: fixture.later)
        #expect(outcome.task.state == .queued)
        #expect(outcome.task.owner == nil)
        #expect(outcome.note == "Amended result")
    }

    @Test func resolveOutcomesLeadToTheirStates() throws {
        let sam = fixture.actors["sam"]!
        for (outcome, state) in [(ExceptionOutcome.requeue, TaskState.queued), (.completed, .completed), (.failed, .cancelled)] {
            let result = try Workflow.apply(.resolveException(outcome, note: "done"), to: fixture.task(in: .exception),
                                            by: sam, access: fixture.access(for: sam), at: fixture.later)
            #expect(result.task.state == state)
            #expect(result.task.resolution == outcome)
        }
    }

    @Test func reassignRecordsThePreviousOwner() throws {
        let sam = fixture.actors["sam"]!
        let outcome = try Workflow.apply(.assign(to: Assignee(name: "marco", roles: [.coordinator], isMember: true), reason: "cora is off sick"),
                                         to: fixture.task(in: .inProgress), by: sam, access: fixture.access(for: sam), at: fixture.later)
        #expect(outcome.task.owner == "marco")
        #expect(outcome.audit.action == "reassign")
        #expect(outcome.audit.detail == ["owner": "marco", "previousOwner": "cora", "reason": "cora is off sick"])
    }

    @Test func aSupervisorOfTheQueueMayBeGivenTheTaskAndThenWorksItAsOwner() throws {
        let sam = fixture.actors["sam"]!
        let supervisor = Assignee(name: "sam", roles: [.supervisor], isMember: false, isSupervisor: true)
        let byHand = try Workflow.apply(.assign(to: supervisor, reason: nil), to: fixture.task(in: .queued), by: sam,
                                        access: fixture.access(for: sam), at: fixture.later)
        #expect(byHand.task.state == .assigned)
        #expect(byHand.task.owner == "sam")
        #expect(Workflow.availableActions(on: byHand.task, for: sam, access: fixture.access(for: sam))
            == [.note, .reprioritise, .assign, .release, .start, .pend, .raiseException, .cancel, .escalate, .move])

        let sync = fixture.actors["sync"]!
        let bySweeper = try Workflow.apply(.assign(to: supervisor, reason: "SLA breach: 100 % of the goal used"),
                                           to: fixture.task(in: .inProgress), by: sync, access: fixture.access(for: sync), at: fixture.later)
        #expect(bySweeper.task.state == .inProgress)
        #expect(bySweeper.audit.action == "reassign")
        #expect(bySweeper.audit.actorRole == .service)
        #expect(bySweeper.audit.detail == ["owner": "sam", "previousOwner": "cora", "reason": "SLA breach: 100 % of the goal used"])
    }

    @Test(arguments: [
        (Assignee(name: "zed", roles: [.coordinator], isMember: false), "they are not a member of the queue"),
        (Assignee(name: "zed", roles: [.coordinator], isMember: false, isSupervisor: true), "they are not a member of the queue"),
        (Assignee(name: "zed", roles: [.supervisor], isMember: true), "they do not supervise the queue"),
        (Assignee(name: "zed", roles: [.nurse, .supervisor], isMember: false), "they neither belong to nor supervise the queue"),
        (Assignee(name: "zed", roles: [.admin], isMember: true, isSupervisor: true), "they have no coordinator, nurse or supervisor role"),
        (Assignee(name: "zed", roles: [.nurse], isMember: true, isDisabled: true), "the account is disabled"),
        (Assignee(name: "zed", roles: [.supervisor], isMember: false, isSupervisor: true, isDisabled: true), "the account is disabled"),
    ])
    func ineligibleAssigneesAreRefused(assignee: Assignee, reason: String) {
        let sam = fixture.actors["sam"]!
        #expect(throws: TransitionError.assigneeNotEligible(user: "zed", queue: "q", reason: reason)) {
            try Workflow.apply(.assign(to: assignee, reason: nil), to: fixture.task(in: .queued), by: sam,
                               access: fixture.access(for: sam), at: fixture.later)
        }
    }

    @Test func missingInputIsNamed() {
        let sam = fixture.actors["sam"]!
        let access = fixture.access(for: sam)
        #expect(throws: TransitionError.invalidInput(field: "reason", problem: "must not be empty")) {
            try Workflow.apply(.cancel(reason: "  "), to: fixture.task(in: .queued), by: sam, access: access, at: fixture.later)
        }
        #expect(throws: TransitionError.invalidInput(field: "expected-by", problem: "must be in the future")) {
            try Workflow.apply(.pend(reason: "x", expectedBy: fixture.created), to: fixture.task(in: .queued), by: sam, access: access, at: fixture.later)
        }
        #expect(throws: TransitionError.invalidInput(field: "priority", problem: "T-7 is already routine")) {
            try Workflow.apply(.reprioritise(.routine), to: fixture.task(in: .queued), by: sam, access: access, at: fixture.later)
        }
    }

    @Test(arguments: [
        ("cora", true, false, "queued"), ("cora", false, false, "Q"), ("nina", false, false, "Q"),
        ("sam", false, true, "queued"), ("sam", false, false, "Q"), ("ada", false, false, "queued"),
        ("sync", false, false, "queued"),
    ])
    func create(actorName: String, member: Bool, supervisor: Bool, expected: String) throws {
        let actor = fixture.actors[actorName]!
        let access = QueueAccess(queue: "q", requiresReview: false, isMember: member, isSupervisor: supervisor)
        let draft = TaskDraft(queue: "q", title: "Review HbA1c", kind: "lab-review", priority: .urgent,
                              subject: Reference("Patient/1001"), focus: Reference("DiagnosticReport/9"))
        if expected == "queued" {
            let outcome = try Workflow.create(draft, id: TaskID(1), by: actor, access: access, at: fixture.created)
            #expect(outcome.task.state == .queued)
            #expect(outcome.task.version == 1)
            #expect(outcome.audit.action == "create")
            #expect(outcome.audit.fromState == nil)
            #expect(outcome.audit.toState == .queued)
        } else {
            #expect(throws: TransitionError.notInQueue(action: .create, queue: "q")) {
                try Workflow.create(draft, id: TaskID(1), by: actor, access: access, at: fixture.created)
            }
        }
    }

    @Test func createAsException() throws {
        let sync = fixture.actors["sync"]!
        let draft = TaskDraft(queue: "q", title: "Missing demographics", kind: "demographics-exception",
                              exception: ExceptionDetail(code: "missing_demographics", context: ["missing": "phone"]))
        let outcome = try Workflow.create(draft, id: TaskID(2), by: sync, access: fixture.access(for: sync), at: fixture.created)
        #expect(outcome.task.state == .exception)
        #expect(outcome.task.exceptionContext == ["missing": "phone"])
        #expect(outcome.audit.detail["code"] == "missing_demographics")
    }

    @Test func viewingNeedsARelationToTheQueueOrABrokenGlass() throws {
        let outsider = Actor(name: "zed", roles: [.coordinator])
        let access = QueueAccess(queue: "q", requiresReview: false, isMember: false, isSupervisor: false)
        let task = fixture.task(in: .inProgress)
        #expect(throws: TransitionError.breakGlassRequired(task: task.id, queue: "q")) {
            try Workflow.view(task, by: outsider, access: access, at: fixture.later)
        }
        #expect(TransitionError.breakGlassRequired(task: task.id, queue: "q").description.contains("handoff task show T-7 --break-glass REASON"))
        let cora = fixture.actors["cora"]!
        let record = try Workflow.view(task, by: cora, access: fixture.access(for: cora), at: fixture.later)
        #expect(record.action == "view")
        #expect(record.detail["breakGlass"] == nil)
    }

    @Test(arguments: ["", "   ", "\n\t"])
    func anEmptyBreakGlassReasonIsRefused(reason: String) {
        let outsider = Actor(name: "zed", roles: [.nurse])
        let access = QueueAccess(queue: "q", requiresReview: false, isMember: false, isSupervisor: false)
        #expect(throws: TransitionError.invalidInput(field: "break-glass", problem: "must not be empty")) {
            try Workflow.view(fixture.task(in: .queued), by: outsider, access: access, at: fixture.later, breakGlass: reason)
        }
    }

    @Test(arguments: [Actor(name: "zed", roles: [.coordinator]), Actor(name: "vic", roles: [.supervisor])])
    func breakingTheGlassOpensTheTaskAndTheAuditKeepsTheReason(outsider: Actor) throws {
        let access = QueueAccess(queue: "q", requiresReview: false, isMember: false, isSupervisor: false)
        let task = fixture.task(in: .review)
        let record = try Workflow.view(task, by: outsider, access: access, at: fixture.later,
                                       breakGlass: "  Patient deteriorating in ED, lab queue unstaffed ")
        #expect(record.action == "view")
        #expect(record.actor == outsider.name)
        #expect(record.actorRole == outsider.roles.first)
        #expect(record.taskID == task.id)
        #expect(record.fromState == .review && record.toState == .review)
        #expect(record.detail == ["breakGlass": "Patient deteriorating in ED, lab queue unstaffed"])
    }

    @Test func aReasonGivenWhereTheOrdinaryViewIsAllowedBreaksNoGlass() throws {
        for name in ["cora", "sam", "ada", "sync"] {
            let actor = fixture.actors[name]!
            let record = try Workflow.view(fixture.task(in: .queued), by: actor, access: fixture.access(for: actor), at: fixture.later,
                                           breakGlass: "just in case")
            #expect(record.detail["breakGlass"] == nil, "\(name)")
        }
    }

    @Test func actingOutsideTheQueueNeedsABrokenGlassAndTheRolesStillDecide() throws {
        let outsider = Actor(name: "zed", roles: [.coordinator])
        let access = QueueAccess(queue: "q", requiresReview: false, isMember: false, isSupervisor: false)
        let queued = fixture.task(in: .queued)
        #expect(throws: TransitionError.notInQueue(action: .claim, queue: "q")) {
            try Workflow.apply(.claim, to: queued, by: outsider, access: access, at: fixture.later)
        }
        #expect(TransitionError.notInQueue(action: .claim, queue: "q").description.contains("--break-glass REASON"))
        #expect(throws: TransitionError.invalidInput(field: "break-glass", problem: "must not be empty")) {
            try Workflow.apply(.claim, to: queued, by: outsider, access: access, at: fixture.later, breakGlass: " ")
        }
        let claimed = try Workflow.apply(.claim, to: queued, by: outsider, access: access, at: fixture.later,
                                         breakGlass: " Queue unstaffed, result critical ")
        #expect(claimed.task.owner == "zed" && claimed.task.state == .assigned)
        #expect(claimed.audit.detail == ["owner": "zed", "breakGlass": "Queue unstaffed, result critical"])
        #expect(claimed.audit.actorRole == .coordinator)

        // The glass opens the queue, not other roles' powers: a coordinator still cannot cancel.
        #expect(throws: TransitionError.self) {
            try Workflow.apply(.cancel(reason: "duplicate"), to: queued, by: outsider, access: access, at: fixture.later, breakGlass: "urgent")
        }
        // Where one may act anyway, no glass is broken.
        let cora = fixture.actors["cora"]!
        let ordinary = try Workflow.apply(.claim, to: queued, by: cora, access: fixture.access(for: cora), at: fixture.later, breakGlass: "urgent")
        #expect(ordinary.audit.detail["breakGlass"] == nil)
    }

    @Test func referencesAndTaskIDsParseStrictly() {
        #expect(Reference("Patient/123")?.description == "Patient/123")
        #expect(Reference("patient/123") == nil)
        #expect(Reference("Patient/") == nil)
        #expect(Reference("Patient/1/2") == nil)
        #expect(TaskID("T-12")?.number == 12)
        #expect(TaskID("12")?.description == "T-12")
        #expect(TaskID("T-0") == nil)
        #expect(TaskID("T-x") == nil)
    }
}
