import ArgumentParser

/// The root command.
struct Handoff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff",
        abstract: "The workflow layer for hospital care teams: queues, tasks, exceptions and audit, at a terminal.",
        discussion: """
            Without a subcommand, opens the console on the default database \
            ($HANDOFF_DB, else ~/.local/share/handoff/handoff.db).
            Exit codes: 0 ok, 1 refused or failed, 2 usage.
            """,
        subcommands: [
            ConsoleCommand.self, Overview.self, Demo.self, Init.self, Seed.self, Users.self, Queues.self, TaskCommand.self, Sync.self, RoutesCommand.self, SLACommand.self, Dashboard.self, AuditCommand.self, Backup.self, DoctorCommand.self, Install.self, Trace.self, DeadLetters.self, ExportCommand.self, Outbound.self, Bench.self, SSHCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
}
