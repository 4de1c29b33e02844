/// A SQLite library version such as `3.40.1`, compared part by part as numbers (3.9 comes before 3.40).
public struct SQLiteVersion: Comparable, Sendable, CustomStringConvertible {
    /// The numbers of the version, e.g. `[3, 40, 1]`.
    public let parts: [Int]

    /// The first release with the fix for the WAL-reset bug (https://sqlite.org/wal.html#walresetbug).
    public static let walResetFix = SQLiteVersion("3.51.3")!

    /// Parses dotted numbers (`3.40.1`); `nil` for anything else.
    public init?(_ text: String) {
        let numbers = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        parts = numbers.compactMap { $0 }
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }

    /// Missing parts count as 0, so `3.51` equals `3.51.0`.
    public static func < (lhs: SQLiteVersion, rhs: SQLiteVersion) -> Bool {
        let count = max(lhs.parts.count, rhs.parts.count)
        let left = lhs.parts + Array(repeating: 0, count: count - lhs.parts.count)
        let right = rhs.parts + Array(repeating: 0, count: count - rhs.parts.count)
        return left.lexicographicallyPrecedes(right)
    }

    public static func == (lhs: SQLiteVersion, rhs: SQLiteVersion) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }
}
