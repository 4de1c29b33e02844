import Foundation

/// The workflow state machine: decides whether an action is allowed and what it yields.
///
/// Pure: no I/O, and the current time is always passed in.
public enum Workflow {
    /// Applies `action` to `task` for `actor`, yielding the changed task and its audit record.
    /// `trace` is the trace context of the event behind the change, when an event caused it.
    ///
    /// Outside the task's queue, a person may act only by breaking the glass: with an emergency reason
    /// (`breakGlass`) they act as their roles allow within the queue, and the reason is kept in the
    /// record's detail under `breakGlass`. Where they may act anyway, no glass is broken.
    public static func apply(
        _ action: TaskAction, to task: WorkTask, by actor: Actor, access: QueueAccess, at now: Date,
        trace: String? = nil, breakGlass: String? = nil
    ) throws(TransitionError) -> TransitionOutcome {
        let kind = action.kind
        guard let rule = TransitionTable.rule(for: kind) else { preconditionFailure("no rule for \(kind)") }
        guard rule.from.contains(task.state) else {
            throw .illegalFromState(action: kind, task: task.id, state: task.state,
                                    allowed: availableActions(on: task, for: actor, access: access))
        }
        let role: Role
        var brokenGlass: String?
        do throws(TransitionError) {
            role = try authorize(kind, parties: rule.who, task: task, actor: actor, access: access)
        } catch {
            guard case .notInQueue = error, let breakGlass else { throw error }
            brokenGlass = try required(breakGlass, field: "break-glass")
            role = try authorize(kind, parties: rule.who, task: task, actor: actor, access: access.withGlassBroken)
        }
        try checkReviewRule(rule.review, access: access)

        var changed = task
        var detail: [String: String] = [:]
        var auditAction = kind.rawValue
        var note: String?

        switch action {
        case let .note(text):
            note = try required(text, field: "note")
            detail["note"] = "added"
        case let .reprioritise(priority):
            guard priority != task.priority else {
                throw .invalidInput(field: "priority", problem: "\(task.id) is already \(priority.rawValue)")
            }
            changed.priority = priority
            detail = ["from": task.priority.rawValue, "to": priority.rawValue]
        case let .reopen(reason):
            detail["reason"] = try required(reason, field: "reason")
            changed.owner = nil
            changed.resolution = nil
            changed.cancelReason = nil
            changed.escalated = false
        case .claim:
            changed.owner = actor.name
            detail["owner"] = actor.name
        case let .assign(assignee, reason):
            try checkEligible(assignee, for: task, queue: access.queue)
            if let previous = task.owner {
                auditAction = "reassign"
                detail["previousOwner"] = previous
            }
            changed.owner = assignee.name
            detail["owner"] = assignee.name
            if let reason, !reason.trimmed.isEmpty { detail["reason"] = reason.trimmed }
        case .release:
            detail["previousOwner"] = task.owner ?? ""
            changed.owner = nil
        case .start, .requestReview, .complete:
            break
        case let .pend(reason, expectedBy):
            let reason = try required(reason, field: "reason")
            if let expectedBy, expectedBy <= now {
                throw .invalidInput(field: "expected-by", problem: "must be in the future")
            }
            changed.pendingReason = reason
            changed.expectedBy = expectedBy
            detail["reason"] = reason
            if let expectedBy { detail["expectedBy"] = Timestamp.format(expectedBy) }
        case .resume:
            changed.pendingReason = nil
            changed.expectedBy = nil
        case .approve:
            detail["reviewer"] = actor.name
        case let .returnFromReview(text, toQueue):
            note = try required(text, field: "note")
            if toQueue { changed.owner = nil }
            detail["note"] = "added"
        case let .raiseException(exception):
            try checkCode(exception.code)
            changed.exceptionCode = exception.code
            changed.exceptionContext = exception.context
            changed.resolution = nil
            detail["code"] = exception.code
        case let .resolveException(outcome, text):
            note = try required(text, field: "note")
            changed.resolution = outcome
            detail["outcome"] = outcome.rawValue
            switch outcome {
            case .requeue:
                changed.owner = nil
                changed.exceptionCode = nil
                changed.exceptionContext = [:]
            case .failed:
                changed.cancelReason = "exception resolved as failed"
            case .completed:
                break
            }
        case let .move(queue, reason):
            detail["reason"] = try required(reason, field: "reason")
            guard !queue.isEmpty, queue != task.queue else {
                throw .invalidInput(field: "queue", problem: "\(task.id) is already in \(task.queue)")
            }
            changed.queue = queue
            detail["from"] = task.queue
            detail["to"] = queue
        case let .updateException(context):
            guard context != task.exceptionContext else {
                throw .invalidInput(field: "context", problem: "\(task.id) already has this context")
            }
            changed.exceptionContext = context
            detail["code"] = task.exceptionCode ?? ""
        case let .cancel(reason):
            let reason = try required(reason, field: "reason")
            changed.cancelReason = reason
            detail["reason"] = reason
        case let .escalate(reason, priority):
            detail["reason"] = try required(reason, field: "reason")
            if let priority {
                guard priority > task.priority else {
                    throw .invalidInput(field: "priority", problem: "escalation must raise the priority above \(task.priority.rawValue)")
                }
                changed.priority = priority
                detail["priority"] = priority.rawValue
            }
            changed.escalated = true
        }

        changed.state = targetState(rule.target, action: action, task: changed)
        changed.version += 1
        changed.updatedAt = now
        changed.updatedBy = actor.name
        if let trace { changed.traceID = trace }
        if let brokenGlass { detail["breakGlass"] = brokenGlass }
        let audit = AuditEntry(
            time: now, actor: actor.name, actorRole: role, origin: actor.origin, action: auditAction,
            taskID: task.id, fromState: task.state, toState: changed.state, detail: detail, traceID: changed.traceID
        )
        return TransitionOutcome(task: changed, audit: audit, note: note)
    }

