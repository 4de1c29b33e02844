import HandoffCore

/// A plain-text table for the command line, aligned by terminal cells and safe to print.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = rows
    }

    /// The table as lines: a header, then one line per row; every cell sanitised.
    public func render(maxColumnWidth: Int = 48) -> String {
        let cells = ([headers] + rows).map { $0.map(DisplayText.sanitize) }
        let widths = headers.indices.map { column in
            min(cells.map { DisplayText.width($0[column]) }.max() ?? 0, maxColumnWidth)
        }
        return cells.map { row in
            let line = row.indices.map { DisplayText.fit(row[$0], cells: widths[$0]) }.joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
