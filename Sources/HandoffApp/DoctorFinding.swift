/// What one check of `handoff doctor` found, and for anything not ok, how to fix it.
public struct DoctorFinding: Codable, Sendable, Equatable {
    /// How serious a finding is: a problem makes `handoff doctor` exit 1, a warning does not.
    public enum Status: String, Codable, Sendable, Comparable, CaseIterable {
        case ok
        case warning
        case problem

        public static func < (lhs: Status, rhs: Status) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The check's name, e.g. `database file`.
    public var check: String
    public var status: Status
    /// What was found.
    public var found: String
    /// A concrete command or action that fixes it; `nil` when the finding is ok.
    public var fix: String?

    public init(check: String, status: Status, found: String, fix: String? = nil) {
        self.check = check
        self.status = status
        self.found = found
        self.fix = fix
    }
}
