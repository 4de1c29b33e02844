import Foundation
import HandoffCore
import Testing

/// The outbound event of a task change: its type, its payload of references and codes only, and its
/// CloudEvents JSON, which Handoff's own decoder reads back.
struct OutboundEventTests {
    let fixture = Fixture()
    static let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    /// A created task and its audit record, made by the workflow as the store would.
    func created() throws -> TransitionOutcome {
        let draft = TaskDraft(queue: "q", title: "Review potassium for Jane Doe", kind: "lab-review", priority: .urgent,
                              subject: Reference("Patient/1001"), subjectDisplay: "Jane Doe", focus: Reference("DiagnosticReport/9"),
                              correlationKey: "DiagnosticReport/9", traceID: Self.trace)
        let sync = fixture.actors["sync"]!
        return try Workflow.create(draft, id: TaskID(12), by: sync, access: fixture.access(for: sync), at: fixture.created)
    }

    func apply(_ action: TaskAction, to task: WorkTask, by name: String) throws -> TransitionOutcome {
        let actor = fixture.actors[name]!
        return try Workflow.apply(action, to: task, by: actor, access: fixture.access(for: actor), at: fixture.later)
    }

    @Test func everyActionHasItsTypeAndAViewHasNone() {
        let expected: [ActionKind: String?] = [
            .create: "task.created", .claim: "task.assigned", .assign: "task.assigned", .release: "task.released",
            .start: "task.started", .pend: "task.pending", .resume: "task.resumed", .requestReview: "task.review.requested",
            .approve: "task.completed", .return: "task.review.returned", .complete: "task.completed",
            .raiseException: "task.exception.raised", .resolveException: "task.exception.resolved",
            .updateException: "task.exception.updated", .cancel: "task.cancelled", .escalate: "task.escalated",
            .move: "task.moved", .reprioritise: "task.reprioritised", .reopen: "task.reopened", .note: "task.noted", .view: nil,
        ]
        #expect(Set(expected.keys) == Set(ActionKind.allCases), "a new action needs its outbound type")
        for action in ActionKind.allCases {
            #expect(OutboundEventType.of(action) == expected[action]!, "\(action)")
        }
    }

    @Test func aUserIDThatIsNoFHIRIdIsReferencedByIdentifierAndAFreeTextKeyStaysHome() throws {
        var outcome = try created()
        outcome.audit.actor = "night_shift"
        outcome.task.correlationKey = "referral from Dr Jane Doe"
        let event = try #require(OutboundEvent.of(outcome.audit, kind: .create, task: outcome.task))
        #expect(event.data["actor"] == .string("Device?identifier=urn:handoff:user|night_shift"))
        #expect(event.correlationID == nil)
    }

