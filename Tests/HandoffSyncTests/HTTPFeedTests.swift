import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTestSupport
import Testing

/// The HTTP feed source against a real server on 127.0.0.1, through the worker into a real database.
/// Back-off windows are passed by moving the fixture's clock; the only real wait is one client timeout.
struct HTTPFeedTests {
    let fixture: SyncFixture

    init() throws { fixture = try SyncFixture() }

    // MARK: - The sample feed

    /// A signed lab result with a fixed id, so a page fetched again carries the same events.
    static func lab(_ number: Int) -> String {
        TestEvent.json("lab.result.signed", id: "feed-\(number)", subject: "Patient/1001", data: [
            "patient": "Patient/1001", "name": "José Nuñez", "report": "DiagnosticReport/F\(number)",
            "test": ["code": "2823-3", "display": "Potassium 4.1 mmol/L"], "abnormal": false, "critical": false,
        ])
    }

    static func page(_ events: [String], next: String) -> LocalHTTPServer.Response {
        .json(200, #"{"events":[\#(events.joined(separator: ","))],"next":"\#(next)"}"#)
    }

    /// The feed's pages: events 1–3 (`next` c1), 4–5 (c2), 6 (c3), then caught up.
    static func feed(after cursor: String?) -> LocalHTTPServer.Response {
        switch cursor ?? "" {
        case "": page([1, 2, 3].map(lab), next: "c1")
        case "c1": page([4, 5].map(lab), next: "c2")
        case "c2": page([6].map(lab), next: "c3")
        default: page([], next: cursor ?? "")
        }
    }

    // MARK: - Helpers

    func worker(_ source: HTTPFeedSource) throws -> SyncWorker {
        try SyncSetup.worker(store: fixture.store, routes: fixture.routes, actor: fixture.service, sources: [source],
                             parkTimeout: 60, now: { [fixture] in fixture.now })
    }

    func applied() throws -> Int { try fixture.store.read { try $0.eventCounts() }[.applied] ?? 0 }

    /// The correlation keys of all tasks, oldest first.
    func taskKeys() throws -> [String?] {
        try fixture.store.read { db in
            try db.tasks(TaskFilter(includeClosed: true, limit: 1000), visibleTo: fixture.admin).sorted { $0.id < $1.id }.map(\.correlationKey)
        }
    }

    func syncValue(_ key: String) throws -> String? { try fixture.store.read { try $0.syncValue(key) } }

    func storedStatus() throws -> HTTPFeedSource.Status? {
        try syncValue(HTTPFeedSource.statusKey).flatMap(HTTPFeedSource.Status.init(stored:))
    }

    func later(_ seconds: TimeInterval, than time: Date) -> Date { time.addingTimeInterval(seconds) }

    /// Makes one request to a throwaway server: FoundationNetworking's first request in a process sets up
    /// libcurl and TLS (about 0.7 s on a CI machine), longer than the short timeout a test may give its source.
    static func warmUpNetworking() throws {
        let server = try LocalHTTPServer { _ in .json(200, "{}") }
        defer { server.stop() }
        let answered = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: server.url) { _, _, _ in answered.signal() }.resume()
        _ = answered.wait(timeout: .now() + 10)
    }

    // MARK: - Tests

    @Test func pagesAreAppliedInOrderOnceEachAndTheCursorFollowsNext() throws {
        let server = try LocalHTTPServer { Self.feed(after: $0.after) }
        defer { server.stop() }
        let source = HTTPFeedSource(url: server.url)
        let total = try worker(source).drain()
        #expect(total.received == 6)
        #expect(total.created == 6)
        #expect(server.requests.map(\.after) == [nil, "c1", "c2", "c3"])
        #expect(try applied() == 6)
        #expect(try taskKeys() == (1...6).map { "DiagnosticReport/F\($0)" })
        #expect(try syncValue(source.cursorKey) == "c3")
        #expect(source.status == .ok(lastSuccess: fixture.now))
        #expect(try storedStatus() == .ok(lastSuccess: fixture.now))
    }

