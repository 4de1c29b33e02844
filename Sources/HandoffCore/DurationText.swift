import Foundation

/// Parses durations as written in sample data and forms: units `d`, `h`, `m`, `s` in that order, with an optional
/// leading minus, e.g. `2d3h`, `45m`, `-6h`.
public enum DurationText {
    /// The duration in seconds, or `nil` when `text` is malformed.
    public static func seconds(_ text: String) -> TimeInterval? {
        var rest = Substring(text)
        let sign: Double = rest.hasPrefix("-") ? -1 : 1
        if sign < 0 { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        var units: [(Character, Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isNumber)
            guard !digits.isEmpty, let value = Double(digits), let unit = rest.dropFirst(digits.count).first,
                  let index = units.firstIndex(where: { $0.0 == unit }) else { return nil }
            total += value * units[index].1
            units.removeFirst(index + 1)
            rest = rest.dropFirst(digits.count + 1)
        }
        return sign * total
    }

    /// `seconds` written in the same units, at most the two largest, e.g. `1h30m`, `2d3h`, `45s`, `0s`;
    /// what is below the last unit shown is dropped.
    public static func format(_ seconds: TimeInterval) -> String {
        let total = Int(abs(seconds).rounded(.towardZero))
        let parts = [(total / 86_400, "d"), (total % 86_400 / 3_600, "h"), (total % 3_600 / 60, "m"), (total % 60, "s")]
        guard let first = parts.firstIndex(where: { $0.0 > 0 }) else { return "0s" }
        let shown = parts[first..<min(first + 2, parts.count)].filter { $0.0 > 0 }
        return (seconds < 0 ? "-" : "") + shown.map { "\($0.0)\($0.1)" }.joined()
    }
}
