import Crypto
import GRDB

/// The hash that seals one audit record: HMAC-SHA256, keyed with the ``AuditKey``, over the canonical
/// serialisation of the record's stored values, its sequence number and the previous record's hash.
///
/// The serialisation is `handoff-audit-v1` and a newline, then each value in the order of
/// ``StoreSession/chainedAuditColumns`` as SQLite stores it: `N;` for NULL, `I<decimal>;` for an
/// integer, `R<decimal>;` for a real, `S<bytes>:<UTF-8 text>;` for text, `B<bytes>:<bytes>;` for a blob.
/// Length prefixes make the encoding unambiguous; the storage class is part of it, so a value rewritten
/// with another type no longer matches. The hash is written as 64 lowercase hex digits.
enum AuditSeal {
    /// The `prevHash` of the first record.
    static let genesis = String(repeating: "0", count: 64)

    private static let header = Array("handoff-audit-v1\n".utf8)

    /// The seal of the record whose stored values, in ``StoreSession/chainedAuditColumns`` order
    /// (sequence number first, previous hash last), are `values`.
    static func hash(of values: [DatabaseValue], key: AuditKey) -> String {
        var message = header
        message.reserveCapacity(256)
        for value in values { append(value, to: &message) }
        return Hex.lowercase(HMAC<SHA256>.authenticationCode(for: message, using: key.key))
    }

    private static func append(_ value: DatabaseValue, to message: inout [UInt8]) {
        switch value.storage {
        case .null:
            message.append(contentsOf: "N;".utf8)
        case let .int64(number):
            message.append(contentsOf: "I\(number);".utf8)
        case let .double(number):
            message.append(contentsOf: "R\(number);".utf8)
        case let .string(text):
            let bytes = text.utf8
            message.append(contentsOf: "S\(bytes.count):".utf8)
            message.append(contentsOf: bytes)
            message.append(UInt8(ascii: ";"))
        case let .blob(data):
            message.append(contentsOf: "B\(data.count):".utf8)
            message.append(contentsOf: data)
            message.append(UInt8(ascii: ";"))
        }
    }
}
