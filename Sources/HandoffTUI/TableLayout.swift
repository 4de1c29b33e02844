import Foundation
import HandoffCore

/// The columns of a task table at a given width: narrower terminals drop the least needed ones.
struct TableLayout {
    let width: Int
    let exceptionCodes: Bool

    private var wide: Bool { width >= 90 }
    private let id = 8, priority = 9, sla = 8, state = 11, owner = 10, age = 4
    private var patient: Int { width >= 110 ? 20 : 14 }
    private var code: Int { exceptionCodes ? 16 : 0 }
    private var title: Int {
        let fixed = 2 + id + 1 + priority + 1 + sla + 1 + state + 1 + patient + 1 + (code > 0 ? code + 1 : 0) + (wide ? owner + 1 + age + 1 : 0)
        return max(width - fixed - 1, 8)
    }

    var header: String {
        var line = "  " + DisplayText.fit("ID", cells: id) + " " + DisplayText.fit("PRIORITY", cells: priority) + " "
            + DisplayText.fit("SLA", cells: sla) + " " + DisplayText.fit("STATE", cells: state) + " "
        if code > 0 { line += DisplayText.fit("REASON", cells: code) + " " }
        line += DisplayText.fit("PATIENT", cells: patient) + " " + DisplayText.fit("TITLE", cells: title)
        if wide { line += " " + DisplayText.fit("OWNER", cells: owner) + " " + DisplayText.fit("AGE", cells: age) }
        return line
    }

    /// Draws one task row. Priority and state carry words and glyphs, not colour alone. The selected row
    /// is highlighted whole, or, with `arrow`, marked by `▸` in its first cell only.
    func draw(_ task: WorkTask, into buffer: inout ScreenBuffer, row: Int, now: Date, marked: Bool, changed: Bool, selected: Bool,
              arrow: Bool = false) {
        let base: ThemeRole? = selected && !arrow ? .selection : (marked ? .marked : nil)
        if let base { buffer.paint(row: row, length: width, role: base) }
        var column = 0
        let pointed = selected && arrow
        let mark = pointed ? "▸" : marked ? "✓" : (changed ? "•" : " ")
        column += buffer.put(mark, row: row, column: column, role: pointed ? .header : base ?? (changed ? .changed : nil))
        // A marked row under the arrow keeps its ✓ beside it: marks are never colour alone.
        column += buffer.put(pointed && marked ? "✓" : " ", row: row, column: column, role: base)
        func cell(_ text: String, _ cells: Int, _ role: ThemeRole?) {
            column += buffer.put(DisplayText.fit(text, cells: cells) + " ", row: row, column: column, role: base ?? role)
        }
        cell(task.id.description, id, nil)
        cell(Self.glyph(task.priority) + task.priority.rawValue + (task.escalated ? "▲" : ""), priority, .priority(task.priority))
        let slaCell = SLACell.cell(for: task, now: now)
        cell(slaCell.text, sla, slaCell.role)
        cell(task.state.rawValue, state, .state(task.state))
        if code > 0 { cell(task.exceptionCode ?? "", code, .state(.exception)) }
        cell(task.subjectDisplay ?? task.subject?.description ?? "", patient, nil)
        cell(task.title, title, nil)
        if wide {
            cell(task.owner ?? "—", owner, task.owner == nil ? .muted : nil)
            cell(RelativeTime.format(from: task.createdAt, to: now), age, .muted)
        }
    }

    /// A glyph per priority so urgency reads without colour.
    static func glyph(_ priority: Priority) -> String {
        switch priority {
        case .stat: "‼"
        case .asap: "!"
        case .urgent: "↑"
        case .routine: " "
        }
    }
}
