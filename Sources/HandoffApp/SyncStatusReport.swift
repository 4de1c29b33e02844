import Foundation
import HandoffCore
import HandoffStore
import HandoffSync

/// The sync worker's state as people read it: counters, lag, the last error, liveness.
public struct SyncStatusReport: Codable, Sendable, Equatable {
    public var received: Int
    public var created: Int
    public var changed: Int
    public var ignored: Int
    public var duplicates: Int
    public var deadLettered: Int
    public var retries: Int
    /// SLA thresholds and overdue times the sweeper acted on.
    public var escalations: Int
    /// Parked events waiting now for their task.
    public var parkedNow: Int
    /// Dead letters nobody has replayed or discarded yet.
    public var openDeadLetters: Int
    /// Seconds between the newest event's time and now.
    public var lagSeconds: Int?
    public var lastError: String?
    public var lastErrorAt: Date?
    /// The worker's last heartbeat, process and status line.
    public var heartbeat: Date?
    public var workerPID: String?
    public var workerStatus: String?
    /// The HTTP feed's state, when the worker pulls from one.
    public var feed: HTTPFeedSource.Status?

    /// Reads the report from the store.
    public static func read(_ session: StoreSession, now: Date) throws -> SyncStatusReport {
        let values = try session.syncValues()
        func count(_ key: String) -> Int { Int(values["count." + key]?.value ?? "") ?? 0 }
        let newest = values["last.eventTime"].flatMap { Timestamp.parse($0.value) }
        return SyncStatusReport(
            received: count("received"), created: count("created"), changed: count("changed"), ignored: count("ignored"),
            duplicates: count("duplicates"), deadLettered: count("deadLettered"), retries: count("retries"),
            escalations: count("escalations"),
            parkedNow: try session.eventCounts()[.parked] ?? 0,
            openDeadLetters: try session.openDeadLetterCounts().values.reduce(0, +),
            lagSeconds: newest.map { max(0, Int(now.timeIntervalSince($0))) },
            lastError: values["last.error"]?.value, lastErrorAt: values["last.errorAt"].flatMap { Timestamp.parse($0.value) },
            heartbeat: values["worker.heartbeat"].flatMap { Timestamp.parse($0.value) },
            workerPID: values["worker.pid"]?.value, workerStatus: values["worker.status"]?.value,
            feed: values[HTTPFeedSource.statusKey].flatMap { HTTPFeedSource.Status(stored: $0.value) }
        )
    }

    /// Whether a worker reported within `seconds` of `now`.
    public func isAlive(now: Date, within seconds: TimeInterval = 30) -> Bool {
        JobLiveness.isAlive(heartbeat: heartbeat, status: workerStatus, now: now, within: seconds)
    }

    /// A few words for the title bar: liveness, lag, open dead letters.
    public func line(now: Date) -> String {
        let worker = isAlive(now: now) ? "⇄ sync" : (heartbeat == nil ? "⇄ no sync yet" : "⇄ sync stopped")
        let lag = isAlive(now: now) ? lagSeconds.map { " · lag \(RelativeTime.format(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: Double($0))))" } ?? "" : ""
        let dead = openDeadLetters > 0 ? " · \(openDeadLetters) dead" : ""
        let down = if case .down = feed, isAlive(now: now) { " · feed down" } else { "" }
        return worker + lag + dead + down
    }

    /// Two or three lines for the console's integration screen.
    public func panel(now: Date) -> [String] {
        let all = lines(now: now)
        let counts = "received \(received) · created \(created) · changed \(changed) · ignored \(ignored) · duplicates \(duplicates) · "
            + "dead-lettered \(deadLettered) · retries \(retries) (\(parkedNow) waiting)"
            + (lagSeconds.map { " · lag \(RelativeTime.format(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: Double($0))))" } ?? "")
        var panel = [all[0].replacingOccurrences(of: "worker:        ", with: "worker: "), counts]
        if let feed { panel.append(feed.line(now: now)) }
        if let lastError { panel.append("last error: \(lastError)" + (lastErrorAt.map { " at \(Timestamp.format($0))" } ?? "")) }
        return panel
    }

    /// The report as lines for `handoff sync status`.
    public func lines(now: Date) -> [String] {
        var lines = [
            "worker:        " + (isAlive(now: now) ? "running (pid \(workerPID ?? "?"))\(workerStatus.map { ", \($0)" } ?? "")"
                                 : heartbeat.map { "not running (last seen \(Timestamp.format($0))\(workerStatus.map { ", \($0)" } ?? ""))" } ?? "never ran"),
            "received:      \(received)",
            "tasks created: \(created)",
            "tasks changed: \(changed)",
            "ignored:       \(ignored)",
            "duplicates:    \(duplicates)",
            "dead-lettered: \(deadLettered) (\(openDeadLetters) open)",
            "retries:       \(retries) (\(parkedNow) waiting for their task)",
            "escalations:   \(escalations) (SLA thresholds and overdue pending work acted on)",
            "lag:           " + (lagSeconds.map { RelativeTime.format(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: Double($0))) } ?? "no events yet"),
        ]
        if let feed { lines.append("feed:          \(DisplayText.sanitize(feed.line(now: now)))") }
        if let lastError { lines.append("last error:    \(DisplayText.sanitize(lastError))" + (lastErrorAt.map { " at \(Timestamp.format($0))" } ?? "")) }
        return lines
    }
}
