import Foundation
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// The real `handoff sync` process on a real database file: killed without warning over and over,
/// and started twice at once. Either way every event of the spool takes effect exactly once.
@Suite(.serialized)
struct SyncWorkerProcessTests {
    // MARK: - Crash safety

    @Test func aWorkerKilledOverAndOverAppliesEveryEventExactlyOnce() throws {
        let started = Date()
        let bench = try WorkerBench()
        // Sized for a debug build on a 2-core machine: each killed run takes one or two batches of 500,
        // the final run drains the rest; chains span several batches, files and kills.
        let load = EventLoad(creates: 16_000, gap: 1_500)
        let files = 6
        let runs = 12
        try bench.drop(load, files: files)
        let baseline = try bench.snapshot()
        print("spool: \(load.lines.count) lines in \(files) files, \(load.distinct) distinct events, \(load.duplicates) duplicates, " +
              "\(load.creates) creates, \(load.approved.count) approved authorization chains; generated in " +
              String(format: "%.1f s", Date().timeIntervalSince(started)))

        var kills: [KillRecord] = []
        for run in 1...runs {
            let before = try bench.received()
            let inboxBefore = try bench.eventRows() - baseline.eventRows
            let launched = Date()
            let worker = try bench.startWorker(["--poll", "1s"], log: "run-\(run)")
            defer { worker.kill() }
            // The run's first commit of events (its heartbeat aside).
            let committed = try poll("run \(run)'s first commit", timeout: 90, while: worker) { try bench.received() > before }
            #expect(committed, "run \(run): no commit within 90 s\n\(worker.errorOutput)")
            guard committed else { break }
            let firstCommit = Date().timeIntervalSince(launched)
            // Not a synchronisation: a random moment within about one more batch, so kills land all over
            // it (reading the file, ingesting, committing, moving a file aside, the heartbeat).
            let delay = Double.random(in: 0..<1) * firstCommit
            _ = try poll("the kill moment", timeout: delay, while: worker) { false }
            let pendingFiles = bench.pendingFiles().count
            worker.kill()
            let after = try bench.received()
            let rows = try bench.eventRows() - baseline.eventRows
            let record = KillRecord(run: run, receivedBefore: before - baseline.received, receivedAfter: after - baseline.received,
                                    inboxBefore: inboxBefore, inboxRows: rows, firstCommit: firstCommit, killedAfter: firstCommit + delay,
                                    pendingFiles: bench.pendingFiles().count,
                                    finishedNotMoved: try bench.syncValues(prefix: "spool:").values.filter { $0 == "done" }.count)
            kills.append(record)
            print(record)
            #expect(!worker.errorOutput.contains("sync failed"), "run \(run): \(worker.errorOutput)")
            // The kill came after this run's first commit, and before the spool was drained.
            #expect(record.receivedAfter > record.receivedBefore)
            #expect(rows < load.distinct && pendingFiles > 0 && record.pendingFiles > 0,
                    "run \(run) drained the spool before its kill: make the spool bigger")
            if rows >= load.distinct { break }
        }
        let landed = kills.filter { $0.receivedAfter > $0.receivedBefore && $0.inboxRows < load.distinct && $0.pendingFiles > 0 }
        #expect(landed.count >= 10, "only \(landed.count) kills landed between a run's first commit and the end of the spool")
        let perRun = kills.map { $0.inboxRows - $0.inboxBefore }
        print("\(landed.count) kills after a first commit and before the end; events applied per killed run: " +
              "min \(perRun.min() ?? 0), max \(perRun.max() ?? 0), total \(perRun.reduce(0, +)) of \(load.distinct); " +
              "\(kills.filter { $0.finishedNotMoved > 0 }.count) kills between a file's last commit and its move to done/")

