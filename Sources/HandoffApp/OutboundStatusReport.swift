import Foundation
import HandoffCore
import HandoffStore

/// The outbound publisher's state as people read it: the backlog, what was delivered where, liveness.
public struct OutboundStatusReport: Codable, Sendable, Equatable {
    /// The CloudEvents `source` of this instance's events.
    public var source: String
    /// Whether task changes emit events (`handoff outbound emit on|off`).
    public var emitting: Bool
    /// The outbound spool the publisher last delivered to.
    public var spool: String?
    /// The newest sequence number given, and the last one delivered.
    public var newest: Int64
    public var delivered: Int64
    /// Events waiting for delivery, and how old the oldest is in seconds.
    public var waiting: Int
    public var oldestWaitingSeconds: Int?
    /// Events delivered (counting repeats after a replay) and pruned since the database began.
    public var deliveredTotal: Int
    public var pruned: Int
    public var lastFile: String?
    /// When the cursor last moved: the last delivery (or replay).
    public var lastDeliveryAt: Date?
    public var heartbeat: Date?
    public var publisherPID: String?
    public var publisherStatus: String?
    public var lastError: String?
    public var lastErrorAt: Date?

    /// Reads the report from the store.
    public static func read(_ session: StoreSession, now: Date) throws -> OutboundStatusReport {
        let stored = try session.syncValues(prefix: "outbound.")
        func value(_ key: String) -> String? { stored["outbound." + key]?.value }
        func time(_ key: String) -> Date? { value(key).flatMap(Timestamp.parse) }
        let backlog = try session.outboundBacklog()
        let settings = try session.outboundSettings()
        let age: Int? = backlog.oldestWaiting.map { max(0, Int(now.timeIntervalSince($0))) }
        return OutboundStatusReport(
            source: settings.source, emitting: settings.emitting, spool: value("spool"),
            newest: backlog.newest, delivered: try session.outboundCursor(), waiting: backlog.waiting, oldestWaitingSeconds: age,
            deliveredTotal: value("delivered").flatMap { Int($0) } ?? 0, pruned: value("pruned").flatMap { Int($0) } ?? 0,
            lastFile: value("lastFile"), lastDeliveryAt: stored["outbound.cursor"]?.updatedAt, heartbeat: time("heartbeat"),
            publisherPID: value("pid"), publisherStatus: value("status"), lastError: value("lastError"), lastErrorAt: time("lastErrorAt")
        )
    }

    /// Whether a publisher reported within `seconds` of `now`.
    public func isAlive(now: Date, within seconds: TimeInterval = 30) -> Bool {
        JobLiveness.isAlive(heartbeat: heartbeat, status: publisherStatus, now: now, within: seconds)
    }

    /// Whether the last error came after the last delivery: the publisher is failing now.
    public var isFailing: Bool {
        guard let lastErrorAt else { return false }
        return lastDeliveryAt.map { lastErrorAt > $0 } ?? true
    }

    /// How long the oldest waiting event has waited, e.g. `3m`.
    public var oldestWaitingText: String? {
        oldestWaitingSeconds.map { RelativeTime.format(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: Double($0))) }
    }

    /// One line for the console's integration screen: the publisher and what waits for it.
    public func panelLine(now: Date) -> String {
        let publisher = isAlive(now: now) ? "publisher running" : (heartbeat == nil ? "no publisher yet" : "publisher stopped")
        return "outbound: \(emitting ? "" : "off · ")\(publisher) · \(waiting) waiting\(oldestWaitingText.map { ", oldest \($0)" } ?? "")"
            + " · delivered through #\(delivered)"
    }

    /// The report as lines for `handoff outbound status`.
    public func lines(now: Date) -> [String] {
        let safe = DisplayText.sanitize
        var lines = [
            "publisher:  " + (isAlive(now: now) ? "running (pid \(safe(publisherPID ?? "?")))\(publisherStatus.map { ", \(safe($0))" } ?? "")"
                              : heartbeat.map { "not running (last seen \(Timestamp.format($0))\(publisherStatus.map { ", \(safe($0))" } ?? ""))" } ?? "never ran"),
            "emitting:   " + (emitting ? "on: every task change writes its event" : "off: task changes send no events (handoff outbound emit on)"),
            "source:     \(safe(source))",
            "spool:      \(spool.map(safe) ?? "none yet")",
            "events:     \(newest) written, delivered through \(delivered)",
            "waiting:    \(waiting)\(oldestWaitingText.map { ", oldest \($0)" } ?? "")",
            "delivered:  \(deliveredTotal) (with repeats), \(pruned) pruned after delivery",
            "last file:  \(lastFile.map(safe) ?? "none yet")",
        ]
        if let lastError { lines.append("last error: \(safe(lastError))" + (lastErrorAt.map { " at \(Timestamp.format($0))" } ?? "")) }
        return lines
    }
}
