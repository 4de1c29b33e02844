/// What is needed to create a task, by hand or by routing an event.
public struct TaskDraft: Hashable, Sendable {
    public var queue: String
    public var title: String
    public var kind: String
    public var priority: Priority
    public var subject: Reference?
    public var subjectDisplay: String?
    public var focus: Reference?
    public var correlationKey: String?
    public var traceID: String?
    /// When set, the task is created directly in the `exception` state.
    public var exception: ExceptionDetail?

    public init(
        queue: String, title: String, kind: String = "task", priority: Priority = .routine,
        subject: Reference? = nil, subjectDisplay: String? = nil, focus: Reference? = nil,
        correlationKey: String? = nil, traceID: String? = nil, exception: ExceptionDetail? = nil
    ) {
        self.queue = queue
        self.title = title
        self.kind = kind
        self.priority = priority
        self.subject = subject
        self.subjectDisplay = subjectDisplay
        self.focus = focus
        self.correlationKey = correlationKey
        self.traceID = traceID
        self.exception = exception
    }
}

/// An exception's reason code and structured context.
public struct ExceptionDetail: Hashable, Sendable {
    /// A stable code such as `missing_demographics`.
    public var code: String
    /// Structured, non-narrative context, e.g. `["missing": "phone, insurance"]`.
    public var context: [String: String]

    public init(code: String, context: [String: String] = [:]) {
        self.code = code
        self.context = context
    }
}
