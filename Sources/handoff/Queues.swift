import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore

/// `handoff queues`: queues and who works and supervises them.
struct Queues: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add and list queues; manage members and supervisors (admins).",
        subcommands: [Add.self, List.self, Members.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a queue.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The queue's short name, e.g. lab-results.") var name: String
        @Option(help: "The queue's title, e.g. \"Lab results review\".") var title: String
        @Flag(help: "Work in this queue must be approved by a clinical reviewer.") var review = false

        func run() throws {
            try Session.open(options).apply(.addQueue(name: name, title: title, requiresReview: review))
            print("Added queue \(name)\(review ? " (requires review)" : "").")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the queues you belong to or oversee, with open work by state.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let session = try Session.open(options)
            let queues = try session.store.read { try $0.queues(visibleTo: session.actor) }
            switch format {
            case .table: print(TaskPresentation.queues(queues).render())
            case .json: print(try JSONOutput.render(queues.map(JSONViews.queue)))
            }
        }
    }

    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change a queue's members and supervisors.",
            discussion: "Without options, lists them. Options may be repeated.")
        @OptionGroup var options: GlobalOptions
        @Argument var queue: String
        @Option(help: "Add a member.") var add: [String] = []
        @Option(help: "Remove a member.") var remove: [String] = []
        @Option(name: .customLong("add-supervisor"), help: "Add a supervisor.") var addSupervisor: [String] = []
        @Option(name: .customLong("remove-supervisor"), help: "Remove a supervisor.") var removeSupervisor: [String] = []
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let session = try Session.open(options)
            let changes: [DirectoryChange] = add.map { .addMember(queue: queue, user: $0) }
                + remove.map { .removeMember(queue: queue, user: $0) }
                + addSupervisor.map { .addSupervisor(queue: queue, user: $0) }
                + removeSupervisor.map { .removeSupervisor(queue: queue, user: $0) }
            let info = try session.store.write { db in
                for change in changes { try db.apply(change, by: session.actor, at: session.now) }
                return try db.queues().first { $0.name == queue }
            }
            guard let info else { throw CommandFailure("unknown queue '\(queue)': 'handoff queues list' shows the queues") }
            switch format {
            case .table:
                print(TextTable(headers: ["USER", "RELATION"],
                                rows: info.members.map { [$0, "member"] } + info.supervisors.map { [$0, "supervisor"] }).render())
            case .json:
                print(try JSONOutput.render(JSONViews.queue(info)))
            }
        }
    }
}
