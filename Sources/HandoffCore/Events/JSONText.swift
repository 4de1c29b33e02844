/// Compact JSON text with sorted keys, written directly: the same value always gives the same bytes —
/// for strings, booleans and finite numbers below 10^15, those `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes — without the encoder's set-up cost on paths that run once per change.
public enum JSONText {
    /// The text of `value`. Whole numbers are written without a fraction (`3`, not `3.0`).
    public static func encode(_ value: JSONValue) -> String {
        var text = ""
        append(value, to: &text)
        return text
    }

    static func append(_ value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "null"
        case let .bool(flag): text += flag ? "true" : "false"
        case let .number(number):
            if number.rounded() == number, abs(number) < 1e15 { text += String(Int64(number)) } else { text += "\(number)" }
        case let .string(string): appendQuoted(string, to: &text)
        case let .array(elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                append(element, to: &text)
            }
            text += "]"
        case let .object(members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                appendQuoted(key, to: &text)
                text += ":"
                append(members[key]!, to: &text)
            }
            text += "}"
        }
    }

    /// Appends `string` as a JSON string literal: quotes, backslashes and control characters escaped.
    public static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        // Most strings need no escape: copy them whole rather than scalar by scalar.
        guard string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            text += string
            text += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
