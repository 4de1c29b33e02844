/// How a route makes a task from an event: queue, kind, title and priority, and for an
/// exception its code and context.
public struct TaskTemplate: Hashable, Sendable {
    /// How the priority is chosen.
    public enum PriorityRule: Hashable, Sendable {
        /// A fixed priority, or one taken from the payload (`{urgency}`).
        case text(TextTemplate)
        /// The priority of the first boolean field that is true, else `otherwise`
        /// (`critical: stat, abnormal: urgent, else: routine`).
        case flags([(path: String, priority: Priority)], otherwise: Priority)

        public static func == (lhs: PriorityRule, rhs: PriorityRule) -> Bool {
            switch (lhs, rhs) {
            case let (.text(a), .text(b)): a == b
            case let (.flags(a, x), .flags(b, y)):
                x == y && a.map(\.path) == b.map(\.path) && a.map(\.priority) == b.map(\.priority)
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case let .text(template): hasher.combine(template)
            case let .flags(flags, otherwise):
                hasher.combine(flags.map(\.path))
                hasher.combine(otherwise)
            }
        }
    }

    public var queue: String
    public var kind: String
    public var title: TextTemplate
    public var priority: PriorityRule
    /// The patient reference; by default the event's `subject`.
    public var subject: TextTemplate?
    /// The patient's display name, from the payload.
    public var display: TextTemplate?
    /// The resource the work is about; by default the correlation key when it is a reference.
    public var focus: TextTemplate?
    /// For exception tasks: the reason code and structured context.
    public var exceptionCode: String?
    public var context: [String: TextTemplate]

    public init(queue: String, kind: String, title: TextTemplate, priority: PriorityRule,
                subject: TextTemplate? = nil, display: TextTemplate? = nil, focus: TextTemplate? = nil,
                exceptionCode: String? = nil, context: [String: TextTemplate] = [:]) {
        self.queue = queue
        self.kind = kind
        self.title = title
        self.priority = priority
        self.subject = subject
        self.display = display
        self.focus = focus
        self.exceptionCode = exceptionCode
        self.context = context
    }

    /// Every template in the task template, to check their placeholders.
    var templates: [TextTemplate] {
        var all = [title] + [subject, display, focus].compactMap { $0 } + Array(context.values)
        if case let .text(template) = priority { all.append(template) }
        return all
    }

    /// The task draft for an event, or why the payload cannot make one.
    func draft(for event: CloudEvent, correlationKey: String?, extra: [String: String]) -> Result<TaskDraft, EventRejection> {
        let data = event.data
        let priorityValue: Priority
        switch priority {
        case let .text(template):
            let text = template.render(data, extra: extra)
            guard let parsed = Priority(rawValue: text) else {
                return .failure(EventRejection(.dataInvalid, "priority '\(text)' from \(template) is not routine, urgent, asap or stat"))
            }
            priorityValue = parsed
        case let .flags(flags, otherwise):
            priorityValue = flags.first { data?.value(at: $0.path) == .bool(true) }?.priority ?? otherwise
        }
        let subjectText = subject.map { $0.render(data, extra: extra) } ?? event.subject
        let subjectReference = subjectText.flatMap { $0.isEmpty ? nil : Reference($0) }
        if let subjectText, !subjectText.isEmpty, subjectReference == nil {
            return .failure(EventRejection(.dataInvalid, "subject '\(subjectText)' is not a Type/id reference"))
        }
        let focusText = focus.map { $0.render(data, extra: extra) } ?? correlationKey
        let title = self.title.render(data, extra: extra)
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(EventRejection(.dataInvalid, "the title \(self.title) is empty for this event"))
        }
        var contextValues: [String: String] = [:]
        for (key, template) in context { contextValues[key] = template.render(data, extra: extra) }
        return .success(TaskDraft(
            queue: queue, title: String(title.prefix(200)), kind: kind, priority: priorityValue,
            subject: subjectReference, subjectDisplay: display.map { $0.render(data, extra: extra) }.flatMap { $0.isEmpty ? nil : $0 },
            focus: focusText.flatMap(Reference.init), correlationKey: correlationKey, traceID: event.traceparent,
            exception: exceptionCode.map { ExceptionDetail(code: $0, context: contextValues) }
        ))
    }
}
