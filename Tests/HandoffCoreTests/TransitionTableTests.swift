import Foundation
import HandoffCore
import Testing

/// Every (state, action, role) combination checked against a table written out literally here,
/// independently of the production table.
///
/// Fixture: queue `q` without review. `cora` (coordinator) and `nina` (nurse) are members,
/// `sam` supervises the queue, `ada` is an admin, `sync` a service account. Tasks in `assigned`,
/// `in-progress`, `pending`, `review`, `exception` and `completed` are owned by cora; `queued`
/// and `cancelled` tasks have no owner. `assign` gives the task to marco, a coordinator member.
///
/// Cells: a state name is success into that state; `S` illegal from this state, `P` not permitted
/// for the role, `Q` not in the queue, `O` only the owner, `W` own work, `R` queue review rule.
struct TransitionTableTests {
    static let expected = """
    action             state        cora         nina         sam          ada          sync
    note               queued       queued       queued       queued       queued       queued
    note               assigned     assigned     assigned     assigned     assigned     assigned
    note               in-progress  in-progress  in-progress  in-progress  in-progress  in-progress
    note               pending      pending      pending      pending      pending      pending
    note               review       review       review       review       review       review
    note               completed    completed    completed    completed    completed    completed
    note               cancelled    cancelled    cancelled    cancelled    cancelled    cancelled
    note               exception    exception    exception    exception    exception    exception
    reprioritise       queued       P            P            queued       queued       queued
    reprioritise       assigned     P            P            assigned     assigned     assigned
    reprioritise       in-progress  P            P            in-progress  in-progress  in-progress
    reprioritise       pending      P            P            pending      pending      pending
    reprioritise       review       P            P            review       review       review
    reprioritise       completed    S            S            S            S            S
    reprioritise       cancelled    S            S            S            S            S
    reprioritise       exception    P            P            exception    exception    exception
    reopen             queued       S            S            S            S            S
    reopen             assigned     S            S            S            S            S
    reopen             in-progress  S            S            S            S            S
    reopen             pending      S            S            S            S            S
    reopen             review       S            S            S            S            S
    reopen             completed    P            P            queued       queued       queued
    reopen             cancelled    S            S            S            S            S
    reopen             exception    S            S            S            S            S
    claim              queued       assigned     assigned     P            P            P
    claim              assigned     S            S            S            S            S
    claim              in-progress  S            S            S            S            S
    claim              pending      S            S            S            S            S
    claim              review       S            S            S            S            S
    claim              completed    S            S            S            S            S
    claim              cancelled    S            S            S            S            S
    claim              exception    S            S            S            S            S
    assign             queued       P            P            assigned     assigned     assigned
    assign             assigned     P            P            assigned     assigned     assigned
    assign             in-progress  P            P            in-progress  in-progress  in-progress
    assign             pending      P            P            pending      pending      pending
    assign             review       P            P            review       review       review
    assign             completed    S            S            S            S            S
    assign             cancelled    S            S            S            S            S
    assign             exception    P            P            exception    exception    exception
    release            queued       S            S            S            S            S
    release            assigned     queued       O            queued       queued       P
    release            in-progress  queued       O            queued       queued       P
    release            pending      S            S            S            S            S
    release            review       S            S            S            S            S
    release            completed    S            S            S            S            S
    release            cancelled    S            S            S            S            S
    release            exception    S            S            S            S            S
    start              queued       S            S            S            S            S
    start              assigned     in-progress  O            O            O            O
    start              in-progress  S            S            S            S            S
    start              pending      S            S            S            S            S
    start              review       S            S            S            S            S
    start              completed    S            S            S            S            S
    start              cancelled    S            S            S            S            S
    start              exception    S            S            S            S            S
    pend               queued       O            O            pending      P            pending
    pend               assigned     pending      O            pending      P            pending
    pend               in-progress  pending      O            pending      P            pending
    pend               pending      S            S            S            S            S
    pend               review       S            S            S            S            S
    pend               completed    S            S            S            S            S
    pend               cancelled    S            S            S            S            S
    pend               exception    S            S            S            S            S
    resume             queued       S            S            S            S            S
    resume             assigned     S            S            S            S            S
    resume             in-progress  S            S            S            S            S
    resume             pending      in-progress  O            in-progress  P            in-progress
    resume             review       S            S            S            S            S
    resume             completed    S            S            S            S            S
    resume             cancelled    S            S            S            S            S
    resume             exception    S            S            S            S            S
    request-review     queued       S            S            S            S            S
    request-review     assigned     S            S            S            S            S
    request-review     in-progress  R            O            O            O            O
    request-review     pending      S            S            S            S            S
    request-review     review       S            S            S            S            S
    request-review     completed    S            S            S            S            S
    request-review     cancelled    S            S            S            S            S
    request-review     exception    S            S            S            S            S
    approve            queued       S            S            S            S            S
    approve            assigned     S            S            S            S            S
    approve            in-progress  S            S            S            S            S
    approve            pending      S            S            S            S            S
    approve            review       P            completed    P            P            P
    approve            completed    S            S            S            S            S
    approve            cancelled    S            S            S            S            S
    approve            exception    S            S            S            S            S
    return             queued       S            S            S            S            S
    return             assigned     S            S            S            S            S
    return             in-progress  S            S            S            S            S
    return             pending      S            S            S            S            S
    return             review       P            in-progress  P            P            in-progress
    return             completed    S            S            S            S            S
    return             cancelled    S            S            S            S            S
    return             exception    S            S            S            S            S
    complete           queued       S            S            S            S            S
    complete           assigned     S            S            S            S            S
    complete           in-progress  completed    O            O            O            O
    complete           pending      S            S            S            S            S
    complete           review       S            S            S            S            S
    complete           completed    S            S            S            S            S
    complete           cancelled    S            S            S            S            S
    complete           exception    S            S            S            S            S
    raise-exception    queued       O            O            P            P            exception
    raise-exception    assigned     exception    O            P            P            exception
    raise-exception    in-progress  exception    O            P            P            exception
    raise-exception    pending      exception    O            P            P            exception
    raise-exception    review       exception    O            P            P            exception
    raise-exception    completed    S            S            S            S            S
    raise-exception    cancelled    S            S            S            S            S
    raise-exception    exception    S            S            S            S            S
    resolve-exception  queued       S            S            S            S            S
    resolve-exception  assigned     S            S            S            S            S
    resolve-exception  in-progress  S            S            S            S            S
    resolve-exception  pending      S            S            S            S            S
    resolve-exception  review       S            S            S            S            S
    resolve-exception  completed    S            S            S            S            S
    resolve-exception  cancelled    S            S            S            S            S
    resolve-exception  exception    queued       queued       queued       P            queued
    update-exception   queued       S            S            S            S            S
    update-exception   assigned     S            S            S            S            S
    update-exception   in-progress  S            S            S            S            S
    update-exception   pending      S            S            S            S            S
    update-exception   review       S            S            S            S            S
    update-exception   completed    S            S            S            S            S
    update-exception   cancelled    S            S            S            S            S
    update-exception   exception    P            P            P            P            exception
    cancel             queued       P            P            cancelled    cancelled    cancelled
    cancel             assigned     P            P            cancelled    cancelled    cancelled
    cancel             in-progress  P            P            cancelled    cancelled    cancelled
    cancel             pending      P            P            cancelled    cancelled    cancelled
    cancel             review       P            P            cancelled    cancelled    cancelled
    cancel             completed    S            S            S            S            S
    cancel             cancelled    S            S            S            S            S
    cancel             exception    P            P            cancelled    cancelled    cancelled
    escalate           queued       P            P            queued       P            queued
    escalate           assigned     P            P            assigned     P            assigned
    escalate           in-progress  P            P            in-progress  P            in-progress
    escalate           pending      P            P            pending      P            pending
    escalate           review       P            P            review       P            review
    escalate           completed    S            S            S            S            S
    escalate           cancelled    S            S            S            S            S
    escalate           exception    P            P            exception    P            exception
    move               queued       P            P            queued       queued       queued
    move               assigned     P            P            assigned     assigned     assigned
    move               in-progress  P            P            in-progress  in-progress  in-progress
    move               pending      P            P            pending      pending      pending
    move               review       P            P            review       review       review
    move               completed    S            S            S            S            S
    move               cancelled    S            S            S            S            S
    move               exception    P            P            exception    exception    exception
    """

