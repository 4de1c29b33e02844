import Foundation
import HandoffCore

/// The short forms and confirmations that collect an action's input.
enum ActionForms {
    /// The form for `action` on `tasks`, or `nil` when the action needs no input and can be undone.
    static func form(for action: ActionKind, tasks: [WorkTask], members: [String], now: Date = Date()) -> Form? {
        let what = tasks.count == 1 ? tasks[0].id.description : "\(tasks.count) tasks"
        let ids = tasks.map(\.id)
        switch action {
        case .claim, .start, .resume, .requestReview, .release, .create, .view, .updateException, .move:
            return nil
        case .note:
            return Form(title: "Note on \(what)", fields: [.init(label: "note", kind: .text(required: true))]) {
                .success(.action(.note($0[0]), ids))
            }
        case .pend:
            return Form(title: "Pend \(what)", fields: [
                .init(label: "waiting for", kind: .text(required: true)),
                .init(label: "expected by (e.g. 2d, 4h, 2026-12-01T09:00:00Z; blank if unknown)", kind: .text(required: false)),
            ]) { answers in
                expectedBy(answers[1], now: now).map { .action(.pend(reason: answers[0], expectedBy: $0), ids) }
            }
        case .approve, .complete:
            let verb = action == .approve ? "Approve" : "Complete"
            return Form(title: "\(verb) \(what)", fields: [.init(label: "this cannot be undone", kind: .confirm)]) { _ in
                .success(.action(action == .approve ? .approve : .complete, ids))
            }
        case .return:
            return Form(title: "Return \(what)", fields: [
                .init(label: "what needs doing", kind: .text(required: true)),
                .init(label: "to", kind: .choice([("o", "owner", "its owner"), ("q", "queue", "the queue")])),
            ]) { .success(.action(.returnFromReview(note: $0[0], toQueue: $0[1] == "queue"), ids)) }
        case .raiseException:
            return Form(title: "Raise exception on \(what)", fields: [
                .init(label: "reason code (e.g. data_invalid)", kind: .text(required: true)),
                .init(label: "what is wrong", kind: .text(required: false)),
            ]) { answers in
                let context = answers[1].isEmpty ? [:] : ["detail": answers[1]]
                return .success(.action(.raiseException(ExceptionDetail(code: answers[0], context: context)), ids))
            }
        case .resolveException:
            return Form(title: "Resolve \(what)", fields: [
                .init(label: "outcome", kind: .choice([("r", "requeue", "back to queue"), ("c", "completed", "completed"), ("f", "failed", "failed")])),
                .init(label: "what was done", kind: .text(required: true)),
            ]) { answers in
                .success(.action(.resolveException(ExceptionOutcome(rawValue: answers[0]) ?? .requeue, note: answers[1]), ids))
            }
        case .cancel:
            return Form(title: "Cancel \(what)", fields: [
                .init(label: "why", kind: .text(required: true)),
                .init(label: "this cannot be undone", kind: .confirm),
            ]) { .success(.action(.cancel(reason: $0[0]), ids)) }
        case .assign:
            return Form(title: "Reassign \(what)", fields: [
                .init(label: "to (Tab completes)", kind: .text(required: true), completions: members),
                .init(label: "reason", kind: .text(required: false)),
            ]) { .success(.assign(to: $0[0], reason: $0[1].isEmpty ? nil : $0[1], ids)) }
        case .reprioritise:
            return Form(title: "Priority of \(what)", fields: [
                .init(label: "new priority", kind: .choice([("r", "routine", "routine"), ("u", "urgent", "urgent"),
                                                            ("a", "asap", "asap"), ("s", "stat", "stat")])),
            ]) { .success(.action(.reprioritise(Priority(rawValue: $0[0]) ?? .routine), ids)) }
        case .escalate:
            return Form(title: "Escalate \(what)", fields: [.init(label: "why", kind: .text(required: true))]) {
                .success(.action(.escalate(reason: $0[0], priority: nil), ids))
            }
        case .reopen:
            return Form(title: "Reopen \(what)", fields: [.init(label: "why", kind: .text(required: true))]) {
                .success(.action(.reopen(reason: $0[0]), ids))
            }
        }
    }

    /// The form for `:assign USER`: only the reason is asked.
    static func assignReason(user: String, tasks: [WorkTask]) -> Form {
        let what = tasks.count == 1 ? tasks[0].id.description : "\(tasks.count) tasks"
        return Form(title: "Reassign \(what) to \(user)", fields: [.init(label: "reason", kind: .text(required: false))]) {
            .success(.assign(to: user, reason: $0[0].isEmpty ? nil : $0[0], tasks.map(\.id)))
        }
    }

    /// A well-formed instance of `action`: the action itself for those that need no input, and for
    /// the others a stand-in to ask the rules whether, and why not.
    static func representative(_ action: ActionKind) -> TaskAction {
        switch action {
        case .claim, .create, .view: .claim
        case .start: .start
        case .resume: .resume
        case .requestReview: .requestReview
        case .release: .release
        case .note: .note("note")
        case .pend: .pend(reason: "waiting", expectedBy: nil)
        case .approve: .approve
        case .complete: .complete
        case .return: .returnFromReview(note: "note", toQueue: false)
        case .raiseException: .raiseException(ExceptionDetail(code: "data_invalid"))
        case .resolveException: .resolveException(.requeue, note: "note")
        case .updateException: .updateException(context: [:])
        case .move: .move(toQueue: "", reason: "reason")
        case .cancel: .cancel(reason: "reason")
        case .assign: .assign(to: Assignee(name: "", roles: [.coordinator], isMember: true), reason: nil)
        case .reprioritise: .reprioritise(.stat)
        case .escalate: .escalate(reason: "reason", priority: nil)
        case .reopen: .reopen(reason: "reason")
        }
    }

    /// Parses an expected-by answer: blank (unknown), a duration from now, or an RFC 3339 time.
    static func expectedBy(_ text: String, now: Date) -> Result<Date?, FormError> {
        if text.isEmpty { return .success(nil) }
        if let seconds = DurationText.seconds(text) { return .success(now.addingTimeInterval(seconds)) }
        if let time = Timestamp.parse(text) { return .success(time) }
        return .failure(FormError(message: "'\(text)' is neither a duration like 2d nor a time like 2026-12-01T09:00:00Z"))
    }
}
