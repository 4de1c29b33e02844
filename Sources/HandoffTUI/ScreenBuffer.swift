import HandoffCore

/// One frame of the console as text and semantic roles, before any terminal sees it.
///
/// Screens draw into a buffer with pure functions; tests read it back as text; the terminal
/// layer paints it. Every string is sanitised on the way in, so control characters and escape
/// sequences from events, notes or names can never reach the terminal.
public struct ScreenBuffer: Sendable {
    /// One terminal cell: a grapheme (empty for the right half of a wide character) and its role.
    public struct Cell: Hashable, Sendable {
        public var text: String
        public var role: ThemeRole?
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [[Cell]]
    /// Where the hardware cursor rests (the selected row), so screen readers follow the selection.
    public var cursor: (row: Int, column: Int) = (0, 0)

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: Array(repeating: Cell(text: " ", role: nil), count: max(width, 0)), count: max(height, 0))
    }

    /// Writes `text` at `row`, `column`, cut to `maxWidth` cells (default: to the edge); returns the cells used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, role: ThemeRole? = nil, maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let limit = min(maxWidth ?? width - column, width - column)
        guard limit > 0 else { return 0 }
        let safe = DisplayText.sanitize(text)
        let fitted = DisplayText.width(safe) > limit ? DisplayText.fit(safe, cells: limit) : safe
        var col = max(column, 0)
        for character in fitted {
            let w = DisplayText.width(String(character))
            if w == 0 {
                // A combining mark joins the previous cell's grapheme.
                if col > 0 { cells[row][col - 1].text += String(character) }
                continue
            }
            guard col + w <= column + limit else { break }
            cells[row][col] = Cell(text: String(character), role: role)
            if w == 2 { cells[row][col + 1] = Cell(text: "", role: role) }
            col += w
        }
        return col - column
    }

    /// Gives every cell of `row` (from `column`, for `length` cells) the role `role`, keeping its text.
    public mutating func paint(row: Int, from column: Int = 0, length: Int? = nil, role: ThemeRole) {
        guard row >= 0, row < height else { return }
        let end = min(width, column + (length ?? width))
        guard column < end else { return }
        for col in max(column, 0)..<end { cells[row][col].role = role }
    }

    /// Fills `row` with spaces in `role`.
    public mutating func fill(row: Int, role: ThemeRole?) {
        guard row >= 0, row < height else { return }
        cells[row] = Array(repeating: Cell(text: " ", role: role), count: width)
    }

    /// The text of `row`, trailing spaces removed.
    public func text(row: Int) -> String {
        String(cells[row].map(\.text).joined().reversed().drop { $0 == " " }.reversed())
    }

    /// The whole frame as lines of text.
    public var text: String { (0..<height).map(text(row:)).joined(separator: "\n") }
}
