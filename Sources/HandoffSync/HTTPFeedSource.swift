import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HandoffCore
import HandoffStore

/// An HTTP feed of canonical events, read a page at a time with `GET <url>?after=<cursor>`.
///
/// ## Page format
/// The feed answers a JSON object `{"events": [ …CloudEvents… ], "next": "CURSOR"}`. The first request
/// has no `after` (nor does one after an empty cursor); each later request sends, percent-encoded, the
/// `next` of the last page applied, an opaque string to Handoff. An empty `events` array means caught
/// up: the cursor stays, and the same `after` is asked again at the next poll. Each element of `events`
/// becomes one delivery whose bytes are the element re-encoded with sorted keys; an element that is not
/// a JSON object is dead-lettered as `invalid_json`. An answer that is not such an object (not JSON, no
/// `events` array, no string `next`) is a failure of the feed, retried like a network error, never an event.
///
/// ## Cursor and crashes
/// The cursor is stored under ``cursorKey`` in the transaction that applies the page's last events. A page
/// with more events than the worker's batch is handed out batch by batch from memory, and the cursor moves
/// only with the last batch. After a crash inside a page the page is fetched again and its events already
/// applied come back as duplicates, which the inbox skips and counts: no effect is applied twice.
///
/// ## Failures and back-off
/// A transport error, a timeout, HTTP 429 or 5xx, any other HTTP 4xx (a misconfiguration: the URL or the
/// access rights) and a malformed page do not throw: the source records the failure and waits before the
/// next request, after `n` failures in a row a random time up to ``Backoff/ceiling(afterFailures:)``
/// ("full jitter", so many workers do not retry in step). While it waits, ``next(limit:now:store:)``
/// returns `nil`. The ``status`` is written to the store under ``statusKey`` at every failure and when the
/// feed answers again (or for the first time since the source was made); each failure is also the
/// worker's last error.
public final class HTTPFeedSource: EventSource, @unchecked Sendable {
    /// How long the source waits between attempts after failures.
    public struct Backoff: Sendable, Hashable {
        /// The wait ceiling after the first failure.
        public var base: TimeInterval
        /// The largest wait ceiling, however many failures.
        public var maximum: TimeInterval

        public init(base: TimeInterval = 1, maximum: TimeInterval = 60) {
            self.base = base
            self.maximum = maximum
        }

        /// The longest wait after `failures` failures in a row: `base · 2^(failures − 1)`, at most ``maximum``.
        public func ceiling(afterFailures failures: Int) -> TimeInterval {
            min(maximum, base * pow(2, Double(min(max(failures - 1, 0), 62))))
        }
    }

    /// Whether the feed answers, as `handoff sync status` and the console show it.
    public enum Status: Sendable, Hashable, Codable {
        /// The last request succeeded (`nil`: no request yet since the source was made).
        case ok(lastSuccess: Date?)
        /// The requests fail since `since`; the next one is made at `nextAttempt`.
        case down(since: Date, failures: Int, lastError: String, nextAttempt: Date)

        /// One line for people, e.g. `feed down since 2026-11-25T09:12:00Z (3 failures, last: timed out), retrying in 8s`.
        public func line(now: Date) -> String {
            switch self {
            case .ok(lastSuccess: nil):
                return "feed not asked yet"
            case let .ok(lastSuccess?):
                return "feed ok, last answer \(RelativeTime.format(from: lastSuccess, to: now)) ago"
            case let .down(since, failures, lastError, nextAttempt):
                let retry = nextAttempt > now ? "retrying in \(RelativeTime.format(from: now, to: nextAttempt))" : "retrying now"
                return "feed down since \(Timestamp.format(since)) (\(failures) failure\(failures == 1 ? "" : "s"), last: \(lastError)), \(retry)"
            }
        }

        /// The status as stored in the sync state: its JSON form, times to the second.
        public var stored: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }

        /// Reads a status written by ``stored``; `nil` if `text` is not one.
        public init?(stored text: String) {
            guard let status = try? JSONDecoder().decode(Status.self, from: Data(text.utf8)) else { return nil }
            self = status
        }

