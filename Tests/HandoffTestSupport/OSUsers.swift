import Foundation

/// Real operating-system users and groups for end-to-end tests (needs root; CI runs as root).
public final class OSUsers: @unchecked Sendable {
    /// Whether this process can create users.
    public static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd") }

    /// Whether CI demands that every test runs (no skipping).
    public static var requiredByCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A unique prefix for this run's user names, e.g. `ho4821a`.
    public let prefix: String
    /// The shared group every created user belongs to, so they can all reach one database file.
    public let group: String
    private var created: [String] = []
    private var createdGroups: [String] = []

    public init() throws {
        prefix = "ho" + String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6))
        group = prefix + "grp"
        try Self.check(CommandRun.run("/usr/sbin/groupadd", [group]))
    }

    /// Creates `<prefix><suffix>` in the shared group (and in `groups` besides) and returns its name.
    ///
    /// With `homeUnder`, the user gets a home `homeUnder/<name>` of their own, as an SSH login needs. The
    /// password field is `*` (no password matches) rather than useradd's `!`, which sshd reads as a locked
    /// account and refuses even a key for.
    @discardableResult
    public func add(_ suffix: String, homeUnder parent: String? = nil, groups: [String] = []) throws -> String {
        let name = prefix + suffix
        let home = parent.map { ["-m", "-d", $0 + "/" + name] } ?? ["-M"]
        let more = groups.isEmpty ? [] : ["-G", groups.joined(separator: ",")]
        try Self.check(CommandRun.run("/usr/sbin/useradd", home + more + [
            "-N", "-g", group, "-p", "*", "-s", "/bin/sh", "-c", "Test \(suffix)", name,
        ]))
        created.append(name)
        return name
    }

    /// Creates the group `<prefix><suffix>` (removed with the users) and returns its name.
    public func addGroup(_ suffix: String) throws -> String {
        let name = prefix + suffix
        try Self.check(CommandRun.run("/usr/sbin/groupadd", [name]))
        createdGroups.append(name)
        return name
    }

    /// Makes `path` (and, later, its -wal/-shm companions) readable and writable by the shared group.
    public func share(_ path: String) throws {
        try Self.check(CommandRun.run("/bin/chgrp", [group, path]))
        try Self.check(CommandRun.run("/bin/chmod", ["0770", path]))
    }

    deinit {
        for name in created { _ = try? CommandRun.run("/usr/sbin/userdel", [name]) }
        for name in createdGroups { _ = try? CommandRun.run("/usr/sbin/groupdel", [name]) }
        _ = try? CommandRun.run("/usr/sbin/groupdel", [group])
    }

    private static func check(_ result: CommandResult) throws {
        guard result.status == 0 else { throw OSUsersError(description: result.description) }
    }
}

struct OSUsersError: Error, CustomStringConvertible {
    let description: String
}
