import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The secret that seals the audit chain (HMAC-SHA256): without it a changed or forged record
/// cannot be given a hash that verifies.
///
/// It lives beside the database as `<database>.audit-key`, 64 hex digits, readable by the owner and
/// the group only (mode 0640). Keep a copy apart from the database's backups.
public struct AuditKey: Sendable {
    let key: SymmetricKey

    /// A new random 256-bit key.
    public static func random() -> AuditKey { AuditKey(key: SymmetricKey(size: .bits256)) }

    /// The key written as 64 hex digits; `nil` unless `hex` is exactly that (surrounding whitespace allowed).
    public init?(hex: String) {
        let digits = Array(hex.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        key = SymmetricKey(data: bytes)
    }

    private init(key: SymmetricKey) { self.key = key }

    /// The key as 64 lowercase hex digits.
    public var hex: String { key.withUnsafeBytes { Hex.lowercase($0) } }

    /// The key file of the database at `databasePath`.
    public static func path(forDatabase databasePath: String) -> String { databasePath + ".audit-key" }

    /// Reads the key file at `path`; `nil` when there is none.
    static func read(at path: String) throws(StoreError) -> AuditKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .auditKeyUnreadable(path: path, reason: "it cannot be read (\(String(cString: strerror(errno))))")
        }
        guard let text = String(data: data, encoding: .utf8), let key = AuditKey(hex: text) else {
            throw .auditKeyUnreadable(path: path, reason: "it does not hold 64 hex digits")
        }
        return key
    }

    /// Writes a new random key to `path`, which must not exist yet (mode 0640).
    static func create(at path: String) throws(StoreError) -> AuditKey {
        let key = random()
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        defer { Glibc.close(fd) }
        fchmod(fd, 0o640)
        let line = Array((key.hex + "\n").utf8)
        guard write(fd, line, line.count) == line.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .cannotCreate(path: path, reason: reason)
        }
        return key
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Bytes as hex digits.
enum Hex {
    static func lowercase<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
