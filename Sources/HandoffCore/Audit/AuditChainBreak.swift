/// The first place where the audit chain is not what Handoff wrote: what `handoff audit verify` reports.
public struct AuditChainBreak: Hashable, Sendable, CustomStringConvertible {
    /// What was found wrong.
    public enum Kind: String, Hashable, Sendable {
        /// The record's values do not match its hash: changed, swapped with another, or written without the key.
        case altered
        /// There is no record with this sequence number, but later ones exist: it was deleted.
        case deleted
        /// The record's hash is valid but it does not follow the record before it: records were inserted or reordered.
        case relinked
        /// The chain ends before the checkpoint's record: records were cut from the end.
        case truncated
        /// The checkpoint's record has another hash than the checkpoint: the chain was rewritten.
        case rewritten
    }

    public var kind: Kind
    /// The sequence number of the first bad (or missing) record.
    public var seq: Int64
    /// For ``Kind/truncated``: the last record still present.
    public var lastPresent: Int64?

    public init(kind: Kind, seq: Int64, lastPresent: Int64? = nil) {
        self.kind = kind
        self.seq = seq
        self.lastPresent = lastPresent
    }

    public var description: String {
        switch kind {
        case .altered:
            "record \(seq) does not match its hash: it was altered, swapped with another record, or forged without the audit key"
        case .deleted:
            "record \(seq) is missing: it was deleted"
        case .relinked:
            "record \(seq) does not follow record \(seq - 1): records were inserted or reordered"
        case .truncated:
            "the chain ends at record \(lastPresent ?? 0) but the checkpoint names record \(seq): records were cut from the end"
        case .rewritten:
            "record \(seq) differs from the checkpoint: the chain was rewritten since the checkpoint was taken"
        }
    }
}

/// The outcome of walking the audit chain.
public struct AuditVerification: Hashable, Sendable {
    /// How many records were checked.
    public var records: Int
    /// The last record's sequence number and hash, if there are records.
    public var head: AuditCheckpoint?
    /// The first break, or `nil` when the chain is intact.
    public var firstBreak: AuditChainBreak?

    public init(records: Int, head: AuditCheckpoint?, firstBreak: AuditChainBreak?) {
        self.records = records
        self.head = head
        self.firstBreak = firstBreak
    }
}