    @Test func aCreatedTaskCarriesReferencesAndCodesButNoNamesTitlesOrReasons() throws {
        let outcome = try created()
        let event = try #require(OutboundEvent.of(outcome.audit, kind: .create, task: outcome.task))
        #expect(event.type == "task.created" && event.time == fixture.created)
        #expect(event.subject == "Patient/1001" && event.traceparent == Self.trace && event.correlationID == "DiagnosticReport/9")
        #expect(event.data == [
            "task": .string("T-12"), "version": .number(1), "action": .string("create"), "state": .string("queued"),
            "queue": .string("q"), "priority": .string("urgent"), "kind": .string("lab-review"), "subject": .string("Patient/1001"),
            "focus": .string("DiagnosticReport/9"), "actor": .string("Device/sync"),
        ])
        let line = event.cloudEvent(id: "e-1", source: "urn:hospital:handoff", sequence: 7).structuredJSON
        #expect(!line.contains("Jane") && !line.contains("potassium"), "\(line)")
    }

    @Test func aChangeNamesTheOwnerTheActorAndThePreviousState() throws {
        let claimed = try apply(.claim, to: try created().task, by: "cora")
        let event = try #require(OutboundEvent.of(claimed.audit, kind: .claim, task: claimed.task))
        #expect(event.type == "task.assigned")
        #expect(event.data["previousState"] == .string("queued") && event.data["state"] == .string("assigned"))
        #expect(event.data["owner"] == .string("Practitioner/cora") && event.data["actor"] == .string("Practitioner/cora"))
        #expect(event.data["version"] == .number(2))

        // Replacing the owner is audited as `reassign`: still an assignment.
        let nina = Assignee(name: "nina", roles: [.nurse], isMember: true, isSupervisor: false, isDisabled: false)
        let reassigned = try apply(.assign(to: nina, reason: "cora is off sick"), to: claimed.task, by: "sam")
        #expect(reassigned.audit.action == "reassign")
        let reassign = try #require(OutboundEvent.of(reassigned.audit, kind: .assign, task: reassigned.task))
        #expect(reassign.type == "task.assigned" && reassign.data["action"] == .string("reassign"))
        #expect(reassign.data["owner"] == .string("Practitioner/nina") && reassign.data["actor"] == .string("Practitioner/sam"))

        let cancelled = try apply(.cancel(reason: "Jane Doe moved to another hospital"), to: claimed.task, by: "sam")
        let cancel = try #require(OutboundEvent.of(cancelled.audit, kind: .cancel, task: cancelled.task))
        #expect(cancel.type == "task.cancelled")
        #expect(!cancel.cloudEvent(id: "e-2", source: "urn:x", sequence: 2).structuredJSON.contains("Jane"))
    }

    @Test func anExceptionResolvedAsFailedSaysSo() throws {
        let raised = try apply(.raiseException(ExceptionDetail(code: "missing_demographics")), to: try created().task, by: "sync")
        let raise = try #require(OutboundEvent.of(raised.audit, kind: .raiseException, task: raised.task))
        #expect(raise.type == "task.exception.raised" && raise.data["exception"] == .string("missing_demographics"))
        let resolved = try apply(.resolveException(.failed, note: "withdrawn"), to: raised.task, by: "cora")
        let resolve = try #require(OutboundEvent.of(resolved.audit, kind: .resolveException, task: resolved.task))
        #expect(resolve.type == "task.exception.resolved")
        #expect(resolve.data["outcome"] == .string("failed") && resolve.data["state"] == .string("cancelled"))
        #expect(resolve.data["exception"] == nil)
    }

    @Test func aViewIsNoEvent() throws {
        let task = try created().task
        let cora = fixture.actors["cora"]!
        let view = try Workflow.view(task, by: cora, access: fixture.access(for: cora), at: fixture.later)
        #expect(OutboundEvent.of(view, kind: .view, task: task) == nil)
    }

    @Test func aMalformedTraceIsLeftOut() throws {
        var outcome = try created()
        outcome.task.traceID = "not-a-traceparent"
        #expect(try #require(OutboundEvent.of(outcome.audit, kind: .create, task: outcome.task)).traceparent == nil)
    }

    @Test func theStructuredJSONIsACloudEventHandoffReadsBack() throws {
        let outcome = try created()
        let event = try #require(OutboundEvent.of(outcome.audit, kind: .create, task: outcome.task))
        let line = event.cloudEvent(id: "0b6c-1", source: "urn:hospital:handoff:north", sequence: 42).structuredJSON
        #expect(!line.contains("\n"))
        let decoded = try EventDecoder.decode(Data(line.utf8)).get()
        #expect(decoded.id == "0b6c-1" && decoded.source == "urn:hospital:handoff:north" && decoded.type == "task.created")
        #expect(decoded.time == fixture.created && decoded.subject == "Patient/1001" && decoded.partitionKey == "Patient/1001")
        #expect(decoded.traceparent == Self.trace && decoded.correlationID == "DiagnosticReport/9")
        #expect(decoded.dataSchema == "urn:handoff:event:task.created:v1" && decoded.dataContentType == "application/json")
        #expect(decoded.extensions == ["sequence": .string("00000000000000000042")])
        #expect(decoded.data == .object(event.data))
    }

    @Test func sequenceTextSortsAsNumbers() {
        let numbers: [Int64] = [1, 9, 10, 99, 100, 12_345_678_901]
        #expect(numbers.map(OutboundEvent.sequenceText).sorted() == numbers.map(OutboundEvent.sequenceText))
        #expect(OutboundEvent.sequenceText(42) == "00000000000000000042")
    }

    @Test(arguments: [
        JSONValue.object([:]),
        .object(["b": .number(2), "a": .array([.null, .bool(true), .bool(false), .number(-3), .number(1.5)])]),
        .object(["text": .string("quote \" backslash \\ slash / newline \n tab \t bell \u{07} escape \u{1B}[2J 王芳 👩‍⚕️")]),
        .object(["nested": .object(["z": .string("1"), "y": .object(["x": .number(1_700_000_000)])])]),
    ])
    func jsonTextMatchesJSONEncoderWithSortedKeys(_ value: JSONValue) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(JSONText.encode(value) == String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
