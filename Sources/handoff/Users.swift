import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore

/// `handoff users`: the people who may use Handoff. Users are disabled, never deleted.
struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list, change and disable users (admins).",
        subcommands: [Add.self, List.self, SetRoles.self, Disable.self, Enable.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user: their operating-system login name, full name and roles.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The operating-system login name.") var name: String
        @Option(name: .customLong("name"), help: "The full display name.") var displayName: String
        @Option(help: "Comma-separated roles: coordinator, nurse, supervisor, admin, service.") var roles: String

        func run() throws {
            let roles = try Role.parseList(self.roles)
            try Session.open(options).apply(.addUser(name: name, displayName: displayName, roles: roles))
            print("Added \(name) (\(Role.format(roles))).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let session = try Session.open(options)
            let users = try session.store.read { try $0.users() }
            switch format {
            case .table: print(TaskPresentation.users(users).render())
            case .json: print(try JSONOutput.render(users.map(JSONViews.user)))
            }
        }
    }

    struct SetRoles: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-roles", abstract: "Replace a user's roles.")
        @OptionGroup var options: GlobalOptions
        @Argument var name: String
        @Option(help: "Comma-separated roles.") var roles: String

        func run() throws {
            let roles = try Role.parseList(self.roles)
            try Session.open(options).apply(.setRoles(user: name, roles: roles))
            print("\(name) now has roles \(Role.format(roles)).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user; their history keeps their name.")
        @OptionGroup var options: GlobalOptions
        @Argument var name: String

        func run() throws {
            try Session.open(options).apply(.disableUser(name))
            print("Disabled \(name).")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-enable a disabled user.")
        @OptionGroup var options: GlobalOptions
        @Argument var name: String

        func run() throws {
            try Session.open(options).apply(.enableUser(name))
            print("Enabled \(name).")
        }
    }
}
