import Foundation
import HandoffTestSupport

/// A database directory shared by real OS users through one group, initialised by an OS admin.
final class SharedDatabase: @unchecked Sendable {
    let users: OSUsers
    let directory = TemporaryDirectory("handoff-e2e")
    let admin: String
    var path: String { directory.file("handoff.db") }

    init() throws {
        users = try OSUsers()
        admin = try users.add("adm")
        try users.share(directory.path)
        // New files inherit the directory's group.
        try CommandRun.run("/bin/chmod", ["2770", directory.path])
        try expectSuccess(run(["init", "--db", path], as: admin))
    }

    /// Runs the built binary as OS user `user` with `--db` pointing here where the command takes it.
    @discardableResult
    func run(_ arguments: [String], as user: String) throws -> CommandResult {
        try CommandRun.handoff(arguments, as: user)
    }

    /// Adds an OS user (with a home under `homeUnder`, and in `groups` too, if given) and the matching
    /// Handoff user with `roles`.
    func addUser(_ suffix: String, roles: String, homeUnder: String? = nil, groups: [String] = []) throws -> String {
        let name = try users.add(suffix, homeUnder: homeUnder, groups: groups)
        try expectSuccess(run(["users", "add", name, "--name", "Test \(suffix)", "--roles", roles, "--db", path], as: admin))
        return name
    }
}

struct UnexpectedResult: Error, CustomStringConvertible {
    let description: String
}

/// Throws with the command's output unless it exited 0.
@discardableResult
func expectSuccess(_ result: CommandResult) throws -> CommandResult {
    guard result.status == 0 else { throw UnexpectedResult(description: result.description) }
    return result
}
