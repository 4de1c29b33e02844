import Foundation
import HandoffTestSupport

/// A state directory of its own holding a demo database, driven through the built binary and read
/// with the `sqlite3` tool, for command-line tests that need no OS users (they act with `--as`).
struct DemoStateDirectory {
    let state: TemporaryDirectory

    init(_ name: String) {
        state = TemporaryDirectory(name)
    }

    var environment: [String: String] { ["XDG_STATE_HOME": state.path, "HOME": state.path] }
    var demo: String { state.file("handoff/demo.db") }

    /// Runs `handoff` with this directory as its state and home.
    func handoff(_ arguments: [String]) throws -> CommandResult {
        try CommandRun.handoff(arguments, environment: environment)
    }

    /// One query's output from the demo database, opened read-only.
    func sqlite(_ sql: String) throws -> String {
        try sqlite(sql, in: demo)
    }

    /// One query's output from a database file, opened read-only; waits for writers like every Handoff
    /// connection does (the `sqlite3` tool alone would give up at once with "database is locked").
    func sqlite(_ sql: String, in file: String) throws -> String {
        try expectSuccess(CommandRun.run("/usr/bin/sqlite3", ["-readonly", "-cmd", ".timeout 10000", file, sql])).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
