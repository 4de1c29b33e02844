/// What an event does to the tasks, once the open task of its correlation key is known.
public enum EventEffect: Hashable, Sendable {
    /// Create a task.
    case create(TaskDraft)
    /// Apply these actions, in order, to an existing task.
    case act(TaskID, [TaskAction])
    /// The task to act on does not exist (yet): park the event and retry it later.
    case park(String)
    /// Accept the event and change nothing.
    case ignore(String)

    /// Turns a routed event into task changes, given the open task of its correlation key and
    /// the latest closed one (for amendments after completion). Pure.
    public static func plan(_ routed: RoutedEvent, eventType: String, open: WorkTask?, closed: WorkTask?) -> EventEffect {
        switch routed.intent {
        case let .ignore(reason):
            return .ignore(reason)
        case let .create(draft):
            guard let open else { return .create(draft) }
            return update(open, with: draft, eventType: eventType)
        case let .onTask(intent, whenNoTask, reopen):
            guard let task = open else {
                if var reopen, let closed, closed.state == .completed {
                    reopen.subjectDisplay = reopen.subjectDisplay ?? closed.subjectDisplay
                    reopen.subject = reopen.subject ?? closed.subject
                    return .create(reopen)
                }
                let key = routed.correlationKey ?? "?"
                return whenNoTask == .park ? .park("no open task for \(key) yet") : .ignore("no open task for \(key)")
            }
            return act(intent, on: task, eventType: eventType)
        }
    }

    /// A second "create" for a correlation key that already has an open task updates that task.
    private static func update(_ task: WorkTask, with draft: TaskDraft, eventType: String) -> EventEffect {
        if let exception = draft.exception {
            if task.state == .exception {
                return exception.context == task.exceptionContext
                    ? .ignore("\(task.id) already holds this exception")
                    : .act(task.id, [.updateException(context: exception.context)])
            }
            return .act(task.id, [.raiseException(exception)])
        }
        var actions: [TaskAction] = [.note("\(eventType) received again for \(draft.correlationKey ?? "this task")")]
        if draft.priority > task.priority { actions.append(.reprioritise(draft.priority)) }
        return .act(task.id, actions)
    }

    private static func act(_ intent: RoutedEvent.TaskIntent, on task: WorkTask, eventType: String) -> EventEffect {
        func noted(_ what: String) -> EventEffect {
            .act(task.id, [.note("\(eventType): \(what); \(task.id) was \(task.state.rawValue), so its state is unchanged")])
        }
        switch intent {
        case let .pend(reason):
            guard [.queued, .assigned, .inProgress].contains(task.state) else { return noted(reason) }
            return .act(task.id, [.pend(reason: reason, expectedBy: nil)])
        case .resume:
            guard task.state == .pending else { return noted("the awaited data arrived") }
            return .act(task.id, [.resume])
        case let .cancel(reason):
            return .act(task.id, [.cancel(reason: reason)])
        case let .note(text):
            return .act(task.id, [.note(text)])
        case let .raise(exception):
            guard task.state != .exception else {
                return exception.context == task.exceptionContext
                    ? .ignore("\(task.id) already holds this exception")
                    : .act(task.id, [.updateException(context: exception.context)])
            }
            return .act(task.id, [.raiseException(exception)])
        case let .amend(note):
            guard task.state == .review else { return .act(task.id, [.note(note)]) }
            return .act(task.id, [.returnFromReview(note: note, toQueue: true)])
        case let .supply(supplied, contextKey):
            guard task.state == .exception else { return .ignore("\(task.id) is \(task.state.rawValue), not an exception") }
            let missing = (task.exceptionContext[contextKey] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let remaining = missing.filter { !supplied.contains($0) }
            if remaining.isEmpty {
                let list = missing.isEmpty ? "the missing data" : missing.joined(separator: ", ")
                return .act(task.id, [.resolveException(.completed, note: "\(eventType) supplied \(list)")])
            }
            guard remaining.count < missing.count else { return .ignore("supplies none of \(task.id)'s \(contextKey) fields") }
            var context = task.exceptionContext
            context[contextKey] = remaining.joined(separator: ", ")
            return .act(task.id, [.updateException(context: context)])
        }
    }
}