        // A last run drains the rest and stops.
        let beforeFinal = try bench.received()
        let final = try bench.startWorker(["--once"], log: "final")
        defer { final.kill() }
        let ended = final.waitForExit(timeout: 240)
        #expect(ended == .exited(0), "\(final.errorOutput)")
        let remaining = load.lines.count - (beforeFinal - baseline.received)
        #expect(final.output.hasPrefix("received \(remaining): "), "\(final.output)")
        print("final --once run: \(final.output.trimmingCharacters(in: .whitespacesAndNewlines))")

        try bench.expectExactlyOnce(load, since: baseline)
        print(String(format: "whole test: %.1f s", Date().timeIntervalSince(started)))
    }

    // MARK: - Two workers

    @Test(arguments: [false, true])
    func twoWorkersStartedTogetherApplyEveryEventOnce(wait: Bool) throws {
        let started = Date()
        let bench = try WorkerBench()
        let load = EventLoad(creates: 1_200, gap: 300)
        try bench.drop(load, files: 3)
        let baseline = try bench.snapshot()

        // Both wait on one FIFO, then exec the worker (keeping their process ids): released together.
        let fifo = bench.directory.file("barrier")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Held open for reading and writing, so neither the shells' opens nor ours block.
        let barrier = open(fifo, O_RDWR)
        #expect(barrier >= 0)
        defer { close(barrier) }
        let script = #"dd if="$FIFO" bs=1 count=1 status=none >/dev/null && exec "$BIN" "$@""#
        var environment = bench.environment
        environment["FIFO"] = fifo
        environment["BIN"] = BuiltBinary.path
        let arguments = bench.workerArguments(["--once"] + (wait ? ["--wait"] : []))
        let workers = try (0..<2).map { index in
            try SpawnedProcess("/bin/sh", ["-c", script, "sh"] + arguments, environment: environment,
                               outputPath: bench.directory.file("worker-\(index).out"),
                               errorPath: bench.directory.file("worker-\(index).err"))
        }
        defer { for worker in workers { worker.kill() } }
        #expect(write(barrier, "xx", 2) == 2)

        if wait {
            // While the first drains, the second is blocked on the lock, not working beside it.
            let committed = try poll("the first commit", timeout: 90, while: nil) { try bench.received() > baseline.received }
            #expect(committed)
            let holder = try #require(Int32(bench.lockHolder()), "the lock file names no pid")
            let waiter = try #require(workers.first { $0.pid != holder }, "the lock holder \(holder) is none of ours")
            #expect(workers.contains { $0.pid == holder })
            #expect(waiter.exited() == nil, "the second worker did not wait: \(waiter.errorOutput)")
        }

        let endings = workers.map { $0.waitForExit(timeout: 240) }
        let report = zip(workers, endings).map { "pid \($0.pid) \($1.map(String.init(describing:)) ?? "still running")\n\($0.output)\($0.errorOutput)" }
            .joined(separator: "\n")
        // The workers' summaries and refusals (their batch logs are in the report of a failure).
        for (worker, ending) in zip(workers, endings) {
            let lines = (worker.output + worker.errorOutput).split(separator: "\n").filter { !$0.contains(" info handoff.sync:") }
            print("pid \(worker.pid), \(ending.map(String.init(describing:)) ?? "still running"): \(lines.joined(separator: " / "))")
        }
        if wait {
            #expect(endings == [.exited(0), .exited(0)], "\(report)")
            // One drained the spool; the other took the lock when it ended and found nothing left.
            let received = workers.map { $0.output.components(separatedBy: ":").first ?? "" }.sorted()
            #expect(received == ["received 0", "received \(load.lines.count)"], "\(report)")
            let last = try #require(workers.first { $0.output.hasPrefix("received 0:") })
            #expect(try bench.syncValue("worker.pid") == String(last.pid), "the worker that waited ran last")
        } else {
            let winner = try #require(zip(workers, endings).first { $1 == .exited(0) }?.0, "\(report)")
            let loser = try #require(workers.first { $0 !== winner })
            #expect(loser.exited() == .exited(1), "\(report)")
            let named = loser.errorOutput.firstMatch(of: #/another sync worker \(pid ([^)]*)\) is running/#).map { String($0.1) }
            #expect(named != nil, "\(report)")
            #expect(named == String(winner.pid), "\(report)")
            #expect(loser.errorOutput.split(separator: "\n").count == 1, "\(report)")
            #expect(winner.output.hasPrefix("received \(load.lines.count): "), "\(report)")
        }
        try bench.expectExactlyOnce(load, since: baseline)
        print(String(format: "two workers (wait: \(wait)): %.1f s", Date().timeIntervalSince(started)))
    }
}

