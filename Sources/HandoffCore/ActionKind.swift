/// The name of every task action; the raw values are the command-line and audit spellings.
public enum ActionKind: String, CaseIterable, Codable, Sendable {
    case create
    case note
    case reprioritise
    case reopen
    case claim
    case assign
    case release
    case start
    case pend
    case resume
    case requestReview = "request-review"
    case approve
    case `return`
    case complete
    case raiseException = "raise-exception"
    case resolveException = "resolve-exception"
    /// The sync worker revises an exception's context, e.g. fewer missing fields after an update.
    case updateException = "update-exception"
    case cancel
    case escalate
    /// Move the task to another queue (e.g. the escalation queue at an SLA breach).
    case move
    /// Opening a task's detail: not a transition, but audited as an access.
    case view
}
