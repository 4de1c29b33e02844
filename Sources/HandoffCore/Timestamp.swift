import Foundation

/// RFC 3339 timestamps in UTC, as written to JSON, audit details and the command line.
public enum Timestamp {
    /// Formats `date` as e.g. `2026-11-25T15:45:05Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Parses an RFC 3339 timestamp, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
