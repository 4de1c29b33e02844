import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: every request gets the answer a handler scripts,
/// one connection per request (`Connection: close`), each served on its own thread. Call ``stop()`` when done.
public final class LocalHTTPServer: @unchecked Sendable {
    /// One request as the server read it.
    public struct Request: Sendable, Hashable {
        /// Its place in arrival order, from 1.
        public let number: Int
        /// The request target: path and query, e.g. `/feed?after=c1`.
        public let target: String

        /// The `after` query value, percent-decoded; `nil` when the request has none.
        public var after: String? {
            URLComponents(string: target)?.queryItems?.first { $0.name == "after" }?.value
        }
    }

    /// What the server does with a request.
    public enum Response: Sendable {
        /// Answers with this status and JSON body.
        case json(Int, String)
        /// Drops the connection without answering.
        case close
        /// Keeps the connection open without answering, for at most this many seconds or until ``stop()``.
        case stall(TimeInterval)
    }

    /// A socket call that failed while starting the server.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port the kernel chose.
    public let port: UInt16
    /// The feed address tests give a source: `http://127.0.0.1:<port>/feed`.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)/feed")! }

    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    private var stalling = 0
    /// Signalled once per stalling connection when the server stops, so a stall ends at once.
    private let stallEnd = DispatchSemaphore(value: 0)
    private let acceptLoopEnded = DispatchSemaphore(value: 0)
    private let connections = DispatchGroup()

    /// Starts listening on 127.0.0.1 at a free port; `handler` decides each answer.
    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socket in
                bind(listener, socket, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, socket, &length) == 0
            }
        }
        guard bound else {
            let problem = String(cString: strerror(errno))
            close(listener)
            throw StartError(description: "cannot listen on 127.0.0.1: \(problem)")
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Every request so far, in arrival order.
    public var requests: [Request] { lock.withLock { received } }

    /// Stops accepting, ends stalls, waits (bounded) for the connections to close. Safe to call twice.
    public func stop() {
        let stalls: Int? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            return stalling
        }
        guard let stalls else { return }
        for _ in 0..<stalls { stallEnd.signal() }
        _ = acceptLoopEnded.wait(timeout: .now() + 5)
        _ = connections.wait(timeout: .now() + 5)
        close(listener)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    // MARK: - Serving

    private func acceptLoop() {
        defer { acceptLoopEnded.signal() }
        while !isStopped {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            connections.enter()
            Thread { [self] in
                serve(client)
                connections.leave()
            }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer {
            shutdown(client, Int32(SHUT_RDWR))
            close(client)
        }
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard let target = readRequestTarget(client) else { return }
        let request: Request = lock.withLock {
            received.append(Request(number: received.count + 1, target: target))
            return received[received.count - 1]
        }
        switch handler(request) {
        case let .json(status, body):
            let bytes = Data(body.utf8)
            let head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\n" +
                "Content-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
            send(Data(head.utf8) + bytes, to: client)
        case .close:
            return
        case let .stall(seconds):
            let waits = lock.withLock {
                guard !stopped else { return false }
                stalling += 1
                return true
            }
            guard waits else { return }
            _ = stallEnd.wait(timeout: .now() + seconds)
            lock.withLock { stalling -= 1 }
        }
    }

    /// Reads up to the end of the request head (at most 64 KiB) and returns the target of its request line.
    private func readRequestTarget(_ client: Int32) -> String? {
        var head = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 65_536, head.range(of: Data("\r\n\r\n".utf8)) == nil {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            head.append(contentsOf: buffer[0..<count])
        }
        // Bytes, not characters: "\r\n" is one Swift `Character`.
        let line = String(decoding: head.prefix { $0 != 0x0D }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count == 3 else { return nil }
        return String(parts[1])
    }

    private func send(_ data: Data, to client: Int32) {
        data.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = Glibc.send(client, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return }
                sent += count
            }
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
