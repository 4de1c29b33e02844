/// The eight workflow states. The raw values are the codes used everywhere:
/// command line, filters, JSON, exports and docs.
public enum TaskState: String, CaseIterable, Codable, Sendable, Comparable {
    case queued
    case assigned
    case inProgress = "in-progress"
    case pending
    case review
    case completed
    case cancelled
    case exception

    /// Whether work can still happen on a task in this state (not completed or cancelled).
    public var isActive: Bool { self != .completed && self != .cancelled }

    /// The states a task is still open in.
    public static let active: Set<TaskState> = Set(allCases.filter(\.isActive))

    /// A short human label, e.g. "pending external data".
    public var label: String {
        switch self {
        case .queued: "queued"
        case .assigned: "assigned"
        case .inProgress: "in progress"
        case .pending: "pending external data"
        case .review: "awaiting clinical review"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .exception: "exception"
        }
    }

    /// Parses a state code, accepting the documented spelling only.
    public init?(code: String) { self.init(rawValue: code) }

    public static func < (lhs: TaskState, rhs: TaskState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
