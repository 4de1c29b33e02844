import Foundation
import HandoffCore

/// How a task's SLA reads in a list: time left to its due time, with a glyph and a role, so late and
/// at-risk work stands out with or without colour.
enum SLACell {
    /// The text and role of the SLA cell of `task` at `now`.
    static func cell(for task: WorkTask, now: Date) -> (text: String, role: ThemeRole) {
        guard let stage = task.slaStage else { return ("—", .muted) }
        switch stage {
        case .paused: return ("‖ paused", .muted)
        case .met: return ("✓ met", .muted)
        case .cancelled: return ("—", .muted)
        case .breached where !task.state.isActive: return ("✗ late", .slaBreached)
        case .running, .breached:
            guard let due = task.dueAt else { return ("—", .muted) }
            let left = RelativeTime.format(from: now, to: due)
            if due <= now { return ("✗ " + left, .slaBreached) }
            if task.slaThreshold != nil || task.slaNextAt.map({ $0 <= now }) == true { return ("! " + left, .slaWarning) }
            return ("  " + left, .slaOK)
        }
    }
}
