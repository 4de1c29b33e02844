import Foundation
import HandoffCore
import HandoffStore

/// The demo's simulated integration layer: releases the sample events (`SampleData/events/`) into the
/// demo's spool one at a time, as middleware's file writer would (a temporary name, then a rename), so a
/// new user watches tasks arrive, resume and cancel through the real worker.
///
/// Each event's `time` is moved so the sample's first event happened when the demo's feed started;
/// everything else is released byte for byte, malformed events included. Progress is kept in the
/// database's metadata, so a reopened demo continues where it stopped.
public final class DemoFeeder: @unchecked Sendable {
    /// One release: an NDJSON line, or a whole batch file.
    struct Item {
        var bytes: Data
        var isBatch: Bool
    }

    let items: [Item]
    let spool: String
    let store: HandoffStore
    /// Seconds between two releases.
    public let interval: TimeInterval
    private var lastRelease: Date?

    /// Reads the sample events in `folder` (files in name order, lines in order).
    public init(sampleEvents folder: String, spool: String, store: HandoffStore, interval: TimeInterval = 2) throws {
        var items: [Item] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".ndjson") || $0.hasSuffix(".json") }.sorted()
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            if name.hasSuffix(".json") {
                items.append(Item(bytes: data, isBatch: true))
            } else {
                items += EventDecoder.lines(of: data).complete.map { Item(bytes: $0 + Data("\n".utf8), isBatch: false) }
            }
        }
        self.items = items
        self.spool = spool
        self.store = store
        self.interval = interval
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
    }

    /// How many of the sample's items are released so far.
    public func released() throws -> Int {
        try store.read { Int(try $0.meta("demo.feed.next") ?? "0") ?? 0 }
    }

    /// Releases the next item when `interval` has passed since the previous one; `false` once all are out.
    @discardableResult
    public func releaseIfDue(now: Date) throws -> Bool {
        let next = try released()
        guard next < items.count else { return false }
        if let lastRelease, now.timeIntervalSince(lastRelease) < interval { return true }
        let start = try store.write { db -> Date in
            if let text = try db.meta("demo.feed.start"), let start = Timestamp.parse(text) { return start }
            try db.setMeta("demo.feed.start", Timestamp.format(now))
            return now
        }
        let item = items[next]
        let name = String(format: "feed-%06d", next) + (item.isBatch ? ".json" : ".ndjson")
        let temporary = spool + "/" + name + ".tmp"
        try Self.shifted(item.bytes, to: start, from: Self.sampleStart).write(to: URL(fileURLWithPath: temporary))
        // Into the spool first, then counted: after a crash in between the item is released again, and the
        // worker's inbox skips the repeat.
        guard rename(temporary, spool + "/" + name) == 0 else {
            throw SampleDataError.invalid(path: temporary, problem: "cannot move it into the demo spool: \(String(cString: strerror(errno)))")
        }
        try store.write { try $0.setMeta("demo.feed.next", String(next + 1)) }
        lastRelease = now
        return true
    }

    /// When the sample's first event happened (`SampleData/README.md`).
    static let sampleStart = Timestamp.parse("2026-01-05T08:00:00Z")!

    /// `bytes` with every well-formed `"time":"…"` moved by `start − origin`; all other bytes untouched.
    static func shifted(_ bytes: Data, to start: Date, from origin: Date) -> Data {
        let text = String(decoding: bytes, as: UTF8.self)
        let pattern = /"time"(\s*):(\s*)"([^"]*)"/
        let shift = start.timeIntervalSince(origin)
        let result = text.replacing(pattern) { match in
            guard let time = Timestamp.parse(String(match.output.3)) else { return String(match.output.0) }
            return "\"time\"\(match.output.1):\(match.output.2)\"\(Timestamp.format(time.addingTimeInterval(shift)))\""
        }
        return Data(result.utf8)
    }
}
