import HandoffCore

/// What the console reads and changes, supplied by the application (backed by the store).
///
/// The console never sees SQL; every call is one short transaction, made on the UI thread.
public protocol ConsoleData: AnyObject {
    /// Who is acting.
    var actor: Actor { get }
    /// A short name of the database for the status bar.
    var databaseName: String { get }
    /// The queues the actor belongs to or oversees, with counts.
    func queues() throws -> [QueueInfo]
    /// One page of tasks.
    func tasks(_ filter: TaskFilter) throws -> [WorkTask]
    /// How many tasks match (paging aside).
    func count(_ filter: TaskFilter) throws -> Int
    /// How the actor stands towards a queue, for offering actions.
    func access(to queue: String) throws -> QueueAccess
    /// Opens a task's detail; recorded as an access. Outside the actor's queues it throws
    /// ``TransitionError/breakGlassRequired(task:queue:)`` unless `breakGlass` gives an emergency reason,
    /// which the access record keeps.
    func open(_ id: TaskID, breakGlass: String?) throws -> TaskDetail
    /// Reads an open task's detail again, without recording another access (with the reason it was opened by, if any).
    func refresh(_ id: TaskID, breakGlass: String?) throws -> TaskDetail
    /// Applies an action to a task the actor saw at `expectedVersion`.
    func perform(_ action: TaskAction, on id: TaskID, expectedVersion: Int) throws -> WorkTask
    /// Assigns a task the actor saw at `expectedVersion` to `user`.
    func assign(_ id: TaskID, to user: String, reason: String?, expectedVersion: Int) throws -> WorkTask
    /// The actor's next task: their own assigned work, else claims the most urgent queued task.
    func claimNext() throws -> WorkTask?
    /// Who a queue's tasks can be given to, for assignment: its members, then its supervisors.
    func members(of queue: String) throws -> [String]
    /// One line on the sync worker for the title bar (liveness, lag, dead letters); `nil` without sync.
    func syncLine() throws -> String?
    /// The worker's counters, lag, feed and last error, a few lines for the integration screen.
    func syncPanel() throws -> [String]
    /// Open dead letters, newest first (integration support; the store refuses non-admins).
    func deadLetters() throws -> [DeadLetterItem]
    /// Applies a dead letter again with the current routes; says what came of it.
    func replayDeadLetter(_ id: Int64) throws -> String
    /// Closes a dead letter without applying it, with a reason.
    func discardDeadLetter(_ id: Int64, reason: String) throws
    /// The supervisor dashboard of the queues the actor oversees; `nil` when they oversee none.
    func dashboard() throws -> SupervisorDashboard?
    /// The tasks behind one of the dashboard's numbers, as the store lists them now.
    func dashboardTasks(_ figure: DashboardFigure) throws -> [WorkTask]
    /// The audit records `query` asks for that the actor may read (``AuditAccess``), newest first; anyone
    /// the audit log is not for is refused with the rules' own error.
    func auditLog(_ query: AuditQuery) throws -> [StoredAudit]
}
