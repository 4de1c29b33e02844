import Foundation
import HandoffCore

/// People, a queue and tasks in every state, as described in ``TransitionTableTests``.
struct Fixture {
    let created = Date(timeIntervalSince1970: 1_795_000_000)
    var later: Date { created.addingTimeInterval(3_600) }

    let actors: [String: Actor] = [
        "cora": Actor(name: "cora", roles: [.coordinator]),
        "nina": Actor(name: "nina", roles: [.nurse]),
        "sam": Actor(name: "sam", roles: [.supervisor]),
        "ada": Actor(name: "ada", roles: [.admin]),
        "sync": Actor(name: "sync", roles: [.service]),
    ]

    var requiresReview = false
    var members: Set<String> = ["cora", "nina", "marco"]
    var supervisors: Set<String> = ["sam"]

    func access(for actor: Actor) -> QueueAccess {
        QueueAccess(queue: "q", requiresReview: requiresReview,
                    isMember: members.contains(actor.name), isSupervisor: supervisors.contains(actor.name))
    }

    func task(in state: TaskState, owner: String? = "cora") -> WorkTask {
        let owned: Set<TaskState> = [.assigned, .inProgress, .pending, .review, .exception, .completed]
        return WorkTask(
            id: TaskID(7), queue: "q", state: state, priority: .routine, title: "Review potassium",
            kind: "lab-review", owner: owned.contains(state) ? owner : nil, createdAt: created,
            updatedBy: "sync", version: 3, traceID: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            exceptionCode: state == .exception ? "missing_demographics" : nil
        )
    }

    /// A well-formed instance of each action.
    func sampleAction(_ kind: ActionKind) -> TaskAction {
        switch kind {
        case .note: .note("Called the lab")
        case .reprioritise: .reprioritise(.urgent)
        case .reopen: .reopen(reason: "Amended result")
        case .claim: .claim
        case .assign: .assign(to: Assignee(name: "marco", roles: [.coordinator], isMember: true), reason: nil)
        case .release: .release
        case .start: .start
        case .pend: .pend(reason: "Awaiting authorization", expectedBy: later.addingTimeInterval(86_400))
        case .resume: .resume
        case .requestReview: .requestReview
        case .approve: .approve
        case .return: .returnFromReview(note: "Repeat the specimen", toQueue: false)
        case .complete: .complete
        case .raiseException: .raiseException(ExceptionDetail(code: "data_invalid", context: ["field": "phone"]))
        case .resolveException: .resolveException(.requeue, note: "Phone number supplied")
        case .updateException: .updateException(context: ["missing": "insurance"])
        case .cancel: .cancel(reason: "Duplicate order")
        case .escalate: .escalate(reason: "At risk", priority: nil)
        case .move: .move(toQueue: "escalations", reason: "SLA breach")
        case .create, .view: preconditionFailure("\(kind) is not a transition")
        }
    }
}
