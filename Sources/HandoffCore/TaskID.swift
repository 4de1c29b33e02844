/// A short, human-typable task identifier such as `T-1042`.
public struct TaskID: Hashable, Sendable, Comparable, StringCodable {
    /// The number behind the `T-` prefix.
    public let number: Int64

    public init(_ number: Int64) { self.number = number }

    /// Parses `T-12`, `t-12` or a bare `12`; `nil` for anything else.
    public init?(_ text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("T-") || digits.hasPrefix("t-") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isASCIIDigit),
              let number = Int64(digits), number > 0 else { return nil }
        self.number = number
    }

    public var description: String { "T-\(number)" }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.number < rhs.number }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
