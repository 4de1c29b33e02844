import ArgumentParser
import HandoffApp
import HandoffCore

/// `handoff` without a subcommand: the queues and your own work (the console replaces this).
struct Overview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overview", abstract: "Print your queues and your work (for scripts and plain terminals).")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let session = try Session.open(options)
        try Overview.show(session)
    }

    static func show(_ session: Session) throws {
        let (queues, mine) = try session.store.read { db in
            (try db.queues(visibleTo: session.actor),
             try db.tasks(.init(owner: session.actor.name, limit: 20), visibleTo: session.actor))
        }
        print("Handoff — \(session.store.path) — you are \(session.actor.name) (\(Role.format(session.actor.roles)))\n")
        print(TaskPresentation.queues(queues).render())
        if !mine.isEmpty {
            print("\nYour work")
            print(TaskPresentation.table(mine, now: session.now).render())
        }
        print("\nNext: handoff task list --queue QUEUE, handoff task show T-1, handoff --help")
    }
}
