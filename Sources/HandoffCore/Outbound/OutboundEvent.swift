import Foundation

/// The canonical event a task change sends back to the integration layer (CloudEvents 1.0), before the
/// store gives it its id, source and place in the outbound sequence.
///
/// It carries references and codes only — the task id, version, state, queue, priority, kind, the patient
/// and focus references, owner and actor as references to their user ids — never titles, notes,
/// reasons or names: context attributes and payloads pass through middleware that logs them. (The
/// correlation key goes out only when it is a reference such as `ServiceRequest/77`.)
public struct OutboundEvent: Hashable, Sendable {
    /// e.g. `task.assigned` (``OutboundEventType``).
    public var type: String
    /// When the change happened.
    public var time: Date
    /// The patient reference, e.g. `Patient/123`.
    public var subject: String?
    /// The W3C trace context of the event behind the task.
    public var traceparent: String?
    /// The task's business key, e.g. `ServiceRequest/77`.
    public var correlationID: String?
    public var data: [String: JSONValue]

    /// The schema version of the payload; `dataschema` is `urn:handoff:event:<type>:v1`.
    public static let schemaVersion = 1

    /// The event of the audited change `entry` — an action of `kind` — that left `task` as it is, or `nil`
    /// when it is not a change (an access). The payload's `action` is the audit's (`reassign` for an
    /// assignment that replaced an owner).
    public static func of(_ entry: AuditEntry, kind action: ActionKind, task: WorkTask) -> OutboundEvent? {
        guard let type = OutboundEventType.of(action) else { return nil }
        var data: [String: JSONValue] = [
            "task": .string(task.id.description), "version": .number(Double(task.version)), "action": .string(entry.action),
            "state": .string(task.state.rawValue), "queue": .string(task.queue), "priority": .string(task.priority.rawValue),
            "kind": .string(task.kind),
        ]
        let optional: [(String, String?)] = [
            ("previousState", entry.fromState?.rawValue), ("subject", task.subject?.description), ("focus", task.focus?.description),
            ("owner", task.owner.map { person($0, isService: false) }),
            ("actor", person(entry.actor, isService: entry.actorRole == .service)),
            ("dueAt", task.dueAt.map(Timestamp.format)), ("exception", task.state == .exception ? task.exceptionCode : nil),
            ("outcome", action == .resolveException ? task.resolution?.rawValue : nil),
        ]
        for case let (key, value?) in optional { data[key] = .string(value) }
        return OutboundEvent(type: type, time: entry.time, subject: task.subject?.description,
                             traceparent: task.traceID.flatMap { CloudEvent.traceID(of: $0) != nil ? $0 : nil },
                             correlationID: task.correlationKey.flatMap { Reference($0)?.description }, data: data)
    }

    /// The complete CloudEvent: `id` unique for `source` (this Handoff instance), `sequence` its place in the
    /// instance's outbound order (the CloudEvents sequence extension, zero-padded so text order is that order).
    public func cloudEvent(id: String, source: String, sequence: Int64) -> CloudEvent {
        CloudEvent(id: id, source: source, type: type, time: time, subject: subject, dataContentType: "application/json",
                   dataSchema: "urn:handoff:event:\(type):v\(Self.schemaVersion)", data: .object(data), traceparent: traceparent,
                   correlationID: correlationID, partitionKey: subject,
                   extensions: ["sequence": .string(Self.sequenceText(sequence))])
    }

    /// A Handoff user as a FHIR reference (``Reference/user(_:isService:)``), or, when the user id is no
    /// valid FHIR id, a conditional reference by identifier, as the FHIR export writes it.
    static func person(_ name: String, isService: Bool) -> String {
        Reference.user(name, isService: isService)?.description
            ?? "\(isService ? "Device" : "Practitioner")?identifier=\(FHIRTaskMapping.userSystem)|\(name)"
    }

    /// `sequence` as 20 decimal digits.
    public static func sequenceText(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
