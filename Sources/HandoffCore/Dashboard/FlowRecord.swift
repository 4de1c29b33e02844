import Foundation

/// One audited change in the dashboard's window that a flow or people figure counts: an arrival, a
/// completion, a claim, the end of a pending period, a reassignment or a break-glass access.
///
/// Records belong to the task's current queue. Deciding which figures a record counts towards lives
/// here, once, so a figure and the tasks listed behind it can never disagree.
public struct FlowRecord: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The task was created.
        case arrival
        /// The task reached `completed`; `since` is when its work began (creation or reopening).
        case completion(since: Date?)
        /// The task was claimed or assigned out of `queued`; `since` is when it entered `queued`.
        case claim(since: Date?)
        /// The task left `pending`; `since` is when it entered `pending`.
        case pendingEnded(since: Date?)
        /// The task changed hands between two people.
        case reassignment(from: String, to: String)
        /// A person outside the task's queues opened it with an emergency reason.
        case breakGlass(actor: String, reason: String)
    }

    public var kind: Kind
    public var task: TaskID
    /// The task's queue now.
    public var queue: String
    public var time: Date
    /// The task as it stands now: state, SLA stage and due time (for today's completed and late work).
    public var taskState: TaskState
    public var slaStage: SLAStatus.Stage?
    public var dueAt: Date?

    public init(kind: Kind, task: TaskID, queue: String, time: Date, taskState: TaskState,
                slaStage: SLAStatus.Stage? = nil, dueAt: Date? = nil) {
        self.kind = kind
        self.task = task
        self.queue = queue
        self.time = time
        self.taskState = taskState
        self.slaStage = slaStage
        self.dueAt = dueAt
    }

    /// How long the measured wait or work took (claim, completion, pending), when known.
    public var duration: TimeInterval? {
        switch kind {
        case let .completion(since), let .claim(since), let .pendingEnded(since):
            since.map { max(time.timeIntervalSince($0), 0) }
        default: nil
        }
    }

    /// Whether this record is one of those behind `figure` within `scope`.
    ///
    /// Open-task figures (depth, unassigned, oldest, at risk, breached now, open work) are not made of
    /// records; the closed part of "breached today" is: a task completed today, late, due today.
    public func isBehind(_ figure: DashboardFigure, in scope: DashboardScope) -> Bool {
        switch (figure, kind) {
        case let (.arrivals(hour), .arrival), let (.completions(hour), .completion):
            guard let bucket = scope.hour(of: time) else { return false }
            return hour.map { $0 == bucket } ?? true
        case (.claims, .claim), (.pendingEnded, .pendingEnded):
            return scope.hour(of: time) != nil && duration != nil
        case let (.reassignments(user), .reassignment(from, to)):
            return scope.hour(of: time) != nil && (user.map { $0 == from || $0 == to } ?? true)
        case (.breakGlass, .breakGlass):
            return scope.hour(of: time) != nil
        case let (.completedToday(queue), .completion):
            return self.queue == queue && completedToday(in: scope)
        case let (.lateToday(queue), .completion):
            return self.queue == queue && completedToday(in: scope) && slaStage == .breached
        case let (.breachedToday(queue), .completion):
            return self.queue == queue && completedToday(in: scope) && slaStage == .breached
                && dueAt.map(scope.isToday) == true
        default:
            return false
        }
    }

    /// Completed today and still completed (not reopened since).
    private func completedToday(in scope: DashboardScope) -> Bool {
        scope.isToday(time) && taskState == .completed
    }
}

extension Array where Element == FlowRecord {
    /// The records behind `figure`, one per task (its latest), most recent first: a figure counts
    /// these, its durations are theirs, and its drill-down lists their tasks.
    public func records(behind figure: DashboardFigure, in scope: DashboardScope) -> [FlowRecord] {
        FlowRecord.latestFirst(self).records(behind: figure, in: scope)
    }
}

extension FlowRecord {
    /// Records sorted most recent first, to pick figures from without sorting again.
    public struct LatestFirst: Sendable {
        /// Every record, most recent first.
        public let all: [FlowRecord]

        /// As ``Swift/Array/records(behind:in:)``.
        public func records(behind figure: DashboardFigure, in scope: DashboardScope) -> [FlowRecord] {
            var seen = Set<TaskID>()
            return all.filter { $0.isBehind(figure, in: scope) && seen.insert($0.task).inserted }
        }
    }

    /// `records` sorted most recent first (ties: the higher task id first, so the order is stable).
    public static func latestFirst(_ records: [FlowRecord]) -> LatestFirst {
        LatestFirst(all: records.sorted { ($0.time, $0.task.number) > ($1.time, $1.task.number) })
    }
}
