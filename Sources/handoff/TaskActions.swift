import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore

// One subcommand per task action; the rules live in the core, these only parse.

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to a task.")
    @OptionGroup var action: ActionOptions
    @Argument(help: "The note.") var text: String
    func run() throws { try action.perform(.note(text)) }
}

struct Claim: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Take a queued task for yourself.")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.claim) }
}

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Give a task to a member or supervisor of its queue (supervisors, admins).")
    @OptionGroup var action: ActionOptions
    @Option(help: "The user to give it to.") var to: String
    @Option(help: "Why.") var reason: String?
    func run() throws { try action.assign(to: to, reason: reason) }
}

struct Reassign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give a task to another member or supervisor of its queue, with a reason; or, with --from, all of someone's open work.",
        discussion: """
            handoff task reassign T-12 --to marco --reason "cora is off sick"
            handoff task reassign --from cora --to marco [--queue lab-results] --reason "cora is off sick"
            Bulk reassignment is one transaction with one audit record per task: if the rules refuse any task \
            (e.g. marco is not a member of its queue), nothing changes and the refusal names the task; narrow with --queue.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The task, e.g. T-12 (or --from USER for all of their open work).") var id: TaskID?
    @Option(name: .customLong("expect-version"),
            help: "Refuse with a conflict if the task is no longer at this version (what you last saw).")
    var expectedVersion: Int?
    @Option(help: ArgumentHelp("Reassign every open task this user owns.", valueName: "user")) var from: String?
    @Option(help: ArgumentHelp("With --from: only the tasks of this queue.", valueName: "queue")) var queue: String?
    @Option(help: "The user to give it to.") var to: String
    @Option(help: "Why (recorded in the audit).") var reason: String
    @Option(name: .customLong("break-glass"),
            help: ArgumentHelp("With a single task outside your queues: the emergency reason (audited, shown to supervisors).",
                               valueName: "reason"))
    var breakGlass: String?

    func validate() throws {
        switch (id, from) {
        case (nil, nil): throw ValidationError("name a task (T-12) or --from USER")
        case (.some, .some): throw ValidationError("give either a task or --from USER, not both")
        case (.some, nil) where queue != nil: throw ValidationError("--queue goes with --from")
        case (nil, .some) where expectedVersion != nil: throw ValidationError("--expect-version goes with a single task")
        case (nil, .some) where breakGlass != nil: throw ValidationError("--break-glass goes with a single task")
        default: break
        }
    }

    func run() throws {
        if let id {
            return try ActionOptions(global: global, id: id, expectedVersion: expectedVersion, breakGlass: breakGlass).assign(to: to, reason: reason)
        }
        guard let from else { return }
        let session = try Session.open(global)
        let moved = try session.store.write { db in
            try db.reassignAll(from: from, to: to, queue: queue, reason: reason, by: session.actor, at: session.now)
        }
        guard !moved.isEmpty else {
            throw CommandFailure("\(from) owns no open task\(queue.map { " in \($0)" } ?? ""): nothing to reassign")
        }
        print("Reassigned \(moved.count) task\(moved.count == 1 ? "" : "s") from \(from) to \(to): "
            + moved.map(\.id.description).joined(separator: ", "))
    }
}

struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Give a task back to its queue.")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.release) }
}

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Begin working a task you own.")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.start) }
}

struct Pend: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Wait for external data (authorization, a late result).")
    @OptionGroup var action: ActionOptions
    @Option(help: "What the task waits for.") var reason: String
    @Option(name: .customLong("expected-by"),
            help: ArgumentHelp("When the data is expected: an RFC 3339 time or a duration from now such as 2d or 4h.", valueName: "time"))
    var expectedBy: String?

    func run() throws {
        var expected: Date?
        if let expectedBy {
            if let time = Timestamp.parse(expectedBy) {
                expected = time
            } else if let seconds = DurationText.seconds(expectedBy) {
                expected = Date().addingTimeInterval(seconds)
            } else {
                throw ValidationError("--expected-by: '\(expectedBy)' is neither a time like 2026-12-01T09:00:00Z nor a duration like 2d or 4h")
            }
        }
        try action.perform(.pend(reason: reason, expectedBy: expected))
    }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "External data arrived: back to work.")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.resume) }
}

struct RequestReview: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "request-review", abstract: "Ask for clinical sign-off.")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.requestReview) }
}

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign off work under review (a nurse other than the owner).")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.approve) }
}

struct Return: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send work under review back, with a note.")
    @OptionGroup var action: ActionOptions
    @Option(help: "What needs doing.") var note: String
    @Flag(name: .customLong("to-queue"), help: "Back to the queue instead of to its owner.") var toQueue = false
    func run() throws { try action.perform(.returnFromReview(note: note, toQueue: toQueue)) }
}

struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Finish a task (queues without review).")
    @OptionGroup var action: ActionOptions
    func run() throws { try action.perform(.complete) }
}

struct RaiseException: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "raise-exception", abstract: "The task cannot proceed normally.")
    @OptionGroup var action: ActionOptions
    @Option(help: "A reason code, e.g. missing_demographics.") var code: String
    @Option(help: ArgumentHelp("Structured context (repeatable).", valueName: "key=value")) var context: [String] = []

    func run() throws {
        var fields: [String: String] = [:]
        for pair in context {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--context: '\(pair)' is not key=value")
            }
            fields[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        try action.perform(.raiseException(ExceptionDetail(code: code, context: fields)))
    }
}

struct ResolveException: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve-exception", abstract: "Close an exception: requeue, completed or failed.")
    @OptionGroup var action: ActionOptions
    @Option(help: "requeue, completed or failed.") var outcome: ExceptionOutcome
    @Option(help: "What was done.") var note: String
    func run() throws { try action.perform(.resolveException(outcome, note: note)) }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The work is no longer needed.")
    @OptionGroup var action: ActionOptions
    @Option(help: "Why.") var reason: String
    func run() throws { try action.perform(.cancel(reason: reason)) }
}

struct Reprioritise: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change a task's priority.")
    @OptionGroup var action: ActionOptions
    @Option(help: "routine, urgent, asap or stat.") var priority: Priority
    func run() throws { try action.perform(.reprioritise(priority)) }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen completed work (a new SLA cycle).")
    @OptionGroup var action: ActionOptions
    @Option(help: "Why.") var reason: String
    func run() throws { try action.perform(.reopen(reason: reason)) }
}

struct Escalate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Flag a task as escalated, optionally raising its priority.")
    @OptionGroup var action: ActionOptions
    @Option(help: "Why.") var reason: String
    @Option(help: "The new, higher priority.") var priority: Priority?
    func run() throws { try action.perform(.escalate(reason: reason, priority: priority)) }
}

struct Move: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a task to another queue; its state and owner stay, and that queue's SLA starts a new cycle.")
    @OptionGroup var action: ActionOptions
    @Option(help: ArgumentHelp("The queue to move it to, e.g. escalations.", valueName: "queue")) var to: String
    @Option(help: "Why (recorded in the audit).") var reason: String
    func run() throws { try action.perform(.move(toQueue: to, reason: reason)) }
}
