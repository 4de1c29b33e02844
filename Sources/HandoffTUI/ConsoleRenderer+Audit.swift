import Foundation
import HandoffCore

/// Drawing the audit screen: the newest records the person may read, a break-glass record flagged, and the
/// selected record in full under the list.
extension ConsoleRenderer {
    func drawAudit(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        let records = console.auditRecords
        let shown = console.auditShown
        let layout = AuditLayout(width: buffer.width, timeZone: console.options.timeZone)
        let scope = (try? AuditAccess.of(console.data.actor)) == .all ? "every record" : "the records of the tasks in the queues you supervise"
        let newest = records.count >= Console.auditLimit ? "the newest \(Console.auditLimit), " : ""
        let matches = console.auditFilter.isEmpty ? "" : " · \(shown.count) of \(records.count) match"
        let position = shown.isEmpty ? "" : " · \(console.auditIndex + 1) of \(shown.count)"
        let zone = console.options.timeZone.abbreviation(for: now) ?? console.options.timeZone.identifier
        buffer.put("Audit — \(scope), \(newest)newest first\(matches)\(position) · times \(zone)", row: 1, column: 1, role: .muted,
                   maxWidth: buffer.width - 2)
        guard area.count >= 2 else { return }
        buffer.put(layout.header, row: area.lowerBound, column: 0, role: .header)
        guard !shown.isEmpty else {
            let empty = records.isEmpty ? "No audit record you may read yet." : "No record's task, actor or action matches the filter — Esc clears it."
            buffer.put(empty, row: area.lowerBound + 1, column: 2, role: .muted)
            return
        }
        // The selected record in full on the last line, when there is room for a list above it.
        let summary = area.count >= 5 ? 1 : 0
        let body = (area.lowerBound + 1)..<(area.upperBound - summary)
        if console.auditIndex < console.auditTop { console.auditTop = console.auditIndex }
        if console.auditIndex >= console.auditTop + body.count { console.auditTop = console.auditIndex - body.count + 1 }
        console.auditTop = min(max(console.auditTop, 0), max(shown.count - body.count, 0))
        for (offset, record) in shown.dropFirst(console.auditTop).prefix(body.count).enumerated() {
            let row = body.lowerBound + offset
            let selected = console.auditTop + offset == console.auditIndex
            let role: ThemeRole? = selected ? .selection : record.entry.action == ActionKind.view.rawValue ? .muted : nil
            if let role { buffer.paint(row: row, role: role) }
            buffer.put(layout.line(record), row: row, column: 0, role: role)
            if record.entry.breakGlassReason != nil, !selected {
                // Flagged by its `!` without colour; the theme's error role makes it stand out further.
                buffer.paint(row: row, length: 1, role: .error)
                buffer.paint(row: row, from: layout.actionCells.lowerBound, length: layout.actionCells.count, role: .error)
            }
            if selected { buffer.cursor = (row, 0) }
        }
        if summary > 0, let record = console.selectedAudit {
            buffer.put(layout.summary(record), row: area.upperBound - 1, column: 1, role: .muted, maxWidth: buffer.width - 2)
        }
    }
}
