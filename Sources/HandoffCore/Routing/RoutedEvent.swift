/// What the routes decided for one event, before looking at any task.
public struct RoutedEvent: Hashable, Sendable {
    /// What the event asks for.
    public enum Intent: Hashable, Sendable {
        /// Create this task (or update the open task of the correlation key).
        case create(TaskDraft)
        /// Act on the open task of the correlation key.
        case onTask(TaskIntent, whenNoTask: RouteRule.WhenNoTask, reopen: TaskDraft?)
        /// Accept the event and do nothing.
        case ignore(String)
    }

    /// An action on an existing task, with its text rendered from the payload.
    public enum TaskIntent: Hashable, Sendable {
        case pend(reason: String)
        case resume
        case cancel(reason: String)
        case note(String)
        case raise(ExceptionDetail)
        case amend(note: String)
        /// The payload supplies these fields of the exception context entry `contextKey`.
        case supply(supplied: [String], contextKey: String)
    }

    /// The line of the rule that decided, `nil` when none matched.
    public var ruleLine: Int?
    /// The business key that finds the open task, e.g. `ServiceRequest/77`.
    public var correlationKey: String?
    public var intent: Intent

    public init(ruleLine: Int?, correlationKey: String?, intent: Intent) {
        self.ruleLine = ruleLine
        self.correlationKey = correlationKey
        self.intent = intent
    }

    /// Whether the event may create a new task when its key's last task is closed.
    public var mayReopen: Bool {
        if case .onTask(_, _, .some) = intent { return true }
        return false
    }

    /// A short description for `routes test`, `trace` and the event log: no payload values.
    public var summary: String {
        switch intent {
        case let .create(draft):
            draft.exception.map { "create exception task (\($0.code)) in \(draft.queue)" }
                ?? "create \(draft.kind) task in \(draft.queue), priority \(draft.priority.rawValue)"
        case let .onTask(intent, whenNoTask, reopen):
            "\(intent.name) the open task of \(correlationKey ?? "?")"
                + (reopen.map { "; if it was completed, a new task in \($0.queue)" } ?? "")
                + (whenNoTask == .park ? "; none yet: wait for it" : "; none: ignore")
        case let .ignore(reason):
            "ignore (\(reason))"
        }
    }
}

extension RoutedEvent.TaskIntent {
    /// The intent's name, as the routes file spells the action.
    public var name: String {
        switch self {
        case .pend: "pend"
        case .resume: "resume"
        case .cancel: "cancel"
        case .note: "note"
        case .raise: "raise"
        case .amend: "amend"
        case .supply: "supply"
        }
    }
}
