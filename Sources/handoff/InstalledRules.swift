import ArgumentParser
import Foundation
import HandoffApp

/// A command an installed (set-group-id) `handoff` refuses: it makes or fills databases of its own choosing.
protocol DevelopmentOnly {}

extension Demo: DevelopmentOnly {}
extension Init: DevelopmentOnly {}
extension Seed: DevelopmentOnly {}
extension Bench.Generate: DevelopmentOnly {}
extension BenchConsole: DevelopmentOnly {}
extension BenchIngest: DevelopmentOnly {}
extension BenchDashboard: DevelopmentOnly {}
extension BenchContention: DevelopmentOnly {}
extension BenchContention.Writer: DevelopmentOnly {}
extension Install: DevelopmentOnly {}

/// What an installed `handoff` allows on its command line: the database only from its configuration,
/// nobody acting as someone else.
enum InstalledRules {
    /// Whether this process runs installed set-group-id.
    static var isInstalled: Bool {
        if case .success(.installed) = RunMode.current { return true }
        return false
    }

    /// Refuses to run when installed but misconfigured, and `command` when installed and development-only.
    static func check(_ command: any ParsableCommand) throws {
        let mode = try RunMode.current.get()
        guard case let .installed(_, file) = mode else { return }
        if command is DevelopmentOnly {
            let name = type(of: command).configuration.commandName ?? String(describing: type(of: command)).lowercased()
            throw CommandFailure("'\(name)' is not available in an installed handoff (its database is set in \(file)); "
                + "run it from a development build")
        }
    }

    /// The database `named` with `--db`, or the default one; installed, only the configuration's.
    static func databasePath(_ named: String?) throws -> String {
        if let named, case let .success(.installed(_, file)) = RunMode.current {
            throw CommandFailure("--db \(named): an installed handoff uses only the database set in \(file)")
        }
        return named ?? Locations.current.defaultDatabase
    }

    /// Refuses `option` (given as `value`) when installed: its setting is the configuration's.
    static func refuseInstalled(_ option: String, _ value: String?) throws {
        if let value, case let .success(.installed(_, file)) = RunMode.current {
            throw CommandFailure("\(option) \(value): an installed handoff takes this only from \(file)")
        }
    }

    /// Refuses `--as` when installed, even on a demo database: there, everyone is who the system says.
    static func checkActingAs(_ other: String?) throws {
        if other != nil, isInstalled {
            throw CommandFailure("--as is refused by an installed handoff: you act as yourself, identified by your user id")
        }
    }
}
