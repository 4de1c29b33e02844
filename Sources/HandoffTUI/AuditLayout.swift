import Foundation
import HandoffCore

/// The columns of the audit screen at a given width: narrower terminals drop the origin, then the role,
/// then the state change and the details (which the line under the list still shows for the selected record).
struct AuditLayout {
    let width: Int
    /// The zone times are shown in: the person's own.
    let timeZone: TimeZone

    /// The columns, in order.
    private enum Column {
        case time, actor, role, origin, action, task, change, detail

        var title: String {
            switch self {
            case .time: "TIME"
            case .actor: "ACTOR"
            case .role: "ROLE"
            case .origin: "ORIGIN"
            case .action: "ACTION"
            case .task: "TASK"
            case .change: "FROM → TO"
            case .detail: "DETAIL"
            }
        }
    }

    /// The columns shown at this width, with their widths; the details take what is left.
    private var columns: [(column: Column, cells: Int)] {
        var columns: [(column: Column, cells: Int)] = [(.time, 14), (.actor, 15)]
        if width >= 120 { columns.append((.role, 11)) }
        if width >= 150 { columns.append((.origin, 16)) }
        columns += [(.action, 17), (.task, 8)]
        if width >= 100 { columns.append((.change, 23)) }
        let used = columns.reduce(2) { $0 + $1.cells + 1 }
        if width - used >= 8 { columns.append((.detail, width - used)) }
        return columns
    }

    /// The cells of the action column, which a break-glass record colours besides its `!`.
    var actionCells: Range<Int> {
        var start = 2
        for (column, cells) in columns {
            if column == .action { return start..<(start + cells) }
            start += cells + 1
        }
        return start..<start
    }

    var header: String {
        "  " + columns.map { DisplayText.fit($0.column.title, cells: $0.cells) }.joined(separator: " ")
    }

    /// One record as a line: `!` marks a break-glass record. Text from the database is made safe before it
    /// is measured, so an escape sequence shows as its escaped text and cannot shift the columns.
    func line(_ record: StoredAudit) -> String {
        let entry = record.entry
        let cells = columns.map { column, cells in
            let text = switch column {
            case .time: shortTime(entry.time)
            case .actor: entry.actor
            case .role: entry.actorRole.rawValue
            case .origin: entry.origin
            case .action: entry.action
            case .task: entry.taskID?.description ?? ""
            case .change: Self.change(entry)
            case .detail: entry.detailText
            }
            return DisplayText.fit(text, cells: cells)
        }
        return (entry.breakGlassReason != nil ? "! " : "  ") + cells.joined(separator: " ")
    }

    /// The selected record in full, for the line under the list.
    func summary(_ record: StoredAudit) -> String {
        let entry = record.entry
        let task = entry.taskID.map { " \($0)" } ?? ""
        let change = Self.change(entry)
        let detail = entry.detailText.isEmpty ? "" : " · \(entry.detailText)"
        let trace = entry.traceID.map { " · trace \($0)" } ?? ""
        return "record \(record.seq) · \(fullTime(entry.time)) · \(entry.actor) (\(entry.actorRole.rawValue)) from \(entry.origin)"
            + " · \(entry.action)\(task)\(change.isEmpty ? "" : " \(change)")\(detail)\(trace)"
    }

    /// The state change: `from → to`, or the one state where it did not change.
    static func change(_ entry: AuditEntry) -> String {
        guard entry.fromState != entry.toState else { return entry.toState?.rawValue ?? "" }
        return "\(entry.fromState?.rawValue ?? "·") → \(entry.toState?.rawValue ?? "·")"
    }

    /// `11-28 14:03:07`, in the person's zone.
    func shortTime(_ date: Date) -> String {
        let parts = components(date)
        return "\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    /// `2026-11-28 14:03:07`, in the person's zone.
    func fullTime(_ date: Date) -> String {
        "\(components(date).year ?? 0)-" + shortTime(date)
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    private func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : String(value)
    }
}
