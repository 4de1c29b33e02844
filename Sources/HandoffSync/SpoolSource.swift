import Foundation
import HandoffCore
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// The spool directory middleware drops events into: `*.ndjson` (one event per line) and `*.json`
/// (a JSON-array batch) files, taken in name order; `*.tmp` and hidden files are never touched.
///
/// Progress is kept per file identity (name and inode, since middleware reuses names) in the
/// store, in the transaction that applies the events. Only complete lines are consumed: a last
/// line without its newline is waited for, and dead-lettered as `invalid_json` once the file has
/// stayed unchanged for ``partialLineTimeout``. Finished files move to `done/`, unreadable ones to
/// `failed/`, only after their effects are committed.
public final class SpoolSource: EventSource, @unchecked Sendable {
    public let directory: String
    /// How long a file ending in an incomplete line may stay unchanged before that line is dead-lettered.
    public let partialLineTimeout: TimeInterval
    /// Bytes read from a file at a time, until a batch has its lines.
    static let chunkSize = 256 * 1024
    /// Batch files larger than this are refused as `payload_too_large`.
    static let maximumBatchFile = 64 * 1024 * 1024

    private let lock = NSLock()
    /// For a file whose tail is incomplete: its size and time when first seen so.
    private var waitingTails: [String: (size: Int, modified: Int, since: Date)] = [:]

    public var name: String { "spool \(directory)" }

    public init(directory: String, partialLineTimeout: TimeInterval = 30) {
        self.directory = directory
        self.partialLineTimeout = partialLineTimeout
    }

