import Foundation
import HandoffCore
import Testing

/// The actions of one crossed threshold, and whom `assign-to-supervisor` gives the task to.
struct EscalationPlanTests {
    let fixture = Fixture()
    let reason = "SLA breach: 100 % of the goal used"

    func crossing(_ actions: [EscalationAction]) -> EscalationPlan.Crossing {
        EscalationPlan.Crossing(key: "breach", reason: reason, actions: actions)
    }

    @Test func assignToSupervisorComesAfterTheFlagAndTheMoveWhateverTheOrderWritten() {
        let task = fixture.task(in: .queued)
        let planned = EscalationPlan.actions(for: crossing([.assignToSupervisor, .moveTo(queue: "escalations"), .raisePriority(to: nil)]),
                                             on: task)
        #expect(planned.actions == [.escalate(reason: reason, priority: .urgent), .move(toQueue: "escalations", reason: reason)])
        #expect(planned.assignToSupervisor)
        #expect(!EscalationPlan.actions(for: crossing([.flag]), on: task).assignToSupervisor)
        let assignOnly = EscalationPlan.actions(for: crossing([.assignToSupervisor]), on: task)
        #expect(assignOnly.actions.isEmpty && assignOnly.assignToSupervisor)
    }

    @Test func theLeastLoadedEnabledSupervisorIsChosenTiesByName() {
        let supervisors = [
            SupervisorLoad(name: "sam", roles: [.supervisor], openTasks: 3),
            SupervisorLoad(name: "helga", roles: [.supervisor], openTasks: 1),
            SupervisorLoad(name: "ines", roles: [.supervisor], openTasks: 1),
            SupervisorLoad(name: "abe", roles: [.supervisor], isDisabled: true, openTasks: 0),
            SupervisorLoad(name: "bo", roles: [.coordinator], openTasks: 0),
        ]
        #expect(SupervisorLoad.leastLoaded(supervisors)?.name == "helga", "ines has as few; disabled abe and bo (no supervisor role) are skipped")
        #expect(EscalationPlan.supervisorAssignment(of: fixture.task(in: .inProgress), among: supervisors, reason: reason)
            == .assign(.assign(to: Assignee(name: "helga", roles: [.supervisor], isMember: false, isSupervisor: true), reason: reason)))
    }

    @Test func nothingToDoWhenTheChosenSupervisorOwnsItOrThereIsNone() {
        let sam = [SupervisorLoad(name: "sam", roles: [.supervisor], openTasks: 0)]
        #expect(EscalationPlan.supervisorAssignment(of: fixture.task(in: .assigned, owner: "sam"), among: sam, reason: reason)
            == .alreadyOwned(by: "sam"))
        #expect(EscalationPlan.supervisorAssignment(of: fixture.task(in: .queued), among: [], reason: reason) == .noSupervisor)
        let disabled = [SupervisorLoad(name: "sam", roles: [.supervisor], isDisabled: true, openTasks: 0)]
        #expect(EscalationPlan.supervisorAssignment(of: fixture.task(in: .queued), among: disabled, reason: reason) == .noSupervisor)
    }
}
