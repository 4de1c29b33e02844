import Foundation
import HandoffTestSupport
import Testing

/// Many processes of the built binary on one database file at once.
@Suite(.serialized, .enabled(if: OSUsers.available || OSUsers.requiredByCI, "needs root to create OS users"))
struct ContentionTests {
    @Test func eightProcessesClaimAndMoveTheSameTasksWithoutLosingAnything() throws {
        let shared = try SharedDatabase()
        let db = shared.path
        let taskCount = 12
        try expectSuccess(shared.run(["queues", "add", "work", "--title", "Shared work", "--db", db], as: shared.admin))
        var workers: [String] = []
        for index in 0..<8 {
            let name = try shared.addUser("w\(index)", roles: "coordinator")
            try expectSuccess(shared.run(["queues", "members", "work", "--add", name, "--db", db], as: shared.admin))
            workers.append(name)
        }
        let creator = workers[0]
        for number in 1...taskCount {
            try expectSuccess(shared.run(["task", "create", "--queue", "work", "--title", "Task \(number)", "--db", db], as: creator))
        }

        // Each worker tries to claim every task (in its own order) and moves the ones it wins.
        let script = """
            for n in $ORDER; do
              if "$BIN" task claim T-$n --db "$DB" >/dev/null 2>>"$ERR"; then echo "claim T-$n"
                for step in start "pend --reason awaiting-data" resume complete; do
                  if "$BIN" task $step T-$n --db "$DB" >/dev/null 2>>"$ERR"; then echo "${step%% *} T-$n"; else break; fi
                done
              fi
            done
            """
        let group = DispatchGroup()
        let results = ResultBox(count: workers.count)
        for (index, worker) in workers.enumerated() {
            let order = (0..<taskCount).map { (($0 + index * 5) % taskCount) + 1 }.map(String.init).joined(separator: " ")
            let errors = shared.directory.file("err-\(index)")
            #expect(FileManager.default.createFile(atPath: errors, contents: nil))
            try shared.users.share(errors)
            group.enter()
            DispatchQueue.global().async {
                let result = Result {
                    try CommandRun.run("/usr/sbin/runuser", ["-u", worker, "--", "/bin/sh", "-c", script], environment: [
                        "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "BIN": BuiltBinary.path,
                        "DB": db, "ORDER": order, "ERR": errors,
                    ])
                }
                results.set(index, result)
                group.leave()
            }
        }
        group.wait()

        var successes: [(worker: String, action: String, task: String)] = []
        for (index, worker) in workers.enumerated() {
            let result = try results.get(index)
            #expect(result.status == 0, "\(result)")
            for line in result.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ")
                successes.append((worker, String(parts[0]), String(parts[1])))
            }
            let errors = try String(contentsOfFile: shared.directory.file("err-\(index)"), encoding: .utf8)
            #expect(!errors.lowercased().contains("locked"), "\(errors)")
            #expect(!errors.contains("database error"), "\(errors)")
        }

        // Every task was won by exactly one worker, who took it all the way to completed.
        let claimsPerTask = Dictionary(grouping: successes.filter { $0.action == "claim" }, by: \.task)
        #expect(claimsPerTask.count == taskCount)
        for (task, claims) in claimsPerTask {
            #expect(Set(claims.map(\.worker)).count == 1, "\(task) claimed by \(claims.map(\.worker))")
            #expect(claims.count == 1, "\(task) claimed \(claims.count) times")
        }
        #expect(successes.filter { $0.action == "complete" }.count == taskCount)

        // Nothing lost: one audit record per successful action, and the file is sound.
        let store = HandoffStoreAccess(path: db)
        #expect(try store.auditCount(actions: ["claim", "start", "pend", "resume", "complete"]) == successes.count)
        #expect(try store.completedCount() == taskCount)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func threeProcessesOpeningABrandNewDatabaseTogetherAllSucceed() throws {
        for round in 0..<20 {
            let directory = TemporaryDirectory("handoff-race")
            let db = directory.file("new.db")
            let fifo = directory.file("barrier")
            #expect(mkfifo(fifo, 0o600) == 0)
            // Held open for reading and writing, so the processes' opens do not block; they wait in read.
            let barrier = open(fifo, O_RDWR)
            #expect(barrier >= 0)
            defer { close(barrier) }
            let script = #"dd if="$FIFO" bs=1 count=1 status=none >/dev/null && exec "$BIN" init --db "$DB""#
            let group = DispatchGroup()
            let results = ResultBox(count: 3)
            for index in 0..<3 {
                group.enter()
                DispatchQueue.global().async {
                    results.set(index, Result {
                        try CommandRun.run("/bin/sh", ["-c", script], environment: [
                            "PATH": "/usr/bin:/bin", "HOME": "/tmp", "BIN": BuiltBinary.path, "DB": db, "FIFO": fifo,
                        ])
                    })
                    group.leave()
                }
            }
            // Release all three at once.
            #expect(write(barrier, "xxx", 3) == 3)
            group.wait()
            for index in 0..<3 {
                let result = try results.get(index)
                #expect(result.status == 0, "round \(round): \(result)")
            }
            let store = HandoffStoreAccess(path: db)
            #expect(try store.userCount() == 1)
        }
    }
}

/// Collects results from concurrent workers.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<CommandResult, any Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<CommandResult, any Error>) { lock.withLock { results[index] = result } }
    func get(_ index: Int) throws -> CommandResult { try lock.withLock { results[index] }!.get() }
}
