import Foundation

/// Everything the supervisor dashboard shows at one moment: per queue, flow and people.
public struct SupervisorDashboard: Hashable, Sendable {
    public var scope: DashboardScope
    public var queues: [QueueFigures]
    public var flow: FlowFigures
    public var people: PeopleFigures

    public init(scope: DashboardScope, queues: [QueueFigures], flow: FlowFigures, people: PeopleFigures) {
        self.scope = scope
        self.queues = queues
        self.flow = flow
        self.people = people
    }

    /// The count shown for `figure` (how many tasks its drill-down lists); `nil` for a figure that is
    /// not a count of tasks of this dashboard.
    public func count(of figure: DashboardFigure) -> Int? {
        func queue(_ name: String) -> QueueFigures? { queues.first { $0.queue == name } }
        switch figure {
        case let .open(name, state):
            guard let figures = queue(name) else { return nil }
            return state.map { figures.depth[$0] ?? 0 } ?? figures.open
        case let .unassigned(name): return queue(name)?.unassigned
        case let .oldest(name): return queue(name)?.open
        case let .atRisk(name): return queue(name)?.atRisk
        case let .breachedNow(name): return queue(name)?.breachedNow
        case let .breachedToday(name): return queue(name)?.breachedToday
        case let .completedToday(name): return queue(name)?.completedToday
        case let .lateToday(name): return queue(name)?.completedLateToday
        case let .arrivals(hour): return hour.map { flow.arrivals[$0] } ?? flow.arrivalsTotal
        case let .completions(hour): return hour.map { flow.completions[$0] } ?? flow.completionsTotal
        case .claims: return flow.timeToClaim.count
        case .pendingEnded: return flow.timePending.count
        case let .openWork(user): return people.people.first { $0.name == user }?.openWork ?? 0
        case let .reassignments(user):
            return user.map { user in people.people.first { $0.name == user }?.reassignments ?? 0 } ?? people.reassignments
        case .breakGlass: return people.breakGlass.count
        }
    }
}
