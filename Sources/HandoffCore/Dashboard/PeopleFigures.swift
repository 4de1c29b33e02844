import Foundation

/// Who holds the work in a supervisor's queues, and the changes of hands and emergency accesses of the
/// last 24 hours.
public struct PeopleFigures: Hashable, Sendable {
    /// One person's figures.
    public struct Person: Hashable, Sendable, Codable {
        public var name: String
        /// Open tasks they own in the queues.
        public var openWork: Int
        /// Tasks reassigned to or from them in the window.
        public var reassignments: Int
    }

    /// Everyone who owns open work or had work reassigned, most open work first, then by name.
    public var people: [Person]
    /// Reassignments in the window, all people together.
    public var reassignments: Int
    /// Break-glass accesses in the window, most recent first.
    public var breakGlass: [FlowRecord]

    /// Combines open work per owner (counted by the store) with the window's records.
    public init(openWork: [String: Int], records: [FlowRecord], scope: DashboardScope) {
        let records = FlowRecord.latestFirst(records)
        // One pass over the window's reassignments: the tasks each person's count is made of, exactly those
        // `.reassignments(user:)` lists (a task counts once per person, however often it changed hands).
        var handled: [String: Set<TaskID>] = [:]
        for record in records.all where record.isBehind(.reassignments(user: nil), in: scope) {
            guard case let .reassignment(from, to) = record.kind else { continue }
            for name in [from, to] where !name.isEmpty { handled[name, default: []].insert(record.task) }
        }
        people = Set(openWork.keys).union(handled.keys).map { name in
            Person(name: name, openWork: openWork[name] ?? 0, reassignments: handled[name]?.count ?? 0)
        }.sorted { ($1.openWork, $0.name) < ($0.openWork, $1.name) }
        reassignments = records.records(behind: .reassignments(user: nil), in: scope).count
        breakGlass = records.records(behind: .breakGlass, in: scope)
    }
}
