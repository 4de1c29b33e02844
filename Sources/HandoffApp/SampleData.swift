import Foundation
import HandoffCore
import Yams

/// The synthetic users, queues, patients and tasks of `SampleData/`, as read from its YAML files.
public struct SampleData: Sendable {
    public struct User: Codable, Sendable {
        public var name: String
        public var display: String
        public var roles: [Role]
    }

    public struct Queue: Codable, Sendable {
        public var name: String
        public var title: String
        public var requiresReview: Bool
        public var members: [String]
        public var supervisors: [String]
    }

    public struct Patient: Codable, Sendable {
        public var id: Reference
        public var name: String
        public var birthDate: String
    }

    public struct Task: Codable, Sendable {
        public struct Pending: Codable, Sendable { public var reason: String; public var expectedIn: String }
        public struct Exception: Codable, Sendable { public var code: String; public var context: [String: String]? }
        public struct Cancelled: Codable, Sendable { public var by: String; public var reason: String }
        public struct NoteEntry: Codable, Sendable { public var by: String; public var ago: String; public var text: String }

        public var queue: String
        public var kind: String
        public var title: String
        public var priority: Priority
        public var patient: Reference?
        public var focus: Reference?
        public var correlation: String?
        public var createdAgo: String
        public var createdBy: String
        public var trace: String?
        public var state: TaskState
        public var owner: String?
        public var reviewer: String?
        public var pending: Pending?
        public var exception: Exception?
        public var cancelled: Cancelled?
        public var notes: [NoteEntry]?
    }

    public var users: [User]
    public var queues: [Queue]
    public var patients: [Patient]
    public var tasks: [Task]
    /// The sample SLA policies (`sla.yaml`), checked against the sample queues; `nil` when the folder has none.
    public var sla: (text: String, policies: SLAPolicies)?

    /// Reads the files of the sample data folder at `directory`.
    public static func load(from directory: String) throws(SampleDataError) -> SampleData {
        let queues = try read([Queue].self, directory, "queues.yaml")
        var sla: (String, SLAPolicies)?
        let slaFile = directory + "/sla.yaml"
        if let text = try? String(contentsOfFile: slaFile, encoding: .utf8) {
            do {
                sla = (text, try SLAPoliciesLoader.parse(text, file: slaFile, knownQueues: Set(queues.map(\.name))))
            } catch {
                throw .invalid(path: slaFile, problem: error.description)
            }
        }
        return SampleData(
            users: try read([User].self, directory, "users.yaml"),
            queues: queues,
            patients: try read([Patient].self, directory, "patients.yaml"),
            tasks: try read([Task].self, directory, "tasks.yaml"),
            sla: sla
        )
    }

    private static func read<T: Decodable>(_ type: T.Type, _ directory: String, _ file: String) throws(SampleDataError) -> T {
        let path = directory + "/" + file
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path)
        }
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch {
            throw .invalid(path: path, problem: String(describing: error))
        }
    }
}

/// The sample data could not be read or replayed.
public enum SampleDataError: Error, Sendable, CustomStringConvertible {
    case notFound
    case unreadable(path: String)
    case invalid(path: String, problem: String)

    public var description: String {
        switch self {
        case .notFound: "cannot find the SampleData folder: pass --from DIR or set HANDOFF_SAMPLE_DATA"
        case let .unreadable(path): "cannot read \(path)"
        case let .invalid(path, problem): "\(path): \(problem)"
        }
    }
}
