import Foundation
import HandoffCore
import HandoffStore

/// How tasks, queues and users look on the command line.
public enum TaskPresentation {
    /// A table of tasks: id, priority, state, queue, patient, title, owner, age.
    public static func table(_ tasks: [WorkTask], now: Date) -> TextTable {
        TextTable(
            headers: ["ID", "PRIORITY", "STATE", "QUEUE", "PATIENT", "TITLE", "OWNER", "AGE"],
            rows: tasks.map { task in
                [task.id.description, task.priority.rawValue + (task.escalated ? " ▲" : ""), task.state.rawValue, task.queue,
                 task.subjectDisplay ?? task.subject?.description ?? "", task.title, task.owner ?? "—",
                 RelativeTime.format(from: task.createdAt, to: now)]
            }
        )
    }

    /// A task's detail: fields, notes and history, as readable lines.
    public static func detail(_ detail: TaskDetail, now: Date) -> String {
        let task = detail.task
        func person(_ name: String) -> String {
            detail.displayNames[name].map { "\($0) (\(name))" } ?? name
        }
        var lines: [String] = [
            "\(task.id)  \(task.title)",
            "queue      \(task.queue)",
            "state      \(task.state.rawValue) (\(task.state.label))",
            "priority   \(task.priority.rawValue)\(task.escalated ? " (escalated)" : "")",
            "kind       \(task.kind)",
            "owner      \(task.owner.map(person) ?? "—")",
        ]
        if let subject = task.subject {
            lines.append("patient    \(task.subjectDisplay.map { "\($0) " } ?? "")\(subject)")
        }
        if let focus = task.focus { lines.append("focus      \(focus)") }
        if let key = task.correlationKey { lines.append("correlates \(key)") }
        lines.append("created    \(Timestamp.format(task.createdAt)) (\(RelativeTime.format(from: task.createdAt, to: now)) ago)")
        lines.append("updated    \(Timestamp.format(task.updatedAt)) by \(person(task.updatedBy)), version \(task.version)")
        if let reason = task.pendingReason {
            lines.append("pending    \(reason)\(task.expectedBy.map { ", expected by \(Timestamp.format($0))" } ?? "")")
        }
        if let code = task.exceptionCode {
            let context = task.exceptionContext.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            lines.append("exception  \(code)\(context.isEmpty ? "" : " — \(context)")")
        }
        if let outcome = task.resolution { lines.append("resolution \(outcome.rawValue)") }
        if let reason = task.cancelReason { lines.append("cancelled  \(reason)") }
        if let trace = task.traceID { lines.append("trace      \(trace)") }
        if !detail.notes.isEmpty {
            lines.append("")
            lines.append("Notes")
            for note in detail.notes {
                lines.append("  \(Timestamp.format(note.time))  \(person(note.author)): \(note.text)")
            }
        }
        lines.append("")
        lines.append("History")
        for record in detail.history {
            let entry = record.entry
            let move = entry.fromState.map { "\($0.rawValue) → \(entry.toState?.rawValue ?? "")" } ?? "→ \(entry.toState?.rawValue ?? "")"
            let extra = entry.detailText
            lines.append("  #\(record.seq)  \(Timestamp.format(entry.time))  \(person(entry.actor)) [\(entry.actorRole.rawValue), \(entry.origin)]  \(entry.action)  \(move)\(extra.isEmpty ? "" : "  \(extra)")")
        }
        return lines.map(DisplayText.sanitize).joined(separator: "\n")
    }

    /// A table of queues with their open work by state.
    public static func queues(_ queues: [QueueInfo]) -> TextTable {
        TextTable(
            headers: ["QUEUE", "TITLE", "REVIEW", "OPEN"] + TaskState.allCases.filter(\.isActive).map { $0.rawValue.uppercased() },
            rows: queues.map { queue in
                [queue.name, queue.title, queue.requiresReview ? "yes" : "no", String(queue.openCount)]
                    + TaskState.allCases.filter(\.isActive).map { String(queue.counts[$0] ?? 0) }
            }
        )
    }

    /// A table of users.
    public static func users(_ users: [UserInfo]) -> TextTable {
        TextTable(headers: ["USER", "NAME", "ROLES", "STATUS"], rows: users.map {
            [$0.name, $0.displayName, Role.format($0.roles), $0.isDisabled ? "disabled" : "active"]
        })
    }
}
