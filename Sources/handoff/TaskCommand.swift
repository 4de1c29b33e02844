import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff task`: create, list and show tasks, and one subcommand per action.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Create, list, show and act on tasks.",
        subcommands: [
            Create.self, List.self, Show.self, NoteCommand.self,
            Claim.self, Assign.self, Reassign.self, Release.self, Start.self, Pend.self, Resume.self,
            RequestReview.self, Approve.self, Return.self, Complete.self, RaiseException.self,
            ResolveException.self, Cancel.self, Reprioritise.self, Reopen.self, Escalate.self, Move.self,
        ])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a task in a queue.")
        @OptionGroup var options: GlobalOptions
        @Option var queue: String
        @Option var title: String
        @Option var priority: Priority = .routine
        @Option(help: "What kind of work, e.g. lab-review.") var kind: String = "task"
        @Option(help: ArgumentHelp("The patient reference.", valueName: "Patient/ID")) var patient: Reference?
        @Option(help: ArgumentHelp("The resource the work is about.", valueName: "Type/ID")) var focus: Reference?

        func run() throws {
            let session = try Session.open(options)
            let draft = TaskDraft(queue: queue, title: title, kind: kind, priority: priority, subject: patient, focus: focus)
            let task = try session.store.write { try $0.createTask(draft, by: session.actor, at: session.now) }
            print("Created \(task.id) in \(task.queue) (\(task.state.rawValue)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open tasks in the queues you can see, most urgent first.")
        @OptionGroup var options: GlobalOptions
        @Option var queue: String?
        @Option(help: "Only tasks in this state (repeatable).") var state: [TaskState] = []
        @Option(help: ArgumentHelp("Only tasks owned by this user; 'me' for yourself.", valueName: "user|me")) var owner: String?
        @Option var priority: Priority?
        @Flag(help: "Include completed and cancelled tasks.") var all = false
        @Option(help: "At most this many tasks.") var limit = 500
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let session = try Session.open(options)
            let filter = TaskFilter(queue: queue, states: state.isEmpty ? nil : Set(state),
                                    owner: owner == "me" ? session.actor.name : owner,
                                    priority: priority, includeClosed: all, limit: limit)
            let tasks = try session.store.read { try $0.tasks(filter, visibleTo: session.actor) }
            switch format {
            case .table: print(TaskPresentation.table(tasks, now: session.now).render())
            case .json: print(try JSONOutput.render(tasks))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a task with its notes and history (recorded as an access).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The task, e.g. T-12.") var id: TaskID
        @Option(help: "table or json.") var format: OutputFormat = .table
        @Option(name: .customLong("break-glass"),
                help: ArgumentHelp("Open a task outside your queues in an emergency, with the reason (recorded in the audit, shown to supervisors).",
                                   valueName: "reason"))
        var breakGlass: String?

        func run() throws {
            let session = try Session.open(options)
            let detail = try session.store.write { try $0.openTask(id, by: session.actor, at: session.now, breakGlass: breakGlass) }
            switch format {
            case .table: print(TaskPresentation.detail(detail, now: session.now))
            case .json: print(try JSONOutput.render(JSONViews.detail(detail)))
            }
        }
    }
}

/// Options every action subcommand takes.
struct ActionOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The task, e.g. T-12.") var id: TaskID
    @Option(name: .customLong("expect-version"),
            help: "Refuse with a conflict if the task is no longer at this version (what you last saw).")
    var expectedVersion: Int?
    @Option(name: .customLong("break-glass"),
            help: ArgumentHelp("Act on a task outside your queues in an emergency, giving the reason (audited, shown to supervisors).",
                               valueName: "reason"))
    var breakGlass: String?

    init() {}

    /// Options for acting on task `id` (for commands that take the task in another way).
    init(global: GlobalOptions, id: TaskID, expectedVersion: Int?, breakGlass: String?) {
        self.global = global
        self.id = id
        self.expectedVersion = expectedVersion
        self.breakGlass = breakGlass
    }

    /// Applies the action `make` builds and reports the move.
    func perform(_ make: (Session, StoreSession) throws -> WorkTask) throws {
        let session = try Session.open(global)
        let (before, after) = try session.store.write { db in
            let before = try db.task(id)
            return (before, try make(session, db))
        }
        let move = before.state == after.state ? after.state.rawValue : "\(before.state.rawValue) → \(after.state.rawValue)"
        let queue = before.queue == after.queue ? "" : ", queue \(before.queue) → \(after.queue)"
        print("\(after.id): \(move)\(queue)\(after.owner.map { ", owner \($0)" } ?? ""), version \(after.version).")
    }

    /// Assigns or reassigns the task to `user`.
    func assign(to user: String, reason: String?) throws {
        try perform { session, db in
            try db.assign(id, to: user, reason: reason, expectedVersion: expectedVersion, by: session.actor, at: session.now,
                          breakGlass: breakGlass)
        }
    }

    /// Applies `action` as the acting user.
    func perform(_ action: TaskAction) throws {
        try perform { session, db in
            try db.perform(action, on: id, expectedVersion: expectedVersion, by: session.actor, at: session.now, breakGlass: breakGlass)
        }
    }
}

extension TaskID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Reference: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension TaskState: ExpressibleByArgument {}
extension Priority: ExpressibleByArgument {}
extension ExceptionOutcome: ExpressibleByArgument {}
