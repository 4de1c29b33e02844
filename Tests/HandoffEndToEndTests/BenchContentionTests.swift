import Foundation
import HandoffTestSupport
import Testing

/// `handoff bench contention`: writer processes of the built binary on shared tasks, with every attempt
/// accounted for and every successful one in the audit. Tiny sizes; timings are never asserted.
@Suite(.serialized)
struct BenchContentionTests {
    let directory = TemporaryDirectory("handoff-bench-contention")

    /// The rows the table names, in order.
    static let rows = [
        "cores", "processes × actions", "successful actions", "  by action", "conflicts", "refused by the rules", "other errors",
        "wall time", "actions/s", "single-writer commits/s", "actions/s ÷ commits/s", "latency p50", "latency p99",
        "conflict latency p50 / p99", "audit records added", "task versions advanced", "audit chain", "lost",
    ]

    /// The whole number that starts the figure of the table's row `label`.
    func figure(_ label: String, in table: String) -> Int? {
        let line = table.split(separator: "\n").first { $0.hasPrefix(label + "  ") }
        let figure = line?.dropFirst(label.count).drop { $0 == " " }.prefix { $0.isNumber || $0 == "," }
        return figure.flatMap { Int($0.filter(\.isNumber)) }
    }

    @Test func threeWritersAccountForEveryAttemptAndLoseNothing() throws {
        let database = directory.file("contention.db")
        let result = try expectSuccess(CommandRun.handoff([
            "bench", "contention", "--db", database, "--processes", "3", "--actions", "20", "--tasks", "5", "--commits", "20",
        ]))
        let table = result.stdout
        for row in Self.rows {
            #expect(table.split(separator: "\n").contains { $0.hasPrefix(row + "  ") }, "no row '\(row)' in\n\(table)")
        }
        let succeeded = try #require(figure("successful actions", in: table))
        let conflicts = try #require(figure("conflicts", in: table))
        let refused = try #require(figure("refused by the rules", in: table))
        #expect(succeeded + conflicts + refused == 3 * 20, "\(table)")
        #expect(figure("other errors", in: table) == 0)
        #expect(figure("audit records added", in: table) == succeeded)
        #expect(figure("task versions advanced", in: table) == succeeded)
        #expect(table.contains("zero lost"))
        #expect(!FileManager.default.fileExists(atPath: database + "-commit-rate"), "the scratch file is removed")
    }

    @Test func anExistingFileIsRefusedUnlessForced() throws {
        let database = directory.file("taken.db")
        #expect(FileManager.default.createFile(atPath: database, contents: Data("mine".utf8)))
        let refused = try CommandRun.handoff(["bench", "contention", "--db", database, "--processes", "1", "--actions", "1", "--tasks", "1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: database, encoding: .utf8) == "mine")
        try expectSuccess(CommandRun.handoff([
            "bench", "contention", "--db", database, "--processes", "1", "--actions", "1", "--tasks", "1", "--commits", "1", "--force",
        ]))
    }
}