        /// The JSON form: `{"state": "ok", "lastSuccess": …}` or `{"state": "down", "since": …, "failures": …,
        /// "lastError": …, "nextAttempt": …}`, times in RFC 3339.
        public init(from decoder: any Decoder) throws {
            let value = try Stored(from: decoder)
            switch value.state {
            case "ok":
                self = .ok(lastSuccess: value.lastSuccess.flatMap(Timestamp.parse))
            case "down":
                guard let since = value.since.flatMap(Timestamp.parse), let failures = value.failures,
                      let lastError = value.lastError, let nextAttempt = value.nextAttempt.flatMap(Timestamp.parse) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an incomplete feed status"))
                }
                self = .down(since: since, failures: failures, lastError: lastError, nextAttempt: nextAttempt)
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an unknown feed state '\(value.state)'"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            let value: Stored = switch self {
            case let .ok(lastSuccess):
                Stored(state: "ok", lastSuccess: lastSuccess.map(Timestamp.format))
            case let .down(since, failures, lastError, nextAttempt):
                Stored(state: "down", since: Timestamp.format(since), failures: failures, lastError: lastError,
                       nextAttempt: Timestamp.format(nextAttempt))
            }
            try value.encode(to: encoder)
        }

        private struct Stored: Codable {
            var state: String
            var lastSuccess: String?
            var since: String?
            var failures: Int?
            var lastError: String?
            var nextAttempt: String?
        }
    }

    /// The sync-state key the status is written under.
    public static let statusKey = "feed.status"

    /// The feed's address, without `after`.
    public let url: URL
    /// The most time one request may take, from connecting to the last byte.
    public let timeout: TimeInterval
    /// How long to wait before the next request after failures.
    public let backoff: Backoff
    /// A fraction in `0...1` of the back-off ceiling to wait; injected so tests are deterministic.
    private let jitter: @Sendable () -> Double
    private let session: URLSession

    private let lock = NSLock()
    private var current: Status = .ok(lastSuccess: nil)
    /// Whether the store holds an ok status written by this source (so a success need not write again).
    private var storedOK = false
    /// The page being handed out, when it had more events than one batch took.
    private var page: Page?

    /// A fetched page: its deliveries, how many were applied, and the cursor to store after the last.
    private struct Page {
        var deliveries: [Delivery]
        var applied: Int
        var next: String
    }

    /// The result of one request.
    private enum Answer {
        case page(deliveries: [Delivery], next: String)
        case failure(String)
    }

    public var name: String { "feed \(url.absoluteString)" }

    /// The sync-state key of the cursor: `feed:<url>`.
    public var cursorKey: String { "feed:" + url.absoluteString }

    /// Whether the feed answers, as of the last request.
    public var status: Status { lock.withLock { current } }

    /// A source reading the feed at `url`; `jitter` returns a fraction in `0...1` of the back-off ceiling
    /// to wait (random by default).
    public init(url: URL, timeout: TimeInterval = 10, backoff: Backoff = Backoff(),
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.url = url
        self.timeout = timeout
        self.backoff = backoff
        self.jitter = jitter
        // The source keeps the deadline itself: FoundationNetworking counts its timeouts in whole seconds
        // (and fires at once below one), so URLSession's is only a backstop a little beyond it.
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.rounded(.up) + 1
        configuration.timeoutIntervalForResource = timeout.rounded(.up) + 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func next(limit: Int, now: Date, store: HandoffStore) throws -> SourceBatch? {
        if let batch = remainder(limit: limit) { return batch }
        if case let .down(_, _, _, nextAttempt) = status, now < nextAttempt { return nil }
        let cursor = try store.read { try $0.syncValue(cursorKey) }
        switch fetch(after: cursor) {
        case let .failure(problem):
            try recordFailure(problem, at: now, store: store)
            return nil
        case let .page(deliveries, next):
            try recordSuccess(at: now, store: store)
            guard !deliveries.isEmpty else { return nil }
            lock.withLock { page = Page(deliveries: deliveries, applied: 0, next: next) }
            return remainder(limit: limit)
        }
    }

    // MARK: - Handing out a page

    /// The next at most `limit` deliveries of the current page; the cursor moves with the page's last ones.
    private func remainder(limit: Int) -> SourceBatch? {
        guard let page = lock.withLock({ page }) else { return nil }
        let end = min(page.applied + max(limit, 1), page.deliveries.count)
        let finished = end == page.deliveries.count
        let key = cursorKey
        return SourceBatch(deliveries: Array(page.deliveries[page.applied..<end]), commit: { session, now in
            if finished { try session.setSyncValue(key, page.next, at: now) }
        }, finish: { [self] in
            // Only now, after the commit: a batch rolled back is handed out again.
            lock.withLock {
                self.page?.applied = end
                if finished { self.page = nil }
            }
        })
    }

    // MARK: - Status

    private func recordSuccess(at now: Date, store: HandoffStore) throws {
        let (status, write) = lock.withLock {
            current = .ok(lastSuccess: now)
            return (current, !storedOK)
        }
        guard write else { return }
        try store.write { try $0.setSyncValue(Self.statusKey, status.stored, at: now) }
        lock.withLock { storedOK = true }
    }

    private func recordFailure(_ problem: String, at now: Date, store: HandoffStore) throws {
        let status: Status = lock.withLock {
            var since = now
            var failures = 1
            if case let .down(downSince, previous, _, _) = current {
                since = downSince
                failures = previous + 1
            }
            let wait = backoff.ceiling(afterFailures: failures) * min(max(jitter(), 0), 1)
            current = .down(since: since, failures: failures, lastError: problem, nextAttempt: now.addingTimeInterval(wait))
            storedOK = false
            return current
        }
        let error = SyncError.feed("\(url.absoluteString): \(problem)").description
        try store.write { session in
            try session.setSyncValue(Self.statusKey, status.stored, at: now)
            try session.setSyncValue("last.error", error, at: now)
            try session.setSyncValue("last.errorAt", Timestamp.format(now), at: now)
        }
    }

    // MARK: - Requests

    private func fetch(after cursor: String?) -> Answer {
        let address = requestURL(after: cursor)
        let (data, response, error) = get(address)
        if let error { return .failure(Self.describe(error)) }
        guard let response = response as? HTTPURLResponse, let data else { return .failure("no HTTP answer") }
        switch response.statusCode {
        case 200..<300:
            break
        case 429:
            return .failure("HTTP 429 (too many requests)")
        case 500..<600:
            return .failure("HTTP \(response.statusCode) (server error)")
        case 400..<500:
            return .failure("HTTP \(response.statusCode): check the feed URL and its access rights")
        default:
            return .failure("unexpected HTTP \(response.statusCode)")
        }
        guard let answer = try? JSONDecoder().decode(JSONValue.self, from: data) else { return .failure("the page is not JSON") }
        guard case let .array(elements)? = answer["events"] else { return .failure("the page has no \"events\" array") }
        guard let next = answer["next"]?.string else { return .failure("the page has no \"next\" cursor") }
        let deliveries = elements.enumerated().map { index, element in
            Delivery(element: element, transport: "feed:\(address.absoluteString)[\(index + 1)]")
        }
        return .page(deliveries: deliveries, next: next)
    }

    /// The feed URL with `after=<cursor>` added, unless the cursor is absent or empty.
    private func requestURL(after cursor: String?) -> URL {
        guard let cursor, !cursor.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        let encoded = cursor.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? cursor
        components.percentEncodedQuery = (components.percentEncodedQuery.map { $0 + "&" } ?? "") + "after=" + encoded
        return components.url ?? url
    }

    /// The characters a query value may carry unescaped (RFC 3986's unreserved set).
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Makes the request and waits at most ``timeout`` for the whole answer; past it, the request is cancelled.
    private func get(_ address: URL) -> (Data?, URLResponse?, (any Error)?) {
        var request = URLRequest(url: address, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: session.configuration.timeoutIntervalForRequest)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let exchange = Exchange()
        let task = session.dataTask(with: request) { data, response, error in exchange.finish(data, response, error) }
        task.resume()
        guard exchange.wait(seconds: timeout) else {
            task.cancel()
            return (nil, nil, URLError(.timedOut))
        }
        return exchange.result
    }

    /// A transport error in a few words for the status line.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "network error: \(error)" }
        switch error.code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .networkConnectionLost: return "connection lost"
        case .badServerResponse, .zeroByteResource: return "no valid HTTP answer (connection dropped?)"
        case .notConnectedToInternet: return "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS failed"
        default: return "network error (URLError \(error.code.rawValue))"
        }
    }
}

/// One request's answer, handed from URLSession's queue to the waiting worker thread.
private final class Exchange: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var answer: (Data?, URLResponse?, (any Error)?) = (nil, nil, nil)

    var result: (Data?, URLResponse?, (any Error)?) { lock.withLock { answer } }

    func finish(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) {
        lock.withLock { answer = (data, response, error) }
        done.signal()
    }

    /// Waits up to `seconds` for the answer; `false` if it did not come.
    func wait(seconds: TimeInterval) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }
}
