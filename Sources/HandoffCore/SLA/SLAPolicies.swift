import Foundation

/// Every queue's SLA policy and the calendars they use: data, loaded from a policies file.
public struct SLAPolicies: Hashable, Sendable {
    public var calendars: [String: WorkCalendar]
    /// By queue name; under ``defaultKey``, the policy of queues not named.
    public var policies: [String: SLAPolicy]

    /// The key of the policy for queues without one of their own.
    public static let defaultKey = "*"

    public init(calendars: [String: WorkCalendar], policies: [String: SLAPolicy]) {
        self.calendars = calendars
        self.policies = policies
    }

    /// No SLAs anywhere.
    public static let none = SLAPolicies(calendars: [:], policies: [:])

    /// The policy of `queue`: its own, else the default one.
    public func policy(for queue: String) -> SLAPolicy? {
        policies[queue] ?? policies[Self.defaultKey]
    }

    /// The clock of a task cycle that started at `start` with `pauses`, under its queue's policy and the
    /// goal for `priority`; `nil` when the queue has no policy. A calendar the policy names but this set
    /// lacks is taken as 24×7 (the loader refuses such a file).
    public func clock(queue: String, priority: Priority, start: Date, pauses: [SLAClock.Pause],
                      ending: SLAClock.Ending?) -> SLAClock? {
        guard let policy = policy(for: queue), let goal = policy.goal(for: priority) else { return nil }
        let calendar = calendars[goal.calendar] ?? .always
        return SLAClock(start: start, target: goal.target.seconds(on: calendar), calendar: calendar, pauses: pauses, ending: ending)
    }
}
