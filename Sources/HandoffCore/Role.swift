/// What a person or service account may do in Handoff.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    /// Works the queues they belong to.
    case coordinator
    /// As coordinator, plus clinical review and clinical exceptions.
    case nurse
    /// Oversees queues: assigns, reassigns, cancels, escalates; works the escalated tasks given to them.
    case supervisor
    /// Manages users and queues; reassigns anything.
    case admin
    /// The sync worker, escalation sweeper and other background services.
    case service

    /// Roles that work tasks with their own hands (claim, start, complete).
    public static let workers: Set<Role> = [.coordinator, .nurse]

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma-separated role list such as `nurse,supervisor`.
    public static func parseList(_ text: String) throws(DirectoryError) -> Set<Role> {
        var roles: Set<Role> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let role = Role(rawValue: name) else { throw .unknownRole(name) }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw .noRoles }
        return roles
    }
}
