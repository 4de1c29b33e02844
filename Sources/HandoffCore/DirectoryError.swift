/// Why a change to users or queues was refused.
public enum DirectoryError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAdmin(user: String)
    case invalidName(String)
    case unknownRole(String)
    case noRoles
    case emptyDisplayName

    public var description: String {
        switch self {
        case let .notAdmin(user):
            "\(user) is not an admin: only admins change users and queues"
        case let .invalidName(name):
            "'\(name)' is not a valid name: use 1–32 of a-z, 0-9, '.', '_' and '-', starting with a letter"
        case let .unknownRole(role):
            "unknown role '\(role)': use coordinator, nurse, supervisor, admin or service"
        case .noRoles:
            "give at least one role: coordinator, nurse, supervisor, admin or service"
        case .emptyDisplayName:
            "the display name must not be empty"
        }
    }
}