    @Test func failuresBackOffExponentiallyThenTheFeedRecoversWithEveryEventOnce() throws {
        let server = try LocalHTTPServer { request in
            switch request.number {
            case 2: .json(500, #"{"error":"database unavailable"}"#)
            case 3: .close
            case 4: .stall(5)
            default: Self.feed(after: request.after)
            }
        }
        defer { server.stop() }
        try Self.warmUpNetworking()
        let source = HTTPFeedSource(url: server.url, timeout: 0.5, backoff: .init(base: 1, maximum: 60), jitter: { 1 })
        let worker = try worker(source)
        let start = fixture.now
        #expect(try worker.step()?.created == 3)

        // HTTP 500: down, first wait 1 s; no request before it has passed.
        #expect(try worker.step() == nil)
        #expect(source.status == .down(since: start, failures: 1, lastError: "HTTP 500 (server error)",
                                       nextAttempt: later(1, than: start)))
        #expect(try syncValue(HTTPFeedSource.statusKey) == """
            {"failures":1,"lastError":"HTTP 500 (server error)","nextAttempt":"\(Timestamp.format(later(1, than: start)))",\
            "since":"\(Timestamp.format(start))","state":"down"}
            """)
        #expect(try syncValue("last.error") == "feed: \(server.url.absoluteString): HTTP 500 (server error)")
        fixture.now = later(0.9, than: start)
        #expect(try worker.step() == nil)
        #expect(server.requests.count == 2)

        // A dropped connection: the wait doubles to 2 s.
        fixture.now = later(1, than: start)
        #expect(try worker.step() == nil)
        #expect(server.requests.count == 3)
        guard case let .down(since, failures, lastError, nextAttempt) = source.status else {
            Issue.record("the feed should be down, not \(source.status)")
            return
        }
        #expect(since == start)
        #expect(failures == 2)
        #expect(lastError == "no valid HTTP answer (connection dropped?)")
        #expect(nextAttempt == later(3, than: start))

        // No answer within the client's timeout: the wait doubles to 4 s.
        fixture.now = later(3, than: start)
        #expect(try worker.step() == nil)
        #expect(source.status == .down(since: start, failures: 3, lastError: "timed out", nextAttempt: later(7, than: start)))
        #expect(try storedStatus() == source.status)
        #expect(source.status.line(now: fixture.now) ==
            "feed down since \(Timestamp.format(start)) (3 failures, last: timed out), retrying in 4s")

        // The feed answers again: ok, and the rest of the events arrive.
        fixture.now = later(7, than: start)
        #expect(try worker.step()?.created == 2)
        #expect(source.status == .ok(lastSuccess: fixture.now))
        #expect(try storedStatus() == .ok(lastSuccess: fixture.now))
        #expect(try worker.drain().created == 1)

        #expect(server.requests.map(\.after) == [nil, "c1", "c1", "c1", "c1", "c2", "c3"])
        #expect(try applied() == 6)
        #expect(try taskKeys() == (1...6).map { "DiagnosticReport/F\($0)" })
        #expect(try syncValue("count.duplicates") == nil)
        #expect(try fixture.deadLetters().isEmpty)
        #expect(try syncValue(source.cursorKey) == "c3")
    }

    @Test(arguments: [(1, 1.0), (2, 2), (3, 4), (6, 32), (7, 60), (40, 60)])
    func theBackOffCeilingDoublesUpToItsMaximum(failures: Int, ceiling: TimeInterval) {
        #expect(HTTPFeedSource.Backoff(base: 1, maximum: 60).ceiling(afterFailures: failures) == ceiling)
    }

    @Test func theJitterPicksAFractionOfTheCeiling() throws {
        let server = try LocalHTTPServer { _ in .json(503, "{}") }
        defer { server.stop() }
        let source = HTTPFeedSource(url: server.url, backoff: .init(base: 2, maximum: 60), jitter: { 0.25 })
        let start = fixture.now
        #expect(try source.next(limit: 10, now: start, store: fixture.store) == nil)
        fixture.now = later(0.5, than: start)
        #expect(try source.next(limit: 10, now: fixture.now, store: fixture.store) == nil)
        #expect(source.status == .down(since: start, failures: 2, lastError: "HTTP 503 (server error)",
                                       nextAttempt: later(0.5 + 1, than: start)))
    }

    @Test func aRestartContinuesFromTheStoredCursor() throws {
        let server = try LocalHTTPServer { Self.feed(after: $0.after) }
        defer { server.stop() }
        let first = try worker(HTTPFeedSource(url: server.url))
        #expect(try first.step()?.created == 3)
        #expect(try first.step()?.created == 2)

        let source = HTTPFeedSource(url: server.url)
        #expect(try syncValue(source.cursorKey) == "c2")
        let total = try worker(source).drain()
        #expect(total.received == 1)
        #expect(server.requests.map(\.after) == [nil, "c1", "c2", "c3"])
        #expect(try applied() == 6)
        #expect(try syncValue("count.duplicates") == nil)
    }

    @Test func aPageLongerThanTheBatchMovesTheCursorWithItsLastEventsAndACrashGivesOnlyDuplicates() throws {
        let server = try LocalHTTPServer { Self.feed(after: $0.after) }
        defer { server.stop() }
        let source = HTTPFeedSource(url: server.url)
        let worker = try worker(source)
        let batch = try #require(try source.next(limit: 2, now: fixture.now, store: fixture.store))
        #expect(batch.deliveries.count == 2)
        #expect(try worker.apply(batch.deliveries, commit: batch.commit, at: fixture.now).created == 2)
        try batch.finish()
        #expect(try syncValue(source.cursorKey) == nil)

        // The rest of the page comes from memory, without a request.
        let rest = try #require(try source.next(limit: 2, now: fixture.now, store: fixture.store))
        #expect(rest.deliveries.map(\.raw) == [Data(Self.lab(3).utf8)])
        #expect(server.requests.count == 1)

        // A crash before the rest is applied: the page is fetched again; what was applied is a duplicate.
        let restarted = try self.worker(HTTPFeedSource(url: server.url))
        let total = try restarted.drain()
        #expect(total.duplicates == 2)
        #expect(total.created == 4)
        #expect(server.requests.map(\.after) == [nil, nil, "c1", "c2", "c3"])
        #expect(try applied() == 6)
    }

    @Test func misconfigurationAndMalformedPagesAreFeedFailuresNotEvents() throws {
        let server = try LocalHTTPServer { request in
            switch request.number {
            case 1: .json(404, #"{"error":"no such feed"}"#)
            case 2: .json(200, "<html>maintenance</html>")
            case 3: .json(200, #"{"events":[]}"#)
            default: Self.page(["42", Self.lab(1)], next: "c1")
            }
        }
        defer { server.stop() }
        let source = HTTPFeedSource(url: server.url, jitter: { 1 })
        let worker = try worker(source)
        let start = fixture.now
        let problems = ["HTTP 404: check the feed URL and its access rights", "the page is not JSON",
                        "the page has no \"next\" cursor"]
        for (index, problem) in problems.enumerated() {
            #expect(try worker.step() == nil)
            guard case let .down(_, failures, lastError, nextAttempt) = source.status else {
                Issue.record("the feed should be down, not \(source.status)")
                return
            }
            #expect(failures == index + 1)
            #expect(lastError == problem)
            fixture.now = nextAttempt
        }
        #expect(try syncValue("count.received") == nil)
        #expect(fixture.now == later(1 + 2 + 4, than: start))

        let tally = try #require(try worker.step())
        #expect(tally.created == 1)
        #expect(tally.deadLettered == 1)
        #expect(try fixture.deadLetters().map(\.reason) == [.invalidJSON])
        #expect(source.status == .ok(lastSuccess: fixture.now))
    }
}