    /// The same fixture with the open owned tasks owned by sam, the supervisor (escalated work given to
    /// them): every action that depends on who owns the task. A supervisor who owns a task works it as
    /// its owner (start, pend, resume, complete, raise an exception, release) and still reassigns it
    /// as a supervisor; claiming stays with the members.
    static let supervisorOwned = """
    action             state        cora         nina         sam          ada          sync
    note               assigned     assigned     assigned     assigned     assigned     assigned
    note               in-progress  in-progress  in-progress  in-progress  in-progress  in-progress
    note               pending      pending      pending      pending      pending      pending
    note               review       review       review       review       review       review
    note               exception    exception    exception    exception    exception    exception
    assign             assigned     P            P            assigned     assigned     assigned
    assign             in-progress  P            P            in-progress  in-progress  in-progress
    assign             pending      P            P            pending      pending      pending
    assign             review       P            P            review       review       review
    assign             exception    P            P            exception    exception    exception
    release            assigned     O            O            queued       queued       P
    release            in-progress  O            O            queued       queued       P
    release            pending      S            S            S            S            S
    release            review       S            S            S            S            S
    release            exception    S            S            S            S            S
    start              assigned     O            O            in-progress  O            O
    start              in-progress  S            S            S            S            S
    start              pending      S            S            S            S            S
    start              review       S            S            S            S            S
    start              exception    S            S            S            S            S
    pend               assigned     O            O            pending      P            pending
    pend               in-progress  O            O            pending      P            pending
    pend               pending      S            S            S            S            S
    pend               review       S            S            S            S            S
    pend               exception    S            S            S            S            S
    resume             assigned     S            S            S            S            S
    resume             in-progress  S            S            S            S            S
    resume             pending      O            O            in-progress  P            in-progress
    resume             review       S            S            S            S            S
    resume             exception    S            S            S            S            S
    request-review     assigned     S            S            S            S            S
    request-review     in-progress  O            O            R            O            O
    request-review     pending      S            S            S            S            S
    request-review     review       S            S            S            S            S
    request-review     exception    S            S            S            S            S
    approve            assigned     S            S            S            S            S
    approve            in-progress  S            S            S            S            S
    approve            pending      S            S            S            S            S
    approve            review       P            completed    P            P            P
    approve            exception    S            S            S            S            S
    return             assigned     S            S            S            S            S
    return             in-progress  S            S            S            S            S
    return             pending      S            S            S            S            S
    return             review       P            in-progress  P            P            in-progress
    return             exception    S            S            S            S            S
    complete           assigned     S            S            S            S            S
    complete           in-progress  O            O            completed    O            O
    complete           pending      S            S            S            S            S
    complete           review       S            S            S            S            S
    complete           exception    S            S            S            S            S
    raise-exception    assigned     O            O            exception    P            exception
    raise-exception    in-progress  O            O            exception    P            exception
    raise-exception    pending      O            O            exception    P            exception
    raise-exception    review       O            O            exception    P            exception
    raise-exception    exception    S            S            S            S            S
    """