// MARK: - The spool's events

/// Events for the spool: lab results and referrals that create tasks (one per correlation key),
/// authorization chains that pend and then resume half of the referrals further down the spool,
/// and redeliveries, byte for byte or re-serialised.
private struct EventLoad {
    /// The correlation keys the load uses (seven digits: the demo's own references have six).
    static let labPattern = "DiagnosticReport/5[0-9][0-9][0-9][0-9][0-9][0-9]"
    static let referralPattern = "ServiceRequest/7[0-9][0-9][0-9][0-9][0-9][0-9]"

    /// The spool's lines, in the order the worker takes them.
    let lines: [String]
    /// Distinct (source, id) pairs among them.
    let distinct: Int
    /// Lines that repeat an earlier event.
    let duplicates: Int
    /// The correlation keys of the tasks the events create.
    let labKeys: [String]
    let referralKeys: [String]
    /// Referrals whose authorization was requested and then approved.
    let approved: Set<String>

    var creates: Int { labKeys.count + referralKeys.count }
    /// Task changes: a pend and a resume per approved referral.
    var changes: Int { approved.count * 2 }

    /// Every fourth create is a referral, every other referral gets an authorization chain whose
    /// request comes `gap` events after it and whose approval `gap` events later; every 20th event
    /// is delivered again about `gap / 2` events later.
    init(creates: Int, gap: Int) {
        let labs = [false, true].flatMap { abnormal in [false, true].map { critical in
            Template("lab.result.signed", source: "urn:test:e2e:lab", subject: "Patient/1002", data: [
                "patient": "Patient/1002", "name": "Test Patient", "report": "DiagnosticReport/@n@",
                "test": ["code": "2823-3", "display": "Potassium 5.1 mmol/L"], "abnormal": abnormal, "critical": critical,
            ])
        } }
        let referrals = ["routine", "urgent"].map { urgency in
            Template("referral.received", source: "urn:test:e2e:referrals", subject: "Patient/1001", data: [
                "patient": "Patient/1001", "name": "Test Patient", "referral": "ServiceRequest/@n@", "specialty": "cardiology",
                "urgency": urgency, "needsAuthorization": true,
            ])
        }
        let requested = Template("authorization.requested", source: "urn:test:e2e:payer", subject: "Patient/1001", data: [
            "patient": "Patient/1001", "referral": "ServiceRequest/@n@", "payer": "Northwind (fake payer)"])
        let received = Template("authorization.received", source: "urn:test:e2e:payer", data: [
            "referral": "ServiceRequest/@n@", "decision": "approved"])

        var ordered: [(order: Double, text: String)] = []
        var labKeys: [String] = [], referralKeys: [String] = [], approved: Set<String> = []
        for index in 0..<creates {
            let position = Double(index)
            if index % 4 == 3 {
                let number = referralKeys.count
                let reference = 7_000_000 + number
                referralKeys.append("ServiceRequest/\(reference)")
                ordered.append((position, referrals[number % 3 == 0 ? 1 : 0].event(id: "ref-\(number)", number: reference)))
                guard number % 2 == 0 else { continue }
                approved.insert("ServiceRequest/\(reference)")
                ordered.append((position + Double(gap) + 0.25, requested.event(id: "areq-\(number)", number: reference)))
                ordered.append((position + Double(2 * gap) + 0.5, received.event(id: "arcv-\(number)", number: reference)))
            } else {
                let reference = 5_000_000 + index
                labKeys.append("DiagnosticReport/\(reference)")
                ordered.append((position, labs[(index % 5 == 0 ? 2 : 0) + (index % 11 == 0 ? 1 : 0)].event(id: "lab-\(index)", number: reference)))
            }
        }
        let distinct = ordered.count
        ordered.sort { $0.order < $1.order }
        var redelivered: [(order: Double, text: String)] = []
        for (index, event) in ordered.enumerated() where index % 20 == 7 {
            // Alternately the same bytes, and the same event re-serialised (other key order and spacing).
            let text = redelivered.count % 2 == 0 ? event.text : Self.reserialised(event.text)
            redelivered.append((event.order + Double(gap / 2) + 0.75, text))
        }
        ordered.append(contentsOf: redelivered)
        ordered.sort { $0.order < $1.order }
        lines = ordered.map(\.text)
        self.distinct = distinct
        duplicates = redelivered.count
        self.labKeys = labKeys
        self.referralKeys = referralKeys
        self.approved = approved
    }

