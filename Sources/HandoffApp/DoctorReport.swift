import HandoffCore

/// The findings of `handoff doctor`, in the order the checks ran, as lines or JSON.
public struct DoctorReport: Codable, Sendable, Equatable {
    /// The worst status found: `problem` makes `handoff doctor` exit 1.
    public let status: DoctorFinding.Status
    public let checks: [DoctorFinding]

    public init(checks: [DoctorFinding]) {
        self.checks = checks
        status = checks.map(\.status).max() ?? .ok
    }

    /// How many checks found a problem.
    public var problems: Int { checks.filter { $0.status == .problem }.count }

    /// One line per check: status, check, what was found and, unless ok, the fix; every value sanitised.
    public func lines() -> [String] {
        let statusWidth = DoctorFinding.Status.allCases.map(\.rawValue.count).max() ?? 0
        let checkWidth = checks.map(\.check.count).max() ?? 0
        return checks.map { finding in
            let line = pad(finding.status.rawValue, statusWidth) + "  " + pad(finding.check, checkWidth) + "  " + finding.found
                + (finding.fix.map { " — fix: " + $0 } ?? "")
            return DisplayText.sanitize(line)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(width - text.count, 0))
    }
}
