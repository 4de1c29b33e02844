import Foundation
import HandoffCore
@testable import HandoffStore
import HandoffTestSupport
import Testing
@testable import HandoffSync

/// The publisher delivers the outbox to the outbound spool in order, a complete file per batch, and
/// moves its cursor only after the file is in place — so a crash in between delivers the same events,
/// with the same ids, again, and loses none.
struct OutboundPublisherTests {
    let fixture: StoreFixture
    let spool: OutboundSpool

    init() throws {
        fixture = try StoreFixture()
        let instance = try fixture.store.read { try $0.outboundSettings().instance }
        spool = OutboundSpool(directory: fixture.directory.file("outbound"), instance: instance)
        _ = try spool.prepare()
    }

    /// Makes `tasks` tasks, each claimed and started: three events each.
    func makeChanges(tasks: Int) throws {
        let cora = try fixture.actor("cora")
        for _ in 0..<tasks {
            let task = try fixture.makeTask()
            try fixture.store.write { db in
                try db.perform(.claim, on: task.id, by: cora, at: fixture.start.addingTimeInterval(120))
                try db.perform(.start, on: task.id, by: cora, at: fixture.start.addingTimeInterval(180))
            }
        }
    }

    func publisher(batch: Int = 4, retention: TimeInterval? = nil, now: Date? = nil) throws -> OutboundPublisher {
        let time = now ?? fixture.start.addingTimeInterval(3_600)
        let publisher = try OutboundPublisher(store: fixture.store, directory: spool.directory, batchSize: batch, retention: retention, now: { time })
        try publisher.prepare()
        return publisher
    }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool.directory).sorted()
    }

    /// Every line of the spool's `*.ndjson` files, in name order.
    func deliveredLines() throws -> [String] {
        try files().filter { $0.hasSuffix(".ndjson") }.flatMap { name in
            let text = try String(contentsOfFile: spool.directory + "/" + name, encoding: .utf8)
            #expect(text.hasSuffix("\n"), "\(name) ends without its newline")
            return text.split(separator: "\n").map(String.init)
        }
    }

    func outboxIDs() throws -> [String] {
        try fixture.store.read { try $0.outboundEvents(after: 0, limit: 10_000) }.map(\.id)
    }

    func ids(_ lines: [String]) throws -> [String] {
        try lines.map { try EventDecoder.decode(Data($0.utf8)).get().id }
    }

    /// The ids in first-seen order, as a consumer deduplicating by id sees them.
    func deduplicated(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    @Test func everyEventIsDeliveredOnceInOrderInFilesNamedInThatOrder() throws {
        try makeChanges(tasks: 3)
        let publisher = try publisher()
        #expect(try publisher.drain() == 9)
        #expect(try files() == [spool.fileName(first: 1, last: 4), spool.fileName(first: 5, last: 8),
                                spool.fileName(first: 9, last: 9)])
        #expect(try ids(try deliveredLines()) == (try outboxIDs()))
        #expect(try publisher.step() == 0, "nothing is delivered twice without a crash")
        let report = try fixture.store.read { try $0.outboundBacklog() }
        #expect(report.waiting == 0 && report.newest == 9)
        #expect(try fixture.store.read { try $0.syncValue("outbound.lastFile") } == spool.fileName(first: 9, last: 9))

        try makeChanges(tasks: 1)
        #expect(try publisher.drain() == 3)
        #expect(try files().last == spool.fileName(first: 10, last: 12))
    }

    @Test func aCrashAfterTheFileBeforeTheCursorDeliversTheSameEventsAgainWithTheSameIDs() throws {
        try makeChanges(tasks: 2)
        // What a publisher killed between renaming its file and committing its cursor leaves: the file
        // in place, the cursor where it was.
        let pending = try fixture.store.read { try $0.outboundEvents(after: 0, limit: 4) }
        let orphan = try spool.deliver(pending)
        let before = try String(contentsOfFile: spool.directory + "/" + orphan, encoding: .utf8)
        try makeChanges(tasks: 1)

        let restarted = try publisher(batch: 6)
        #expect(try restarted.drain() == 9)
        let lines = try deliveredLines()
        #expect(lines.count == 13, "4 delivered twice")
        #expect(deduplicated(try ids(lines)) == (try outboxIDs()), "after deduplication: every event once, in order")
        #expect(try String(contentsOfFile: spool.directory + "/" + orphan, encoding: .utf8) == before)
        let repeated = Dictionary(grouping: lines, by: { try! EventDecoder.decode(Data($0.utf8)).get().id }).filter { $0.value.count > 1 }
        #expect(repeated.count == 4 && repeated.values.allSatisfy { Set($0).count == 1 }, "a repeat is the same event, byte for byte")
    }

    @Test func theSameBatchDeliveredAgainLeavesItsFileAndOtherBytesUnderItsNameAreRefused() throws {
        try makeChanges(tasks: 1)
        let pending = try fixture.store.read { try $0.outboundEvents(after: 0, limit: 10) }
        let first = try spool.deliver(pending)
        #expect(try spool.deliver(pending) == first)
        #expect(try files() == [first])
        #expect(try ids(try deliveredLines()) == pending.map(\.id))

        // A database restored from a backup numbers events again: the same name for other events. The
        // file the consumer has not taken yet is kept, and delivery stops with the reason.
        let before = try Data(contentsOf: URL(fileURLWithPath: spool.directory + "/" + first))
        let renumbered = pending.map { OutboxEntry(seq: $0.seq, id: UUID().uuidString, type: $0.type, line: $0.line.replacingOccurrences(of: $0.id, with: "other"), time: $0.time) }
        #expect(throws: SyncError.self) { try spool.deliver(renumbered) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: spool.directory + "/" + first)) == before)
        #expect(try files() == [first], "no temporary file is left behind")
    }

    @Test func unfinishedTemporaryFilesOfThisInstanceAreRemovedAndNothingElseIsTouched() throws {
        let leftover = spool.directory + "/" + spool.temporaryPrefix + "4242-00000000000000000001.tmp"
        try Data("{\"specversion\":\"1.0\",\"id\":\"half".utf8).write(to: URL(fileURLWithPath: leftover))
        let consumers = spool.directory + "/handoff-00000000000000000001-00000000000000000002.ndjson"
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: consumers))
        let otherInstance = spool.directory + "/.handoff-outbound-0f0f0f0f-77-00000000000000000001.tmp"
        try Data().write(to: URL(fileURLWithPath: otherInstance))
        let other = spool.directory + "/.mirth-reader.tmp"
        try Data().write(to: URL(fileURLWithPath: other))
        #expect(try spool.prepare() == 1)
        #expect(try files() == [".handoff-outbound-0f0f0f0f-77-00000000000000000001.tmp", ".mirth-reader.tmp",
                                "handoff-00000000000000000001-00000000000000000002.ndjson"])
    }

    @Test func twoDatabasesShareASpoolWithoutTakingEachOthersNames() throws {
        let other = try StoreFixture()
        let cora = try other.actor("cora")
        let task = try other.makeTask()
        try other.store.write { try $0.perform(.claim, on: task.id, by: cora, at: other.start.addingTimeInterval(120)) }
        try makeChanges(tasks: 1)
        let ours = try publisher(batch: 100)
        let theirs = try OutboundPublisher(store: other.store, directory: spool.directory, batchSize: 100, retention: nil)
        #expect(try ours.drain() == 3 && theirs.drain() == 2)
        #expect(try files().count == 2 && ours.spool.instance != theirs.spool.instance)
        #expect(Set(try ids(try deliveredLines())) == Set(try outboxIDs() + other.store.read { try $0.outboundEvents(after: 0, limit: 10) }.map(\.id)))
    }

    @Test func aReplayDeliversTheEventsSinceATimeAgainInOrder() throws {
        try makeChanges(tasks: 2)
        let publisher = try publisher(batch: 100)
        #expect(try publisher.drain() == 6)
        // The first start happened at +180 s: it and everything after it (in commit order) goes again.
        let since = fixture.start.addingTimeInterval(150)
        #expect(try fixture.store.write { try $0.rewindOutbound(to: since, at: fixture.start) } == 4)
        #expect(try publisher.drain() == 4)
        let lines = try ids(try deliveredLines())
        let expected = try outboxIDs()
        #expect(lines.count == 10 && deduplicated(lines) == expected)
        #expect(Array(lines.suffix(4)) == Array(expected.suffix(4)))
    }

    @Test func aReplayLandingDuringADeliveryWinsSoNothingIsSkipped() throws {
        try makeChanges(tasks: 2)
        #expect(try publisher(batch: 3).step() == 3)
        // The publisher reads its clock between placing a file and committing its cursor (for a full
        // batch, as here, nowhere before): a replay from an admin's terminal lands right there, once.
        let replayed = NSLock()
        nonisolated(unsafe) var done = false
        let store = fixture.store
        let racing = try OutboundPublisher(store: store, directory: spool.directory, batchSize: 3, retention: nil, now: {
            replayed.withLock {
                if !done { done = true; _ = try? store.write { try $0.rewindOutbound(to: .distantPast, at: Date()) } }
            }
            return Date()
        })
        #expect(try racing.step() == 3, "events 4 to 6 were placed")
        #expect(try store.read { try $0.outboundCursor() } == 0, "the replay's cursor stands: the delivery did not move it past")
        #expect(try racing.drain() == 6, "all six go out again")
        #expect(try store.read { try $0.outboundCursor() } == 6)
        #expect(deduplicated(try ids(try deliveredLines())) == (try outboxIDs()))
    }

    @Test func aSmallBatchLingersForCompanyButAFullOneOrADrainGoesAtOnce() throws {
        try makeChanges(tasks: 1)   // three events
        // The publisher's own clock decides, from when it first saw the waiting events.
        let clock = NSLock()
        nonisolated(unsafe) var seconds: TimeInterval = 0
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        func publisher(batch: Int) throws -> OutboundPublisher {
            try OutboundPublisher(store: fixture.store, directory: spool.directory, batchSize: batch, retention: nil, linger: 60,
                                  now: { clock.withLock { start.addingTimeInterval(seconds) } })
        }
        let lingering = try publisher(batch: 10)
        #expect(try lingering.poll() == false, "three of ten, just seen: it waits")
        clock.withLock { seconds = 59 }
        #expect(try lingering.poll() == false)
        #expect(try files().isEmpty)
        #expect(try publisher(batch: 3).step() == 3, "a full batch goes at once")
        try makeChanges(tasks: 1)
        #expect(try publisher(batch: 10).drain() == 3, "--once lingers for nothing")
        try makeChanges(tasks: 1)
        #expect(try lingering.poll() == false, "new waiting events: the wait starts again")
        clock.withLock { seconds = 120 }
        #expect(try lingering.poll(), "they have waited the minute")
        #expect(try files().count == 3)
    }

    @Test func deliveredEventsArePrunedAfterTheRetentionAndWaitingOnesNever() throws {
        try makeChanges(tasks: 2)
        let late = fixture.start.addingTimeInterval(8 * 86_400)
        let publisher = try publisher(batch: 3, retention: 7 * 86_400, now: late)
        #expect(try publisher.step() == 3)
        // Idle is when pruning happens; three delivered, older than seven days: pruned. Three waiting: kept.
        #expect(try fixture.store.write { try $0.pruneOutbound(before: late.addingTimeInterval(-7 * 86_400), limit: 100, at: late) } == 3)
        #expect(try fixture.store.read { try $0.outboundBacklog() }.waiting == 3)
        #expect(try publisher.poll())
        #expect(try !publisher.poll())
        #expect(try fixture.store.read { try $0.outboundEvents(after: 0, limit: 100) }.isEmpty, "idle: the rest pruned")
    }
}