    /// An event made once with ``TestEvent`` and stamped with each event's id, trace id and reference
    /// number: building thousands of events one by one takes too long in a debug build.
    private struct Template {
        let text: String
        let trace = TestEvent.traceID(of: "@id@")

        init(_ type: String, source: String, subject: String? = nil, data: [String: Any]) {
            text = TestEvent.json(type, id: "@id@", source: source, subject: subject, data: data)
        }

        func event(id: String, number: Int) -> String {
            // A trace id of its own: FNV-1a of the id, then the reference number.
            let hash = id.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            let hex = String(hash, radix: 16) + String(number, radix: 16)
            let trace = String((hex + String(repeating: "0", count: 32)).prefix(32))
            return text.replacingOccurrences(of: self.trace, with: trace).replacingOccurrences(of: "@id@", with: id)
                .replacingOccurrences(of: "@n@", with: String(number))
        }
    }

    /// The event pretty-printed onto one line: equal as JSON, different as bytes.
    private static func reserialised(_ text: String) -> String {
        let object = try! JSONSerialization.jsonObject(with: Data(text.utf8))
        let pretty = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        let line = String(decoding: pretty, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        precondition(line != text)
        return line
    }
}

/// What one killed run did, for the report.
private struct KillRecord: CustomStringConvertible {
    let run: Int
    /// `count.received` since the test began, when the run started and after its kill.
    let receivedBefore: Int
    let receivedAfter: Int
    /// Rows in the inbox since the test began, when the run started and after its kill.
    let inboxBefore: Int
    let inboxRows: Int
    /// Seconds from the start to the first commit, and to the kill.
    let firstCommit: TimeInterval
    let killedAfter: TimeInterval
    /// Spool files left after the kill.
    let pendingFiles: Int
    /// Files whose cursor says done while they are still in the spool: the kill fell between their
    /// last commit and their move to `done/`.
    let finishedNotMoved: Int