    /// Creates a task from `draft` with the id the store reserved.
    public static func create(
        _ draft: TaskDraft, id: TaskID, by actor: Actor, access: QueueAccess, at now: Date
    ) throws(TransitionError) -> TransitionOutcome {
        let role = try authorize(.create, parties: TransitionTable.create, task: nil, actor: actor, access: access)
        let title = try required(draft.title, field: "title")
        guard title.count <= 200 else { throw .invalidInput(field: "title", problem: "at most 200 characters") }
        guard !draft.kind.isEmpty, draft.kind.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw .invalidInput(field: "kind", problem: "use lower-case letters, digits and '-', e.g. lab-review")
        }
        if let exception = draft.exception { try checkCode(exception.code) }
        let task = WorkTask(
            id: id, queue: access.queue, state: draft.exception == nil ? .queued : .exception,
            priority: draft.priority, title: title, kind: draft.kind, subject: draft.subject,
            subjectDisplay: draft.subjectDisplay, focus: draft.focus, correlationKey: draft.correlationKey,
            createdAt: now, updatedBy: actor.name, traceID: draft.traceID,
            exceptionCode: draft.exception?.code, exceptionContext: draft.exception?.context ?? [:]
        )
        var detail = ["queue": access.queue, "priority": draft.priority.rawValue, "kind": draft.kind]
        if let code = draft.exception?.code { detail["code"] = code }
        let audit = AuditEntry(
            time: now, actor: actor.name, actorRole: role, origin: actor.origin, action: ActionKind.create.rawValue,
            taskID: id, fromState: nil, toState: task.state, detail: detail, traceID: draft.traceID
        )
        return TransitionOutcome(task: task, audit: audit)
    }

    /// Checks that `actor` may open `task`'s detail and yields the access record to append.
    ///
    /// A person outside the task's queue may open it only by breaking the glass: with an emergency
    /// reason (`breakGlass`), kept in the record's detail under the key `breakGlass` so that supervisors
    /// see it. Where the ordinary view is allowed, no glass is broken and a reason is not recorded.
    public static func view(
        _ task: WorkTask, by actor: Actor, access: QueueAccess, at now: Date, breakGlass: String? = nil
    ) throws(TransitionError) -> AuditEntry {
        let role: Role
        var detail: [String: String] = [:]
        do throws(TransitionError) {
            role = try authorize(.view, parties: TransitionTable.view, task: task, actor: actor, access: access)
        } catch {
            guard case .notInQueue = error else { throw error }
            guard let breakGlass else { throw .breakGlassRequired(task: task.id, queue: access.queue) }
            detail["breakGlass"] = try required(breakGlass, field: "break-glass")
            role = actor.primaryRole
        }
        return AuditEntry(
            time: now, actor: actor.name, actorRole: role, origin: actor.origin, action: ActionKind.view.rawValue,
            taskID: task.id, fromState: task.state, toState: task.state, detail: detail, traceID: task.traceID
        )
    }

    /// The actions `actor` may take on `task` now (input aside), in table order.
    public static func availableActions(on task: WorkTask, for actor: Actor, access: QueueAccess) -> [ActionKind] {
        ActionKind.allCases.filter { kind in
            guard let rule = TransitionTable.rule(for: kind), rule.from.contains(task.state) else { return false }
            do {
                _ = try authorize(kind, parties: rule.who, task: task, actor: actor, access: access)
                try checkReviewRule(rule.review, access: access)
                return true
            } catch {
                return false
            }
        }
    }

    // MARK: - Rules

    /// The role through which `actor` may act, or the most specific reason they may not.
    static func authorize(
        _ action: ActionKind, parties: [Party], task: WorkTask?, actor: Actor, access: QueueAccess
    ) throws(TransitionError) -> Role {
        for party in parties {
            if let role = party.role(of: actor, task: task, access: access) { return role }
        }
        if let task, parties.contains(.clinicalReviewer), actor.has(.nurse),
           access.isMember || access.isSupervisor, task.owner == actor.name {
            throw .ownWork(task: task.id)
        }
        if parties.contains(where: { $0.needsQueue && !actor.roles.isDisjoint(with: $0.roles) }) {
            throw .notInQueue(action: action, queue: access.queue)
        }
        let otherRoles = parties.filter { $0 != .owner }.reduce(into: Set<Role>()) { $0.formUnion($1.roles) }
        if let task, parties.contains(.owner), !actor.roles.isDisjoint(with: Role.workers) || otherRoles.isEmpty {
            throw .notOwner(action: action, task: task.id, owner: task.owner)
        }
        throw .notPermitted(action: action, roles: actor.roles, needs: otherRoles)
    }

    static func checkReviewRule(_ rule: TransitionRule.ReviewRule, access: QueueAccess) throws(TransitionError) {
        switch rule {
        case .any: break
        case .reviewQueuesOnly where !access.requiresReview: throw .reviewNotRequired(queue: access.queue)
        case .nonReviewQueuesOnly where access.requiresReview: throw .reviewRequired(queue: access.queue)
        default: break
        }
    }

    /// A task may be given to a coordinator or nurse who is a member of its queue, or to a supervisor
    /// of its queue (escalated work, by the sweeper or by hand); never to a disabled account.
    static func checkEligible(_ assignee: Assignee, for task: WorkTask, queue: String) throws(TransitionError) {
        if assignee.name == task.owner {
            throw .invalidInput(field: "to", problem: "\(task.id) is already owned by \(assignee.name)")
        }
        if assignee.isDisabled {
            throw .assigneeNotEligible(user: assignee.name, queue: queue, reason: "the account is disabled")
        }
        let worker = !assignee.roles.isDisjoint(with: Role.workers)
        let supervisor = assignee.roles.contains(.supervisor)
        if worker && assignee.isMember || supervisor && assignee.isSupervisor { return }
        let reason = switch (worker, supervisor) {
        case (false, false): "they have no coordinator, nurse or supervisor role"
        case (false, true): "they do not supervise the queue"
        case (true, false): "they are not a member of the queue"
        case (true, true): "they neither belong to nor supervise the queue"
        }
        throw .assigneeNotEligible(user: assignee.name, queue: queue, reason: reason)
    }

    static func targetState(_ target: TransitionRule.Target, action: TaskAction, task: WorkTask) -> TaskState {
        switch target {
        case .same: return task.state
        case let .state(state): return state
        case .assignedOrSame: return task.state == .queued ? .assigned : task.state
        case .ownedOrQueued, .returned: return task.owner == nil ? .queued : .inProgress
        case .resolution:
            guard case let .resolveException(outcome, _) = action else { preconditionFailure("resolution without outcome") }
            return outcome.targetState
        }
    }

    static func required(_ text: String, field: String) throws(TransitionError) -> String {
        let value = text.trimmed
        guard !value.isEmpty else { throw .invalidInput(field: field, problem: "must not be empty") }
        guard value.count <= 4000 else { throw .invalidInput(field: field, problem: "at most 4,000 characters") }
        return value
    }

    static func checkCode(_ code: String) throws(TransitionError) {
        guard !code.isEmpty, code.count <= 64,
              code.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw .invalidInput(field: "code", problem: "use a code of lower-case letters, digits and '_', e.g. missing_demographics")
        }
    }
}

extension String {
    /// The string without leading and trailing white space.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
