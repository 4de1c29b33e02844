import Foundation

/// The head of the audit chain at one moment: its last sequence number and that record's hash.
///
/// Kept off the host (printed by `handoff audit checkpoint`), it lets `handoff audit verify --checkpoint`
/// notice records cut from the end of the chain, which the chain alone cannot show.
public struct AuditCheckpoint: Hashable, Sendable {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    private static let header = "handoff-audit-checkpoint v1"

    /// The checkpoint as the text `handoff audit checkpoint` prints, e.g.
    /// `handoff-audit-checkpoint v1`, `seq 1042`, `hash 3fa9…`, `taken 2026-12-02T15:04:05Z`, one per line.
    public func text(takenAt time: Date) -> String {
        "\(Self.header)\nseq \(seq)\nhash \(hash)\ntaken \(Timestamp.format(time))\n"
    }

    /// Reads a checkpoint from its text; the error says what is wrong with it.
    public static func parse(_ text: String) throws(AuditCheckpointError) -> AuditCheckpoint {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == header else { throw .notACheckpoint }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        guard let seqText = fields["seq"], let seq = Int64(seqText), seq >= 0 else { throw .missing("seq") }
        guard let hash = fields["hash"], hash.count == 64, hash.allSatisfy(\.isHexDigit) else { throw .missing("hash") }
        return AuditCheckpoint(seq: seq, hash: hash.lowercased())
    }
}

/// Why a checkpoint file cannot be used.
public enum AuditCheckpointError: Error, Hashable, Sendable, CustomStringConvertible {
    case notACheckpoint
    case missing(String)

    public var description: String {
        switch self {
        case .notACheckpoint: "it is not an audit checkpoint (the first line should be 'handoff-audit-checkpoint v1')"
        case let .missing(field): "its '\(field)' line is missing or malformed"
        }
    }
}
