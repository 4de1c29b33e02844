import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// The SLA column: time left with a glyph and a role, so lateness reads with or without colour.
struct SLACellTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    func task(stage: SLAStatus.Stage?, due: TimeInterval? = nil, next: TimeInterval? = nil, crossed: String? = nil,
              state: TaskState = .queued) -> WorkTask {
        WorkTask(id: TaskID(1), queue: "q", state: state, title: "t", createdAt: Self.now.addingTimeInterval(-3_600), updatedBy: "x",
                 dueAt: due.map { Self.now.addingTimeInterval($0) }, slaStage: stage, slaNextAt: next.map { Self.now.addingTimeInterval($0) },
                 slaThreshold: crossed)
    }

    @Test func eachStageReadsWithAGlyph() {
        #expect(SLACell.cell(for: task(stage: nil), now: Self.now) == ("—", .muted))
        #expect(SLACell.cell(for: task(stage: .running, due: 5 * 3_600, next: 3_600), now: Self.now) == ("  5h", .slaOK))
        #expect(SLACell.cell(for: task(stage: .running, due: 2 * 3_600, next: -60), now: Self.now) == ("! 2h", .slaWarning),
                "past the warning threshold: at risk")
        #expect(SLACell.cell(for: task(stage: .running, due: 2 * 3_600, next: 2 * 3_600, crossed: "warning"), now: Self.now) == ("! 2h", .slaWarning),
                "still at risk once the sweeper acted on the warning and the next check is the breach")
        #expect(SLACell.cell(for: task(stage: .running, due: -1_800), now: Self.now) == ("✗ -30m", .slaBreached),
                "due passed since the last change: breached now")
        #expect(SLACell.cell(for: task(stage: .paused, state: .pending), now: Self.now) == ("‖ paused", .muted))
        #expect(SLACell.cell(for: task(stage: .met, state: .completed), now: Self.now) == ("✓ met", .muted))
        #expect(SLACell.cell(for: task(stage: .breached, due: -60, state: .completed), now: Self.now) == ("✗ late", .slaBreached))
    }
}
