import Foundation

/// JSON for `--format json`: sorted keys, RFC 3339 dates, one document per command.
public enum JSONOutput {
    /// Encodes `value` as pretty-printed JSON text.
    public static func render<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
