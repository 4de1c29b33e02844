import Foundation
import HandoffTestSupport

/// `handoff` installed set-group-id into a temporary prefix (`handoff install`, as root), with a system group
/// of this run's own and real OS users who reach the database only through the installed binary.
final class InstalledHandoff: @unchecked Sendable {
    let users: OSUsers
    let directory = TemporaryDirectory("handoff-installed")
    /// The system group the binary runs as; nobody is a member.
    let group: String
    /// The OS user `install --admin` made the first admin.
    let admin: String
    /// What `handoff install` printed.
    let installOutput: String
    var prefix: String { directory.file("prefix") }
    var binary: String { prefix + "/bin/handoff" }
    var database: String { prefix + "/var/lib/handoff/handoff.db" }

    init() throws {
        users = try OSUsers()
        group = users.prefix + "hf"
        admin = try users.add("adm")
        installOutput = try expectSuccess(CommandRun.handoff(["install", "--prefix", directory.file("prefix"), "--group", group,
                                                              "--admin", admin])).stdout
    }

    deinit { _ = try? CommandRun.run("/usr/sbin/groupdel", [group]) }

    /// A home directory of `user`'s own (for files they name and write).
    func home(_ user: String) throws -> String {
        let path = directory.file("home-" + user)
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try expectSuccess(CommandRun.run("/bin/chown", [user, path]))
        }
        return path
    }

    /// Runs `executable` (by default the installed `handoff`) as `user`, with a home of their own and
    /// `environment` on top.
    @discardableResult
    func run(_ arguments: [String], as user: String, executable: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        let base = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": try home(user)]
        return try CommandRun.run("/usr/sbin/runuser", ["-u", user, "--", executable ?? binary] + arguments,
                                  environment: base.merging(environment) { $1 })
    }

    /// Adds an OS user and, through the installed binary as the admin, the Handoff user with `roles`.
    func addUser(_ suffix: String, roles: String, homeUnder: String? = nil, groups: [String] = []) throws -> String {
        let name = try users.add(suffix, homeUnder: homeUnder, groups: groups)
        try expectSuccess(run(["users", "add", name, "--name", "Test \(suffix)", "--roles", roles], as: admin))
        return name
    }
}
