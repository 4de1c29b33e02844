import Foundation

/// One audit record as the core produces it: who did what to which task, when and from where.
///
/// Details hold ids, codes and workflow reasons, never clinical payloads.
public struct AuditEntry: Hashable, Sendable {
    public var time: Date
    public var actor: String
    /// The role that allowed the action.
    public var actorRole: Role
    /// Where the actor acted from, e.g. `local` or `ssh 192.0.2.10`.
    public var origin: String
    /// The action: a task action (`claim`) or a directory change (`user.add`).
    public var action: String
    public var taskID: TaskID?
    public var fromState: TaskState?
    public var toState: TaskState?
    /// Non-PHI details, e.g. `["owner": "cora"]`.
    public var detail: [String: String]
    /// Trace context of the event behind the change, if any.
    public var traceID: String?

    public init(
        time: Date, actor: String, actorRole: Role, origin: String, action: String,
        taskID: TaskID? = nil, fromState: TaskState? = nil, toState: TaskState? = nil,
        detail: [String: String] = [:], traceID: String? = nil
    ) {
        self.time = time
        self.actor = actor
        self.actorRole = actorRole
        self.origin = origin
        self.action = action
        self.taskID = taskID
        self.fromState = fromState
        self.toState = toState
        self.detail = detail
        self.traceID = traceID
    }
}

extension AuditEntry {
    /// The details as `key=value` pairs in key order, e.g. `owner=cora reason=off sick`.
    public var detailText: String {
        detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// The emergency reason of a break-glass access or action (kept under `breakGlass` by ``Workflow``), if it was one.
    public var breakGlassReason: String? { detail["breakGlass"] }
}
