import Foundation
import HandoffCore

/// Why a store operation failed, worded for the person who has to act on it.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case missing(path: String)
    case notADatabase(path: String)
    case notHandoff(path: String)
    case newerSchema(path: String)
    case cannotCreate(path: String, reason: String)
    case alreadyInitialised(path: String)
    case alreadySeeded
    case conflict(task: TaskID, changedBy: String, at: Date, version: Int)
    case unknownTask(TaskID)
    case unknownUser(String)
    case disabledUser(String)
    case unknownQueue(String)
    case unknownDeadLetter(Int64)
    case userExists(String)
    case queueExists(String)
    case transition(TransitionError)
    case directory(DirectoryError)
    case sqlite(String)
    case auditKeyMissing(path: String)
    case auditKeyUnreadable(path: String, reason: String)
    /// One task of a batch was refused, so the batch changed nothing.
    case refusedInBatch(task: TaskID, done: Int, reason: String)
    /// Outbound events a replay would need may have been pruned after delivery: changes up to `through` were.
    case outboundPruned(through: Date)

    public var description: String {
        switch self {
        case let .missing(path):
            "no Handoff database at \(path): create one with 'handoff init --db \(path)', or try 'handoff demo'"
        case let .notADatabase(path):
            "\(path) is not a SQLite database; it was left untouched"
        case let .notHandoff(path):
            "\(path) is not a Handoff database; it was left untouched"
        case let .newerSchema(path):
            "\(path) was written by a newer version of Handoff; upgrade handoff to open it"
        case let .cannotCreate(path, reason):
            "cannot create \(path): \(reason)"
        case let .alreadyInitialised(path):
            "\(path) is already a Handoff database with users; ask one of its admins to add you (handoff users add)"
        case .alreadySeeded:
            "the database already has tasks: seed only a new database (handoff demo --reset recreates the demo)"
        case let .conflict(task, changedBy, at, version):
            "\(task) was changed by \(changedBy) at \(Timestamp.format(at)) (now version \(version)); reload it and try again"
        case let .unknownTask(id):
            "no task \(id)"
        case let .unknownUser(name):
            "unknown user '\(name)': an admin can add them with 'handoff users add \(name) --name \"Full Name\" --roles coordinator'"
        case let .disabledUser(name):
            "user '\(name)' is disabled: an admin can re-enable them with 'handoff users enable \(name)'"
        case let .unknownDeadLetter(id):
            "no dead letter \(id): list them with 'handoff deadletter list'"
        case let .unknownQueue(name):
            "unknown queue '\(name)': 'handoff queues list' shows the queues"
        case let .userExists(name):
            "user '\(name)' already exists"
        case let .queueExists(name):
            "queue '\(name)' already exists"
        case let .transition(error):
            error.description
        case let .directory(error):
            error.description
        case let .sqlite(message):
            "database error: \(message)"
        case let .auditKeyMissing(path):
            "the audit key \(path) is missing but the database's audit chain exists: restore the key file from where it is kept apart from backups (a new key would make every record fail verification)"
        case let .auditKeyUnreadable(path, reason):
            "the audit key \(path) cannot be used: \(reason)"
        case let .refusedInBatch(task, done, reason):
            "\(task): \(reason) — nothing was changed (the \(done) task\(done == 1 ? "" : "s") before it were allowed); narrow the batch, e.g. with --queue"
        case let .outboundPruned(through):
            "outbound events of changes up to \(Timestamp.format(through)) were pruned after delivery and cannot be sent again; replay --since a later time"
        }
    }
}
