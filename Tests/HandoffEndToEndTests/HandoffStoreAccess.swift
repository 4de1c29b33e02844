import Foundation
import HandoffTestSupport

/// Reads a database the way an auditor would: through the `sqlite3` command-line tool.
struct HandoffStoreAccess {
    let path: String

    private func query(_ sql: String) throws -> String {
        let result = try CommandRun.run("/usr/bin/sqlite3", ["-readonly", path, sql])
        guard result.status == 0 else { throw UnexpectedResult(description: result.description) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func auditCount(actions: [String]) throws -> Int {
        Int(try query("SELECT count(*) FROM audit WHERE action IN (\(actions.map { "'\($0)'" }.joined(separator: ",")))")) ?? -1
    }

    func completedCount() throws -> Int {
        Int(try query("SELECT count(*) FROM task WHERE state = 'completed'")) ?? -1
    }

    func userCount() throws -> Int {
        Int(try query("SELECT count(*) FROM user")) ?? -1
    }

    func integrityCheck() throws -> String {
        try query("PRAGMA integrity_check")
    }
}
