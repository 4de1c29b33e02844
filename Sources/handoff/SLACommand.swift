import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// `handoff sla`: the SLA policies this database measures against.
struct SLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Show or set the SLA policies (calendars, goals, thresholds) of this database.",
        subcommands: [SLAShow.self, SLASet.self], defaultSubcommand: SLAShow.self)
}

struct SLAShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the policies by queue.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let session = try Session.open(options)
        let policies = session.store.slaPolicies
        guard !policies.policies.isEmpty else {
            return print("No SLA policies: tasks have no due times. Set some with 'handoff sla set FILE' (see docs/SLA.md).")
        }
        var table = TextTable(headers: ["QUEUE", "PRIORITY", "WITHIN", "CALENDAR", "PAUSED IN", "THRESHOLDS"])
        for queue in policies.policies.keys.sorted() {
            let policy = policies.policies[queue]!
            for goal in policy.goals {
                let within = switch goal.target {
                case let .hours(hours): "\(hours.formatted()) h"
                case let .businessDays(days): "\(days.formatted()) business day\(days == 1 ? "" : "s")"
                }
                table.rows.append([queue == SLAPolicies.defaultKey ? "(other queues)" : queue, goal.priority?.rawValue ?? "any other",
                                   within, goal.calendar, policy.pausedStates.map(\.rawValue).sorted().joined(separator: ", "),
                                   policy.thresholds.map { "\($0.name) \(Int(($0.fraction * 100).rounded())) %" }.joined(separator: ", ")])
            }
        }
        print(table.render())
    }
}

struct SLASet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Check a policies file against this database and make it the one in force (admins; audited).",
        discussion: """
            Open tasks take the new policies at their next change (a task untouched since keeps its old due time);             running consoles and workers read the policies when they start: restart them.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("The policies file (format: docs/SLA.md).", valueName: "file")) var file: String

    func run() throws {
        let session = try Session.open(options)
        let policies = try SLASettings.set(file: file, in: session.store, by: session.actor, at: session.now)
        print("SLA policies from \(file) are in force: \(policies.policies.count) queue polic\(policies.policies.count == 1 ? "y" : "ies"), \(policies.calendars.count) calendars.")
    }
}