    var description: String {
        String(format: "run %2ld: killed %.2f s after start (first commit at %.2f s): received %5ld → %5ld (+%ld), inbox %5ld → %5ld (+%ld), %ld files left",
               run, killedAfter, firstCommit, receivedBefore, receivedAfter, receivedAfter - receivedBefore,
               inboxBefore, inboxRows, inboxRows - inboxBefore, pendingFiles)
            + (finishedNotMoved > 0 ? ", \(finishedNotMoved) finished but not yet moved" : "")
    }
}

// MARK: - The bench

/// A demo database made by `handoff demo` in a temporary state directory, a spool, and the means
/// to start workers on them and to check what they did.
private final class WorkerBench {
    let directory = TemporaryDirectory("handoff-worker")
    var spool: String { directory.file("spool") }
    var database: String { directory.file("state/handoff/demo.db") }
    var environment: [String: String] {
        ["HOME": directory.path, "XDG_STATE_HOME": directory.file("state"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    }
    let store: HandoffStore

    init() throws {
        let state = directory.file("state")
        let demo = try CommandRun.handoff(["demo", "--print"], environment: ["HOME": directory.path, "XDG_STATE_HOME": state])
        guard demo.status == 0 else { throw UnexpectedResult(description: demo.description) }
        try FileManager.default.createDirectory(atPath: directory.file("spool"), withIntermediateDirectories: true)
        store = try HandoffStore.open(at: state + "/handoff/demo.db")
    }

    func workerArguments(_ extra: [String]) -> [String] {
        ["sync", "--db", database, "--as", "handoff-sync", "--spool", spool, "--routes", SyncFixture.sampleData + "/routes.yaml"] + extra
    }

    /// Starts `handoff sync` with `extra` arguments, its output in `log.out` and `log.err`.
    func startWorker(_ extra: [String], log: String) throws -> SpawnedProcess {
        try SpawnedProcess(BuiltBinary.path, workerArguments(extra), environment: environment,
                           outputPath: directory.file("\(log).out"), errorPath: directory.file("\(log).err"))
    }

    /// The names of the files ``drop(_:files:)`` wrote.
    private(set) var dropped: [String] = []

    /// Writes the load into `files` spool files, each under a temporary name first, as middleware does.
    func drop(_ load: EventLoad, files: Int) throws {
        let perFile = (load.lines.count + files - 1) / files
        for file in 0..<files {
            let slice = load.lines.dropFirst(file * perFile).prefix(perFile)
            let name = String(format: "%04d-load.ndjson", file + 1)
            let temporary = spool + "/" + name + ".tmp"
            try Data(slice.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: temporary))
            #expect(rename(temporary, spool + "/" + name) == 0)
            dropped.append(name)
        }
    }

    /// The spool's files still waiting, in name order.
    func pendingFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".ndjson") }.sorted()
    }

    // MARK: Reading the database

    func syncValue(_ key: String) throws -> String? {
        try store.read { try $0.syncValue(key) }
    }

    func syncValues(prefix: String) throws -> [String: String] {
        try store.read { try $0.syncValues(prefix: prefix) }.mapValues(\.value)
    }

    /// The worker's `count.received` counter: deliveries taken in committed batches.
    func received() throws -> Int {
        Int(try syncValue("count.received") ?? "0") ?? -1
    }

    func eventRows() throws -> Int {
        try store.read { try $0.eventCounts() }.values.reduce(0, +)
    }

    /// The pid written in the worker lock file.
    func lockHolder() -> String {
        ((try? String(contentsOfFile: database + ".sync-lock", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a query through the `sqlite3` tool, read-only; rows separated by newlines, columns by `|`.
    func sqlite(_ sql: String) throws -> [[String]] {
        let result = try CommandRun.run("/usr/bin/sqlite3", ["-readonly", database, sql])
        guard result.status == 0 else { throw UnexpectedResult(description: result.description) }
        return result.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: Exactly once

    /// The counts the checks compare with.
    struct Snapshot {
        var eventRows: Int
        var tasks: Int
        /// Audit records of the worker and people; the escalation sweeper's are counted apart.
        var audit: Int
        var sweeps: Int
        var openDeadLetters: Int
        var received: Int
        var counters: [String: Int]
    }

    func snapshot() throws -> Snapshot {
        try store.read { db in
            Snapshot(eventRows: try db.eventCounts().values.reduce(0, +), tasks: try db.taskCount(),
                     audit: try db.auditCount() - (try db.auditLog(actor: "handoff-sweeper", limit: 1_000_000).count),
                     sweeps: try db.sweepCount(),
                     openDeadLetters: try db.deadLetters(status: .open, limit: 100_000).count,
                     received: Int(try db.syncValue("count.received") ?? "0") ?? -1,
                     counters: try db.syncValues(prefix: "count.").mapValues { Int($0.value) ?? -1 })
        }
    }

    /// Every event of `load` took effect once: the inbox, the tasks per correlation key, the pends and
    /// resumes per referral, the audit, the counters, the file and the spool.
    func expectExactlyOnce(_ load: EventLoad, since baseline: Snapshot) throws {
        let now = try snapshot()
        let counts = try store.read { try $0.eventCounts() }
        #expect(now.eventRows - baseline.eventRows == load.distinct, "inbox rows")
        #expect(counts[.parked] == nil && counts[.dead] == nil, "\(counts)")
        #expect(now.tasks - baseline.tasks == load.creates, "tasks created")
        #expect(now.audit - baseline.audit == load.creates + load.changes, "audit records: one per create, pend and resume")
        let deadLetters = try store.read { try $0.deadLetters(status: .open, limit: 5) }.map { "\($0.reason): \($0.detail)" }
        #expect(now.openDeadLetters == baseline.openDeadLetters, "\(deadLetters)")
        // The counters moved with the effects: each line received in exactly one committed batch.
        var counters = now.counters.merging(baseline.counters.mapValues { -$0 }) { $0 + $1 }.filter { $0.value != 0 }
        // The demo's SLA sweeper runs beside the worker: each threshold it acted on is counted exactly once.
        #expect(counters.removeValue(forKey: "count.escalations") ?? 0 == now.sweeps - baseline.sweeps, "sweeps counted once")
        #expect(counters == ["count.received": load.lines.count, "count.duplicates": load.duplicates,
                             "count.created": load.creates, "count.changed": load.changes])

        // One task per correlation key the spool created.
        let ours = "(correlationKey GLOB '\(EventLoad.labPattern)' OR correlationKey GLOB '\(EventLoad.referralPattern)')"
        let duplicated = try sqlite("SELECT correlationKey, count(*) FROM task WHERE correlationKey IS NOT NULL AND \(ours) GROUP BY 1 HAVING count(*) > 1 LIMIT 20")
        #expect(duplicated.isEmpty, "correlation keys with more than one task (key, tasks): \(duplicated)")
        let keys = Set(try sqlite("SELECT correlationKey FROM task WHERE \(ours)").map { $0[0] })
        let difference = keys.symmetricDifference(load.labKeys + load.referralKeys)
        #expect(difference.isEmpty, "\(difference.count) keys missing or unexpected, e.g. \(Array(difference.sorted().prefix(10)))")

        // Each approved referral was pended once and resumed once, and is back in the queue; the others untouched.
        let referrals = try sqlite("""
            SELECT t.correlationKey, t.state,
                   (SELECT count(*) FROM audit a WHERE a.task = t.id AND a.action = 'pend'),
                   (SELECT count(*) FROM audit a WHERE a.task = t.id AND a.action = 'resume'),
                   (SELECT count(*) FROM audit a WHERE a.task = t.id)
            FROM task t WHERE t.correlationKey GLOB '\(EventLoad.referralPattern)'
            """)
        #expect(referrals.count == load.referralKeys.count)
        var wrong: [[String]] = []
        for row in referrals {
            let expected = load.approved.contains(row[0]) ? ["queued", "1", "1", "3"] : ["queued", "0", "0", "1"]
            if Array(row.dropFirst()) != expected { wrong.append(row) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) referrals with the wrong state or pend/resume count (key, state, pends, resumes, audits), e.g. \(Array(wrong.prefix(10)))")
        let sample = try #require(load.approved.sorted().first)
        #expect(try store.read { try $0.openTask(correlationKey: sample) }?.state == .queued)

        #expect(try sqlite("PRAGMA integrity_check") == [["ok"]])

        // The spool is drained: every file moved to done/ after its effects were committed.
        #expect(pendingFiles().isEmpty, "\(pendingFiles())")
        let done = ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/done")) ?? []).sorted()
        #expect(done == dropped, "done/: \(done)")
        #expect(!FileManager.default.fileExists(atPath: spool + "/failed"))
        // A cursor outlives its file only if a kill fell between the move and the cursor's removal.
        let cursors = try store.read { try $0.syncValues(prefix: "spool:") }
        if !cursors.isEmpty { print("spool cursors left behind: \(cursors.mapValues(\.value))") }
    }
}