    /// The names of the files the spool would take, in the order it takes them.
    public func pendingFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".ndjson") || $0.hasSuffix(".json")) }.sorted()
    }

    public func next(limit: Int, now: Date, store: HandoffStore) throws -> SourceBatch? {
        for name in pendingFiles() {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let inode = UInt(info.st_ino)
            let key = "spool:\(name)#\(inode)"
            guard let handle = FileHandle(forReadingAtPath: path) else {
                return SourceBatch(deliveries: [], commit: { session, now in
                    try session.setSyncValue("last.error", "spool file \(name) is unreadable; moved to failed/", at: now)
                }, finish: { [self] in try moveAside(name, to: "failed", inode: inode, key: key, store: store) })
            }
            defer { try? handle.close() }
            // Progress of a deleted file whose inode a new file reused does not apply to the new one.
            let progress = try store.read { try $0.syncValue(key) }.flatMap(SpoolProgress.init(stored:)).flatMap { $0.describes(handle) ? $0 : nil }
            if let progress, progress.position == nil {
                return SourceBatch(deliveries: [], commit: { _, _ in }, finish: { [self] in try moveAside(name, to: "done", inode: inode, key: key, store: store) })
            }
            let offset = progress?.position ?? 0
            let batch = name.hasSuffix(".json")
                ? try jsonBatch(name: name, handle: handle, size: Int(info.st_size), offset: offset, limit: limit, key: key, inode: inode, store: store)
                : try lines(name: name, handle: handle, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec),
                            offset: offset, limit: limit, key: key, inode: inode, now: now, store: store)
            if let batch { return batch }
            // This file waits for its last line: keep the order, take nothing after it.
            return nil
        }
        return nil
    }

    // MARK: - NDJSON files

    private func lines(name: String, handle: FileHandle, size: Int, modified: Int, offset: Int, limit: Int,
                       key: String, inode: UInt, now: Date, store: HandoffStore) throws -> SourceBatch? {
        try handle.seek(toOffset: UInt64(offset))
        var bytes = Data()
        // Read until the batch's lines are in, a chunk at a time: a large file is not read again for every batch.
        while offset + bytes.count < size {
            let chunk = try handle.read(upToCount: min(Self.chunkSize, size - offset - bytes.count)) ?? Data()
            guard !chunk.isEmpty else { break }
            bytes.append(chunk)
            if bytes.reduce(0, { $0 + ($1 == 0x0A ? 1 : 0) }) >= limit { break }
        }
        var deliveries: [Delivery] = []
        var consumed = 0
        var lineNumber = 0
        var start = bytes.startIndex
        while deliveries.count < limit, let newline = bytes[start...].firstIndex(of: 0x0A) {
            lineNumber += 1
            let line = bytes[start..<newline]
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                deliveries.append(Delivery(raw: Data(line), transport: "spool:\(name)@\(offset + (start - bytes.startIndex))"))
            }
            start = bytes.index(after: newline)
            consumed = start - bytes.startIndex
        }
        let end = offset + consumed
        let head = try Self.head(handle, consumed: end)
        if consumed > 0 {
            lock.withLock { waitingTails[key] = nil }
            let finished = end == size
            return SourceBatch(deliveries: deliveries, commit: { session, now in
                try session.setSyncValue(key, SpoolProgress(position: finished ? nil : end, head: head).stored, at: now)
            }, finish: { [self] in
                if finished { try moveAside(name, to: "done", inode: inode, key: key, store: store) }
            })
        }
        if offset >= size {
            return SourceBatch(deliveries: [], commit: { session, now in try session.setSyncValue(key, SpoolProgress(position: nil, head: head).stored, at: now) },
                               finish: { [self] in try moveAside(name, to: "done", inode: inode, key: key, store: store) })
        }
        // Only an incomplete last line: wait for its newline, unless the file has stopped changing.
        let since: Date = lock.withLock {
            if let seen = waitingTails[key], seen.size == size, seen.modified == modified { return seen.since }
            waitingTails[key] = (size, modified, now)
            return now
        }
        guard now.timeIntervalSince(since) >= partialLineTimeout else { return nil }
        lock.withLock { waitingTails[key] = nil }
        let tail = Data(bytes[start...])
        let rejection = EventRejection(.invalidJSON, "the last line of \(name) never got its newline (unchanged for \(Int(partialLineTimeout)) s)")
        let whole = try Self.head(handle, consumed: size)
        return SourceBatch(deliveries: [Delivery(raw: tail, rejection: rejection, transport: "spool:\(name)@\(offset)")],
                           commit: { session, now in try session.setSyncValue(key, SpoolProgress(position: nil, head: whole).stored, at: now) },
                           finish: { [self] in try moveAside(name, to: "done", inode: inode, key: key, store: store) })
    }

    // MARK: - JSON batch files

    private func jsonBatch(name: String, handle: FileHandle, size: Int, offset: Int, limit: Int, key: String,
                           inode: UInt, store: HandoffStore) throws -> SourceBatch? {
        let transport = "spool:\(name)"
        guard size <= Self.maximumBatchFile else {
            let rejection = EventRejection(.payloadTooLarge, "batch file \(name) is \(size) bytes; at most \(Self.maximumBatchFile)")
            return failedFile(name, raw: Data(), rejection: rejection, key: key, inode: inode, store: store)
        }
        try handle.seek(toOffset: 0)
        let bytes = try handle.readToEnd() ?? Data()
        let elements: [JSONValue]
        do {
            guard case let .array(items) = try JSONDecoder().decode(JSONValue.self, from: bytes) else {
                return failedFile(name, raw: bytes, rejection: EventRejection(.invalidJSON, "batch file \(name) is not a JSON array"),
                                  key: key, inode: inode, store: store)
            }
            elements = items
        } catch {
            return failedFile(name, raw: bytes, rejection: EventRejection(.invalidJSON, "batch file \(name) is not valid JSON"),
                              key: key, inode: inode, store: store)
        }
        let slice = elements.dropFirst(offset).prefix(limit)
        let deliveries = slice.enumerated().map { index, element in
            Delivery(element: element, transport: "\(transport)[\(offset + index + 1)]")
        }
        let end = offset + slice.count
        let finished = end >= elements.count
        let head = Data(bytes.prefix(SpoolProgress.headLimit))
        return SourceBatch(deliveries: deliveries, commit: { session, now in
            try session.setSyncValue(key, SpoolProgress(position: finished ? nil : end, head: head).stored, at: now)
        }, finish: { [self] in
            if finished { try moveAside(name, to: "done", inode: inode, key: key, store: store) }
        })
    }

    private func failedFile(_ name: String, raw: Data, rejection: EventRejection, key: String, inode: UInt,
                            store: HandoffStore) -> SourceBatch {
        let kept = raw.count <= EventDecoder.maximumSize ? raw : Data(raw.prefix(EventDecoder.maximumSize))
        let head = Data(raw.prefix(SpoolProgress.headLimit))
        return SourceBatch(deliveries: [Delivery(raw: kept, rejection: rejection, transport: "spool:\(name)")],
                           commit: { session, now in try session.setSyncValue(key, SpoolProgress(position: nil, head: head).stored, at: now) },
                           finish: { [self] in try moveAside(name, to: "failed", inode: inode, key: key, store: store) })
    }

    /// The file's first bytes among those consumed (at most ``SpoolProgress/headLimit``), for its fingerprint.
    private static func head(_ handle: FileHandle, consumed: Int) throws -> Data {
        try handle.seek(toOffset: 0)
        return try handle.read(upToCount: min(consumed, SpoolProgress.headLimit)) ?? Data()
    }

    // MARK: - Moving files aside

    /// Moves a finished file to `done/` or `failed/` (never over another file), then forgets its cursor.
    private func moveAside(_ name: String, to folder: String, inode: UInt, key: String, store: HandoffStore) throws {
        let target = directory + "/" + folder
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        var destination = target + "/" + name
        if FileManager.default.fileExists(atPath: destination) { destination += ".\(inode)" }
        var info = stat()
        // Move only the file this cursor describes: a new file under a reused name stays.
        if stat(directory + "/" + name, &info) == 0, UInt(info.st_ino) == inode {
            guard rename(directory + "/" + name, destination) == 0 else {
                throw SyncError.spool("cannot move \(name) to \(folder)/: \(String(cString: strerror(errno)))")
            }
        }
        try store.write { try $0.removeSyncValue(key) }
    }
}
