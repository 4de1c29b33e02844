/// Why an installed `handoff` cannot run, or cannot be installed.
public enum InstallationError: Error, Equatable, CustomStringConvertible {
    case missingConfiguration(file: String)
    case insecureConfiguration(file: String, item: String)
    case badConfiguration(file: String, line: Int, problem: String)
    case notRoot
    case failed(step: String, reason: String)

    public var description: String {
        switch self {
        case let .missingConfiguration(file):
            "this handoff runs set-group-id but its configuration \(file) is missing or unreadable: install with 'handoff install --prefix DIR'"
        case let .insecureConfiguration(file, item):
            "refusing the configuration \(file): \(item) must be owned by root and writable by root only"
        case let .badConfiguration(file, line, problem):
            line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)"
        case .notRoot:
            "installing needs root (it creates a system group, a set-group-id binary and a private data directory): run it with sudo"
        case let .failed(step, reason):
            "install failed while \(step): \(reason)"
        }
    }
}
