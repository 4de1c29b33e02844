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
        var names = Set(openWork.keys)
        for record in records.records(behind: .reassignments(user: nil), in: scope) {
            if case let .reassignment(from, to) = record.kind { names.formUnion([from, to]) }
        }
        people = names.map { name in
            Person(name: name, openWork: openWork[name] ?? 0,
                   reassignments: records.records(behind: .reassignments(user: name), in: scope).count)
        }.sorted { ($1.openWork, $0.name) < ($0.openWork, $1.name) }
        reassignments = records.records(behind: .reassignments(user: nil), in: scope).count
        breakGlass = records.records(behind: .breakGlass, in: scope)
    }
}