    struct Case: CustomTestStringConvertible, Sendable {
        let action: ActionKind
        let state: TaskState
        let owner: String
        let actor: String
        let expected: String
        var testDescription: String { "\(actor) \(action.rawValue) from \(state.rawValue) owned by \(owner) → \(expected)" }
    }

    static func cases(_ table: String, owner: String) -> [Case] {
        let lines = table.split(separator: "\n").dropFirst()
        let actors = ["cora", "nina", "sam", "ada", "sync"]
        return lines.flatMap { line -> [Case] in
            let cells = line.split(separator: " ").map(String.init)
            let action = ActionKind(rawValue: cells[0])!
            let state = TaskState(rawValue: cells[1])!
            return actors.indices.map { Case(action: action, state: state, owner: owner, actor: actors[$0], expected: cells[$0 + 2]) }
        }
    }

    static let cases = cases(expected, owner: "cora") + cases(supervisorOwned, owner: "sam")

    @Test func tablesCoverEveryStateActionAndRole() {
        let transitionKinds = ActionKind.allCases.filter { $0 != .create && $0 != .view }
        let main = Self.cases(Self.expected, owner: "cora")
        #expect(main.count == transitionKinds.count * TaskState.allCases.count * 5)
        #expect(Set(main.map { "\($0.action.rawValue) \($0.state.rawValue) \($0.actor)" }).count == main.count)
        let owned = Self.cases(Self.supervisorOwned, owner: "sam")
        let ownerSensitive: Set<ActionKind> = [.note, .assign, .release, .start, .pend, .resume, .requestReview, .approve,
                                               .return, .complete, .raiseException]
        let ownedStates: Set<TaskState> = [.assigned, .inProgress, .pending, .review, .exception]
        #expect(Set(owned.map(\.action)) == ownerSensitive)
        #expect(Set(owned.map(\.state)) == ownedStates)
        #expect(Set(owned.map { "\($0.action.rawValue) \($0.state.rawValue) \($0.actor)" }).count
            == ownerSensitive.count * ownedStates.count * 5)
    }

    @Test(arguments: cases)
    func transition(_ testCase: Case) throws {
        let fixture = Fixture()
        let task = fixture.task(in: testCase.state, owner: testCase.owner)
        let actor = fixture.actors[testCase.actor]!
        let access = fixture.access(for: actor)
        let action = fixture.sampleAction(testCase.action)

        if let target = TaskState(rawValue: testCase.expected) {
            let outcome = try Workflow.apply(action, to: task, by: actor, access: access, at: fixture.later)
            #expect(outcome.task.state == target)
            #expect(outcome.task.version == task.version + 1)
            #expect(outcome.task.updatedBy == actor.name)
            #expect(outcome.task.updatedAt == fixture.later)
            #expect(outcome.audit.actor == actor.name)
            #expect(outcome.audit.taskID == task.id)
            #expect(outcome.audit.fromState == task.state)
            #expect(outcome.audit.toState == target)
            #expect(outcome.audit.time == fixture.later)
            #expect(actor.roles.contains(outcome.audit.actorRole))
        } else {
            #expect(throws: TransitionError.self) {
                try Workflow.apply(action, to: task, by: actor, access: access, at: fixture.later)
            }
            do {
                _ = try Workflow.apply(action, to: task, by: actor, access: access, at: fixture.later)
            } catch {
                #expect(Self.code(of: error) == testCase.expected, "\(error)")
            }
        }
    }

    static func code(of error: TransitionError) -> String {
        switch error {
        case .illegalFromState: "S"
        case .notPermitted: "P"
        case .notInQueue: "Q"
        case .notOwner: "O"
        case .ownWork: "W"
        case .reviewRequired, .reviewNotRequired: "R"
        case .assigneeNotEligible: "A"
        case .breakGlassRequired: "B"
        case .invalidInput: "I"
        }
    }
}
