/// One routing rule: for events of a type whose payload meets the conditions, what to do.
///
/// Rules are tried in file order; the first that matches decides.
public struct RouteRule: Hashable, Sendable {
    /// What a rule does.
    public enum Action: Hashable, Sendable {
        /// Create a task (an exception task when the template has a code). If the correlation key
        /// already has an open task, that task is updated instead.
        case create(TaskTemplate)
        /// Put the open task into pending external data with this reason.
        case pend(reason: TextTemplate)
        /// The external data arrived: resume the pending task.
        case resume
        /// The work is no longer needed: cancel the open task with this reason.
        case cancel(reason: TextTemplate)
        /// Add a note to the open task.
        case note(TextTemplate)
        /// Raise an exception on the open task.
        case raise(code: String, context: [String: TextTemplate])
        /// An amended result: the open task gets the note and goes back to the queue if it was awaiting
        /// review; if the last task was completed, a new one is created from `reopen`.
        case amend(note: TextTemplate, reopen: TaskTemplate?)
        /// The payload supplies some of the fields listed in the open exception's context under `contextKey`;
        /// when none remain missing, the exception is completed.
        case supply(fields: [String], contextKey: String)
        /// Accept the event and do nothing, for this reason.
        case ignore(String)

        /// Whether the action works on an existing task, found by the correlation key.
        public var needsTask: Bool {
            switch self {
            case .create, .ignore: false
            case .pend, .resume, .cancel, .note, .raise, .amend, .supply: true
            }
        }
    }

    /// What to do when an action needs an open task and there is none.
    public enum WhenNoTask: String, Hashable, Sendable {
        /// Out of order: park the event and retry it for a while, then dead-letter it (`no_matching_task`).
        case park
        /// Accept the event and do nothing.
        case ignore
    }

    /// The line of the rule in its file, for messages.
    public var line: Int
    public var eventType: String
    /// Schema versions the rule applies to; `nil` means every version the schemas declare.
    public var versions: Set<Int>?
    public var conditions: [RouteCondition]
    /// How the correlation key is made from the payload; by default the event's `correlationid`.
    public var correlate: TextTemplate?
    public var action: Action
    public var whenNoTask: WhenNoTask

    public init(line: Int, eventType: String, versions: Set<Int>? = nil, conditions: [RouteCondition] = [],
                correlate: TextTemplate? = nil, action: Action, whenNoTask: WhenNoTask = .park) {
        self.line = line
        self.eventType = eventType
        self.versions = versions
        self.conditions = conditions
        self.correlate = correlate
        self.action = action
        self.whenNoTask = whenNoTask
    }

    /// Every template the rule uses, to check their placeholders against the schemas.
    public var templates: [TextTemplate] {
        var all = correlate.map { [$0] } ?? []
        switch action {
        case let .create(task): all += task.templates
        case let .pend(reason), let .cancel(reason), let .note(reason): all.append(reason)
        case let .raise(_, context): all += context.values
        case let .amend(note, reopen): all += [note] + (reopen?.templates ?? [])
        case .resume, .supply, .ignore: break
        }
        return all
    }

    /// The paths the rule reads from the payload: its conditions and placeholders.
    public var paths: [String] {
        var all = templates.flatMap(\.paths)
        for condition in conditions {
            switch condition {
            case let .equals(path, _): all.append(path)
            case let .missingAny(paths): all += paths
            }
        }
        if case let .supply(fields, _) = action { all += fields }
        return all
    }
}
