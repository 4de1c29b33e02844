/// Which tasks a listing shows, in which order, and from where.
public struct TaskFilter: Hashable, Sendable {
    public var queue: String?
    public var states: Set<TaskState>?
    public var owner: String?
    /// Only tasks without an owner.
    public var unownedOnly: Bool
    public var priority: Priority?
    /// Words that must all occur (as word prefixes, ignoring case and accents).
    public var search: [SearchTerm]
    /// Include completed and cancelled tasks when no states are given.
    public var includeClosed: Bool
    public var sort: TaskSort
    /// Start after this task in the sort order (keyset paging forwards).
    public var after: TaskID?
    /// End before this task in the sort order (keyset paging backwards).
    public var before: TaskID?
    /// At most this many tasks.
    public var limit: Int

    public init(queue: String? = nil, states: Set<TaskState>? = nil, owner: String? = nil, unownedOnly: Bool = false,
                priority: Priority? = nil, search: [SearchTerm] = [], includeClosed: Bool = false,
                sort: TaskSort = .priority, after: TaskID? = nil, before: TaskID? = nil, limit: Int = 500) {
        self.queue = queue
        self.states = states
        self.owner = owner
        self.unownedOnly = unownedOnly
        self.priority = priority
        self.search = search
        self.includeClosed = includeClosed
        self.sort = sort
        self.after = after
        self.before = before
        self.limit = limit
    }
}

/// A word to search for, optionally only in one field.
public struct SearchTerm: Hashable, Sendable {
    /// Where to look.
    public enum Field: String, Hashable, Sendable {
        case any
        /// The patient's display name.
        case patient
        case title
        /// Task id and references, e.g. `T-12`, `Patient/1001`.
        case reference
    }

    public var field: Field
    /// The word prefix, e.g. `nunez`.
    public var word: String

    public init(_ word: String, in field: Field = .any) {
        self.field = field
        self.word = word
    }
}

/// Orders of a task listing.
public enum TaskSort: String, CaseIterable, Hashable, Sendable {
    /// Most urgent first, then oldest.
    case priority
    /// Oldest first.
    case age
    /// Most recently changed first.
    case updated
    case state
    case patient
    case title
    case owner
}
