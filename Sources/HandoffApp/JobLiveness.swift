import Foundation

/// Whether a background job (the sync worker, the outbound publisher) is running, from what it last
/// recorded: a heartbeat within the limit, and a status line that does not say it stopped.
enum JobLiveness {
    static func isAlive(heartbeat: Date?, status: String?, now: Date, within seconds: TimeInterval) -> Bool {
        guard status.map({ !$0.hasPrefix("stopped") }) ?? true else { return false }
        return heartbeat.map { now.timeIntervalSince($0) <= seconds } ?? false
    }
}
