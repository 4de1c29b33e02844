import Foundation

/// Small text charts for terminals: sparklines and bars, in Unicode block characters or plain ASCII.
public enum Chart {
    /// The glyphs a chart may use.
    public enum Glyphs: Sendable {
        case unicode, ascii

        /// Unicode where the locale's character set (`nl_langinfo(CODESET)`) is UTF-8, else ASCII.
        public init(codeset: String) {
            self = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" ? .unicode : .ascii
        }
    }

    private static let sparkUnicode: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    private static let sparkASCII: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]
    private static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// One character per value, its height in eighths of the largest (rounded up, so any non-zero value
    /// shows); zero is a blank, so idle hours stand out.
    public static func sparkline(_ values: [Int], glyphs: Glyphs) -> String {
        let marks = glyphs == .unicode ? sparkUnicode : sparkASCII
        let top = values.max() ?? 0
        guard top > 0 else { return String(repeating: " ", count: values.count) }
        return String(values.map { value in
            guard value > 0 else { return " " }
            let level = Int((Double(value) / Double(top) * Double(marks.count)).rounded(.up)) - 1
            return marks[min(max(level, 0), marks.count - 1)]
        })
    }

    /// A horizontal bar of `value` against `maximum`, at most `width` cells, in eighths of a cell with
    /// Unicode; a non-zero value always shows at least a sliver.
    public static func bar(_ value: Int, of maximum: Int, width: Int, glyphs: Glyphs) -> String {
        guard maximum > 0, value > 0, width > 0 else { return "" }
        let eighthsTotal = max(Int((Double(value) / Double(maximum) * Double(width * 8)).rounded()), 1)
        switch glyphs {
        case .unicode:
            let full = String(repeating: "█", count: eighthsTotal / 8)
            let rest = eighthsTotal % 8
            return rest == 0 ? full : full + String(eighths[rest - 1])
        case .ascii:
            return String(repeating: "#", count: max((eighthsTotal + 4) / 8, 1))
        }
    }
}
