import Foundation
import HandoffCore
import HandoffStore

/// The shapes `--format json` prints: stable field names, state codes as in the CLI.
public enum JSONViews {
    public struct Queue: Encodable {
        var name: String
        var title: String
        var requiresReview: Bool
        var members: [String]
        var supervisors: [String]
        var counts: [String: Int]
    }

    public struct User: Encodable {
        var name: String
        var displayName: String
        var roles: [String]
        var disabled: Bool
    }

    public struct Audit: Encodable {
        var seq: Int64
        var time: Date
        var actor: String
        var actorRole: String
        var origin: String
        var action: String
        var task: String?
        var fromState: String?
        var toState: String?
        var detail: [String: String]
        var traceID: String?
    }

    public struct NoteView: Encodable {
        var author: String
        var time: Date
        var text: String
    }

    public struct Detail: Encodable {
        var task: WorkTask
        var notes: [NoteView]
        var history: [Audit]
    }

    public static func queue(_ info: QueueInfo) -> Queue {
        Queue(name: info.name, title: info.title, requiresReview: info.requiresReview, members: info.members,
              supervisors: info.supervisors,
              counts: Dictionary(uniqueKeysWithValues: TaskState.allCases.map { ($0.rawValue, info.counts[$0] ?? 0) }))
    }

    public static func user(_ info: UserInfo) -> User {
        User(name: info.name, displayName: info.displayName, roles: info.roles.sorted().map(\.rawValue), disabled: info.isDisabled)
    }

    public static func audit(_ record: StoredAudit) -> Audit {
        let entry = record.entry
        return Audit(seq: record.seq, time: entry.time, actor: entry.actor, actorRole: entry.actorRole.rawValue,
                     origin: entry.origin, action: entry.action, task: entry.taskID?.description,
                     fromState: entry.fromState?.rawValue, toState: entry.toState?.rawValue,
                     detail: entry.detail, traceID: entry.traceID)
    }

    public static func detail(_ detail: TaskDetail) -> Detail {
        Detail(task: detail.task, notes: detail.notes.map { NoteView(author: $0.author, time: $0.time, text: $0.text) },
               history: detail.history.map(audit))
    }
}
