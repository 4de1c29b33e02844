/// Task priority, using FHIR's Task.priority codes, from least to most urgent.
public enum Priority: String, CaseIterable, Codable, Sendable, Comparable {
    case routine
    case urgent
    case asap
    case stat

    /// 0 for routine up to 3 for stat; stored for sorting.
    public var rank: Int { Priority.allCases.firstIndex(of: self)! }

    /// The next more urgent priority, or `nil` at stat.
    public var raised: Priority? {
        rank + 1 < Priority.allCases.count ? Priority.allCases[rank + 1] : nil
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}
