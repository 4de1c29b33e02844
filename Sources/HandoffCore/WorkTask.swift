import Foundation

/// A unit of human work. It references clinical data; it never copies the chart.
public struct WorkTask: Hashable, Sendable, Codable {
    public var id: TaskID
    public var queue: String
    public var state: TaskState
    public var priority: Priority
    public var title: String
    /// What kind of work, e.g. `lab-review`, `demographics-exception`.
    public var kind: String
    /// The patient the work is about.
    public var subject: Reference?
    /// The minimum display context a person needs to act (a display name), from the event.
    public var subjectDisplay: String?
    /// The resource the work is about, e.g. `DiagnosticReport/9`.
    public var focus: Reference?
    /// The business key later events use to find this task, e.g. `ServiceRequest/77`.
    public var correlationKey: String?
    public var owner: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Who made the latest change.
    public var updatedBy: String
    /// Due time derived from the SLA policy, once SLAs apply.
    public var dueAt: Date?
    /// Increases with every change: the basis of optimistic concurrency.
    public var version: Int
    /// W3C trace context of the event that created or last changed the task.
    public var traceID: String?
    /// Why the task is pending external data.
    public var pendingReason: String?
    /// When the external data is expected.
    public var expectedBy: Date?
    /// The exception's reason code, e.g. `missing_demographics`.
    public var exceptionCode: String?
    /// Structured context of the exception, e.g. `missing: phone, insurance`.
    public var exceptionContext: [String: String]
    /// How the last exception was resolved.
    public var resolution: ExceptionOutcome?
    /// Why the task was cancelled.
    public var cancelReason: String?
    /// Whether the task has been escalated in its current cycle.
    public var escalated: Bool
    /// The SLA cycle: 1 from creation, one more with every reopening.
    public var slaCycle: Int
    /// When the current SLA cycle started (creation or reopening); `nil` without an SLA policy.
    public var slaCycleStart: Date?
    /// Where the SLA clock stood at the task's last change; `nil` without an SLA policy.
    public var slaStage: SLAStatus.Stage?
    /// When the next SLA threshold (warning, breach) is crossed if nothing changes: what the sweeper watches.
    public var slaNextAt: Date?
    /// The last SLA threshold the clock crossed (e.g. `warning`), `nil` before the first.
    public var slaThreshold: String?

    public init(
        id: TaskID, queue: String, state: TaskState = .queued, priority: Priority = .routine,
        title: String, kind: String = "task", subject: Reference? = nil, subjectDisplay: String? = nil,
        focus: Reference? = nil, correlationKey: String? = nil, owner: String? = nil,
        createdAt: Date, updatedAt: Date? = nil, updatedBy: String, dueAt: Date? = nil, version: Int = 1,
        traceID: String? = nil, pendingReason: String? = nil, expectedBy: Date? = nil,
        exceptionCode: String? = nil, exceptionContext: [String: String] = [:],
        resolution: ExceptionOutcome? = nil, cancelReason: String? = nil, escalated: Bool = false,
        slaCycle: Int = 1, slaCycleStart: Date? = nil, slaStage: SLAStatus.Stage? = nil, slaNextAt: Date? = nil,
        slaThreshold: String? = nil
    ) {
        self.id = id
        self.queue = queue
        self.state = state
        self.priority = priority
        self.title = title
        self.kind = kind
        self.subject = subject
        self.subjectDisplay = subjectDisplay
        self.focus = focus
        self.correlationKey = correlationKey
        self.owner = owner
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.updatedBy = updatedBy
        self.dueAt = dueAt
        self.version = version
        self.traceID = traceID
        self.pendingReason = pendingReason
        self.expectedBy = expectedBy
        self.exceptionCode = exceptionCode
        self.exceptionContext = exceptionContext
        self.resolution = resolution
        self.cancelReason = cancelReason
        self.escalated = escalated
        self.slaCycle = slaCycle
        self.slaCycleStart = slaCycleStart
        self.slaStage = slaStage
        self.slaNextAt = slaNextAt
        self.slaThreshold = slaThreshold
    }
}
