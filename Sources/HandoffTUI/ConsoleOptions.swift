import Foundation
import HandoffCore

/// How a console session behaves.
public struct ConsoleOptions: Sendable {
    /// A wall screen: nothing can be changed, no action is offered.
    public var readOnly: Bool
    /// After this long without a key press the console clears the screen and exits.
    public var idleTimeout: Duration
    /// The wall clock, injected so tests are deterministic.
    public var now: @Sendable () -> Date
    /// What charts are drawn with: Unicode block characters, or ASCII where the terminal lacks them.
    public var glyphs: Chart.Glyphs
    /// The zone times are shown in (the audit screen's), injected so tests are deterministic.
    public var timeZone: TimeZone
    /// Marks the selected task with `▸` instead of highlighting its whole row, as mutt's `arrow_cursor`
    /// does: a cursor move then rewrites two cells, not two rows of colour, for slow links.
    public var arrowCursor: Bool

    public init(readOnly: Bool = false, idleTimeout: Duration = .seconds(15 * 60), glyphs: Chart.Glyphs = .unicode,
                timeZone: TimeZone = .current, arrowCursor: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) {
        self.readOnly = readOnly
        self.arrowCursor = arrowCursor
        self.idleTimeout = idleTimeout
        self.glyphs = glyphs
        self.timeZone = timeZone
        self.now = now
    }
}
