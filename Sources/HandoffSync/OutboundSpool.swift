import Foundation
import HandoffCore
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// The outbound spool directory middleware reads Handoff's events from: one `*.ndjson` file per
/// delivered batch, named by the batch's first and last sequence numbers so name order is event order
/// (`handoff-<first>-<last>.ndjson`, 20 digits each).
///
/// A file is written under a hidden temporary name (`.handoff-outbound-….tmp`), flushed to disk, and
/// only then renamed to its `*.ndjson` name — and the directory flushed — so a reader never sees a
/// partial file, and a file that is visible survives a power cut.
public struct OutboundSpool: Sendable {
    public let directory: String

    /// The start of the temporary names; such files are never complete deliveries.
    public static let temporaryPrefix = ".handoff-outbound-"

    public init(directory: String) {
        self.directory = directory
    }

    /// The name of the file holding the events `first` through `last`.
    public static func fileName(first: Int64, last: Int64) -> String {
        "handoff-\(OutboundEvent.sequenceText(first))-\(OutboundEvent.sequenceText(last)).ndjson"
    }

    /// Creates the directory if missing and removes the temporary files a killed publisher left behind
    /// (their events were not recorded as delivered, so they are delivered again). Returns how many.
    public func prepare() throws(SyncError) -> Int {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var removed = 0
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix(Self.temporaryPrefix) {
                try FileManager.default.removeItem(atPath: directory + "/" + name)
                removed += 1
            }
            return removed
        } catch {
            throw .spool("outbound spool \(directory): \(error.localizedDescription)")
        }
    }

    /// Delivers `entries` (in sequence order, at least one) as one complete file; returns its name.
    /// Delivering the same entries again replaces the file with the same bytes.
    public func deliver(_ entries: [OutboxEntry]) throws(SyncError) -> String {
        guard let first = entries.first?.seq, let last = entries.last?.seq else { throw .spool("nothing to deliver") }
        let name = Self.fileName(first: first, last: last)
        let temporary = directory + "/" + Self.temporaryPrefix + "\(getpid())-" + OutboundEvent.sequenceText(first) + ".tmp"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + $1.line.utf8.count + 1 })
        for entry in entries {
            bytes.append(contentsOf: entry.line.utf8)
            bytes.append(0x0A)
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .spool("cannot create \(temporary): \(Self.errorText())") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let problem = Self.errorText()
                close(fd)
                unlink(temporary)
                throw .spool("cannot write \(temporary): \(problem)")
            }
            written += count
        }
        guard fsync(fd) == 0 else {
            let problem = Self.errorText()
            close(fd)
            unlink(temporary)
            throw .spool("cannot flush \(temporary): \(problem)")
        }
        close(fd)
        guard rename(temporary, directory + "/" + name) == 0 else {
            let problem = Self.errorText()
            unlink(temporary)
            throw .spool("cannot rename \(temporary) to \(name): \(problem)")
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return name
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
