import Foundation
import HandoffCore
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// The outbound spool directory middleware reads Handoff's events from: one `*.ndjson` file per
/// delivered batch, named by the instance's token and the batch's first and last sequence numbers, so
/// name order is event order (`handoff-<instance>-<first>-<last>.ndjson`, 20 digits each) and two
/// databases can share a directory.
///
/// A file is written under a hidden temporary name (`.handoff-outbound-<instance>-….tmp`), flushed to
/// disk, and only then linked under its `*.ndjson` name — and the directory flushed — so a reader never
/// sees a partial file, and a file that is visible survives a power cut. A file is never replaced by
/// other content: a name already taken by different bytes (a database restored from a backup numbers
/// its events again) is an error that stops delivery, not an overwrite.
public struct OutboundSpool: Sendable {
    public let directory: String
    /// The instance's token (``StoreSession/outboundSettings()``).
    public let instance: String

    public init(directory: String, instance: String) {
        self.directory = directory
        self.instance = instance
    }

    /// The start of this instance's temporary names; such files are never complete deliveries.
    public var temporaryPrefix: String { ".handoff-outbound-\(instance)-" }

    /// The name of the file holding the events `first` through `last`.
    public func fileName(first: Int64, last: Int64) -> String {
        "handoff-\(instance)-\(OutboundEvent.sequenceText(first))-\(OutboundEvent.sequenceText(last)).ndjson"
    }

    /// Creates the directory if missing and removes the temporary files a killed publisher of this
    /// instance left behind (their events were not recorded as delivered, so they are delivered again).
    /// Returns how many.
    public func prepare() throws(SyncError) -> Int {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var removed = 0
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix(temporaryPrefix) {
                try FileManager.default.removeItem(atPath: directory + "/" + name)
                removed += 1
            }
            return removed
        } catch {
            throw .spool("outbound spool \(directory): \(error.localizedDescription)")
        }
    }

    /// Delivers `entries` (in sequence order, at least one) as one complete file; returns its name.
    /// Delivering the same entries again while their file is still there leaves it as it is.
    public func deliver(_ entries: [OutboxEntry]) throws(SyncError) -> String {
        guard let first = entries.first?.seq, let last = entries.last?.seq else { throw .spool("nothing to deliver") }
        let name = fileName(first: first, last: last)
        let final = directory + "/" + name
        let temporary = directory + "/" + temporaryPrefix + "\(getpid())-" + OutboundEvent.sequenceText(first) + ".tmp"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + $1.line.utf8.count + 1 })
        for entry in entries {
            bytes.append(contentsOf: entry.line.utf8)
            bytes.append(0x0A)
        }
        try write(bytes, to: temporary)
        defer { unlink(temporary) }
        // link(2) never replaces: the name is either ours now, or was taken before.
        if link(temporary, final) != 0 {
            guard errno == EEXIST else { throw .spool("cannot link \(temporary) as \(name): \(Self.errorText())") }
            guard FileManager.default.contents(atPath: final) == Data(bytes) else {
                throw .spool("\(name) already holds other events (was the database restored from a backup?): "
                    + "move the outbound spool's files aside once the consumer has taken them, then the publisher goes on")
            }
        }
        try flushDirectory()
        return name
    }

    /// Writes `bytes` to a new file at `path` (never following a link) and flushes it to disk.
    private func write(_ bytes: [UInt8], to path: String) throws(SyncError) {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .spool("cannot create \(path): \(Self.errorText())") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return try fail("cannot write", fd, path) }
            written += count
        }
        guard fsync(fd) == 0 else { return try fail("cannot flush", fd, path) }
        close(fd)
    }

    private func fail(_ what: String, _ fd: Int32, _ path: String) throws(SyncError) {
        let problem = Self.errorText()
        close(fd)
        unlink(path)
        throw .spool("\(what) \(path): \(problem)")
    }

    /// Flushes the directory, so the new name survives a power cut before the cursor moves past it.
    private func flushDirectory() throws(SyncError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .spool("cannot open \(directory) to flush it: \(Self.errorText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .spool("cannot flush \(directory): \(Self.errorText())") }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
