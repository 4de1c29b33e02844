import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff trace ID`: the story of one event, one trace, or one referral / report.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tell the story of an event id, a trace id, or a reference such as ServiceRequest/77.",
        discussion: "When each event was received, how it was routed, which tasks and audit records it touched, or why it was dead-lettered.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("An event id, a trace id (32 hex digits or a traceparent), or a reference.", valueName: "id"))
    var id: String

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeDeadLetterHandling(session.actor)
        let key = Self.traceID(in: id) ?? id
        let (events, letters) = try session.store.read { (try $0.events(matching: key), try $0.deadLetters(matching: key)) }
        guard !events.isEmpty || !letters.isEmpty else {
            throw CommandFailure("nothing known about '\(DisplayText.sanitize(id))': give an event id, a trace id or a reference such as ServiceRequest/77")
        }
        let safe = DisplayText.sanitize
        for event in events {
            print("\(Timestamp.format(event.receivedAt))  received \(safe(event.type)) \(safe(event.eventID)) from \(safe(event.source)) via \(safe(event.transport))")
            print("    trace \(event.traceID ?? "none") · key \(safe(event.correlationKey ?? "none")) · \(event.status.rawValue): \(safe(event.outcome))"
                  + (event.attempts > 1 ? " (after \(event.attempts) attempts)" : ""))
            let audit = try session.store.read { try $0.auditRecords(event: event.eventID, trace: event.traceID, tasks: event.tasks) }
                .filter { $0.entry.detail["event"] == event.eventID }
            let (sent, delivered) = try session.store.read { (try $0.outboundEvents(forAudit: audit.map(\.seq)), try $0.outboundCursor()) }
            for record in audit {
                let entry = record.entry
                let change = [entry.fromState?.rawValue, entry.toState?.rawValue].compactMap { $0 }.joined(separator: " → ")
                print("    audit #\(record.seq) \(Timestamp.format(entry.time)) \(entry.actor) \(entry.action) \(entry.taskID?.description ?? "") \(change)")
                if let out = sent[record.seq] {
                    print("      sent back \(safe(out.type)) \(safe(out.id)) (outbound #\(out.seq), \(out.seq <= delivered ? "delivered" : "waiting for the publisher"))")
                }
            }
        }
        for letter in letters {
            print("\(Timestamp.format(letter.firstSeen))  dead letter \(letter.id): \(letter.reason.rawValue) — \(safe(letter.detail))")
            print("    \(safe(letter.type ?? "unknown type")) \(safe(letter.eventID ?? "no id")) via \(safe(letter.transport)) · \(letter.attempts) attempts · \(letter.status.rawValue)"
                  + (letter.closedBy.map { " by \($0)" } ?? ""))
        }
    }

    /// The trace id of a traceparent, or the text itself when it is already 32 hex digits.
    static func traceID(in text: String) -> String? {
        let parts = text.split(separator: "-")
        if parts.count == 4, parts[1].count == 32 { return String(parts[1]) }
        return nil
    }
}
