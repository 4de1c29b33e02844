/// Untrusted text made safe and measurable for a terminal.
///
/// Names, titles and notes come from events and people: a control character or escape
/// sequence in them must never reach the terminal as such.
public enum DisplayText {
    /// `text` with every control character shown escaped (`\u{1B}` becomes `\x1b`), so it draws as plain text.
    public static func sanitize(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += scalar.value <= 0xFF
                    ? "\\x" + hex(scalar.value, digits: 2)
                    : "\\u{" + hex(scalar.value, digits: 4) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The number of terminal cells `text` takes: wide (CJK) characters 2, combining marks 0.
    public static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// `text`, sanitised (``sanitize(_:)``: escaped before it is measured, so columns stay aligned), cut to
    /// at most `cells` cells (with `…` when cut) and padded with spaces to exactly `cells`.
    public static func fit(_ text: String, cells: Int) -> String {
        guard cells > 0 else { return "" }
        let text = sanitize(text)
        if width(text) <= cells { return text + String(repeating: " ", count: cells - width(text)) }
        var result = ""
        var used = 0
        for character in text {
            let w = width(String(character))
            if used + w > cells - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…" + String(repeating: " ", count: max(cells - used - 1, 0))
    }

    /// Whether `scalar` must never be drawn as is: C0 and C1 controls, line separators, bidi overrides.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // Printable ASCII, most of what a frame holds, without looking up Unicode properties.
        if (0x20..<0x7F).contains(value) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian wide and emoji ranges: two cells each.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
    }
}
