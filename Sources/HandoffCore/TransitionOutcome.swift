/// What an allowed action yields: the task as it now is, the audit record to append,
/// and the note to store when the action carries one.
public struct TransitionOutcome: Hashable, Sendable {
    public var task: WorkTask
    public var audit: AuditEntry
    public var note: String?

    public init(task: WorkTask, audit: AuditEntry, note: String? = nil) {
        self.task = task
        self.audit = audit
        self.note = note
    }
}
