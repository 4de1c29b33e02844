import Foundation

/// An audit record as stored: the core's entry plus its sequence number.
public struct StoredAudit: Hashable, Sendable {
    /// Position in the append-only log.
    public var seq: Int64
    public var entry: AuditEntry

    public init(seq: Int64, entry: AuditEntry) {
        self.seq = seq
        self.entry = entry
    }
}
