import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// The spool directory: name order, complete lines only, file identity, done/ and failed/.
struct SpoolSourceTests {
    let fixture: SyncFixture

    init() throws { fixture = try SyncFixture(partialLineTimeout: 30) }

    var spool: String { fixture.directory.file("spool") }

    func files(_ folder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + (folder.isEmpty ? "" : "/" + folder))) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "done" && $0 != "failed" }.sorted()
    }

    func worker(batchSize: Int = 500) throws -> SyncWorker {
        SyncWorker(store: fixture.store, ingestor: EventIngestor(routes: fixture.routes, actor: fixture.service, parkTimeout: 60),
                   sources: [fixture.spool], batchSize: batchSize, now: { [fixture] in fixture.now })
    }

    func lines(_ reports: ClosedRange<Int>) -> String {
        reports.map { RoutingTests.lab("DiagnosticReport/\($0)") + "\n" }.joined()
    }

    func createdReports() throws -> [String] {
        try fixture.store.read { db in
            try db.tasks(TaskFilter(includeClosed: true, limit: 1000), visibleTo: fixture.admin).compactMap(\.correlationKey)
        }
    }

    @Test func filesAreTakenInNameOrderAndMovedToDoneTmpAndHiddenFilesAreLeftAlone() throws {
        try fixture.drop("0002.ndjson", lines(3...4))
        try fixture.drop("0001.ndjson", lines(1...2))
        try Data(lines(9...9).utf8).write(to: URL(fileURLWithPath: spool + "/0000.ndjson.tmp"))
        try Data(lines(8...8).utf8).write(to: URL(fileURLWithPath: spool + "/.hidden.ndjson"))
        let tally = try worker().drain()
        #expect(tally.created == 4)
        #expect(try fixture.store.read { try $0.loggedEvents(since: nil) }.map(\.correlationKey)
                == (1...4).map { "DiagnosticReport/\($0)" })
        #expect(files("done") == ["0001.ndjson", "0002.ndjson"])
        #expect(files() == ["0000.ndjson.tmp"])
        #expect(FileManager.default.fileExists(atPath: spool + "/.hidden.ndjson"))
    }

    @Test func aLastLineWithoutItsNewlineIsWaitedFor() throws {
        let text = lines(1...2) + RoutingTests.lab("DiagnosticReport/3")
        try fixture.drop("0001.ndjson", text)
        let worker = try worker()
        #expect(try worker.drain().created == 2)
        #expect(files() == ["0001.ndjson"], "the file stays while its last line is incomplete")
        let handle = try #require(FileHandle(forWritingAtPath: spool + "/0001.ndjson"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        #expect(try worker.drain().created == 1)
        #expect(files("done") == ["0001.ndjson"])
        #expect(try fixture.deadLetters().isEmpty)
    }

    @Test func aLastLineThatNeverGetsItsNewlineIsDeadLetteredOnceTheFileStopsChanging() throws {
        try fixture.drop("0001.ndjson", lines(1...1) + "{\"specversion\":\"1.0\",\"id\":\"cut-off")
        try fixture.drop("0002.ndjson", lines(2...2))
        let worker = try worker()
        #expect(try worker.drain().created == 1)
        fixture.now += 29
        #expect(try worker.drain().received == 0, "still within the partial-line timeout; later files wait to keep order")
        fixture.now += 2
        let tally = try worker.drain()
        #expect(tally.deadLettered == 1)
        #expect(tally.created == 1, "the next file goes on")
        let letter = try #require(try fixture.deadLetters().first)
        #expect(letter.reason == .invalidJSON)
        #expect(letter.detail.contains("newline"))
        #expect(String(decoding: letter.raw, as: UTF8.self) == "{\"specversion\":\"1.0\",\"id\":\"cut-off")
        #expect(files("done") == ["0001.ndjson", "0002.ndjson"])
    }

    @Test func progressFollowsTheFileNotItsNameWhenMiddlewareReusesIt() throws {
        try fixture.drop("feed.ndjson", lines(1...4))
        let worker = try worker(batchSize: 2)
        #expect(try worker.step()?.created == 2)
        // The producer replaces the file under the same name (a new file renamed over it) before the rest was read.
        try Data(lines(5...7).utf8).write(to: URL(fileURLWithPath: spool + "/feed.tmp"))
        #expect(rename(spool + "/feed.tmp", spool + "/feed.ndjson") == 0)
        try worker.drain()
        #expect(try createdReports().sorted() == ["DiagnosticReport/1", "DiagnosticReport/2", "DiagnosticReport/5",
                                                  "DiagnosticReport/6", "DiagnosticReport/7"])
    }

    @Test func aFileIsMovedOnlyAfterItsEffectsAreCommittedAndACrashBetweenRepeatsNothing() throws {
        try fixture.drop("0001.ndjson", lines(1...3))
        let worker = try worker()
        // Apply and commit the batch, but "crash" before the file is moved aside.
        let batch = try #require(try fixture.spool.next(limit: 500, now: fixture.now, store: fixture.store))
        _ = try worker.apply(batch.deliveries, commit: batch.commit, at: fixture.now)
        #expect(files() == ["0001.ndjson"])
        let again = try worker.drain()
        #expect(again.received == 0, "the cursor says the file was done: nothing is read twice")
        #expect(files("done") == ["0001.ndjson"])
        #expect(try fixture.store.read { try $0.taskCount() } == 3)
    }

    @Test func aNewFileInTheSameInodeIsReadFromItsStartNotSkipped() throws {
        try fixture.drop("0001.ndjson", lines(1...3))
        let worker = try worker()
        let batch = try #require(try fixture.spool.next(limit: 500, now: fixture.now, store: fixture.store))
        _ = try worker.apply(batch.deliveries, commit: batch.commit, at: fixture.now)
        // Before the finished file was moved aside, the producer rewrote it in place: same name, same inode.
        let handle = try #require(FileHandle(forWritingAtPath: spool + "/0001.ndjson"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(lines(4...5).utf8))
        try handle.close()
        #expect(try worker.drain().created == 2)
        #expect(try createdReports().sorted() == (1...5).map { "DiagnosticReport/\($0)" })
    }

    @Test func aBatchFileIsAppliedElementByElement() throws {
        let events = (1...3).map { RoutingTests.lab("DiagnosticReport/\($0)") }
        try fixture.drop("0001.json", "[" + events.joined(separator: ",\n") + ", 42]")
        let tally = try worker(batchSize: 2).drain()
        #expect(tally.created == 3)
        #expect(tally.deadLettered == 1)
        #expect(try fixture.deadLetters().first?.transport == "spool:0001.json[4]")
        #expect(files("done") == ["0001.json"])
    }

    @Test func aBatchFileThatIsNotJSONIsDeadLetteredAndMovedToFailed() throws {
        try fixture.drop("0001.json", "[{\"specversion\": \"1.0\"")
        try fixture.drop("0002.ndjson", lines(1...1))
        let tally = try worker().drain()
        #expect(tally.deadLettered == 1)
        #expect(tally.created == 1)
        #expect(try fixture.deadLetters().map(\.reason) == [.invalidJSON])
        #expect(files("failed") == ["0001.json"])
        #expect(files("done") == ["0002.ndjson"])
    }
}
