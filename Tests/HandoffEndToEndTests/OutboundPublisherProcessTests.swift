import Foundation
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// The real `handoff outbound publish` on a real database while a real sync worker turns events into
/// task changes: killed without warning over and over, with a reader watching the outbound spool the
/// whole time. After deduplication by event id the spool holds exactly one event per task change, in
/// the order the changes committed, with the ids the database gave them; no reader ever sees a partial
/// file.
@Suite(.serialized)
struct OutboundPublisherProcessTests {
    @Test func aPublisherKilledOverAndOverDeliversEveryChangeOnceInOrderAndNeverAHalfFile() throws {
        let bench = try OutboundBench()
        try bench.dropLabResults(3_000, files: 3)
        let watcher = SpoolWatcher(directory: bench.outbound)
        watcher.start()
        defer { watcher.stop() }

        // The worker writes changes (and so outbound events) while the publishers deliver them.
        let worker = try bench.start(bench.workerArguments, log: "worker")
        defer { worker.kill() }

        var kills: [String] = []
        for run in 1...8 {
            let before = try bench.cursor()
            // Kills are meant to land while there is work: stop once the worker is done and all is delivered.
            if worker.exited() != nil, try before == bench.newest() { break }
            let launched = Date()
            let publisher = try bench.start(bench.publisherArguments(["--batch", "40", "--poll", "1s", "--keep", "forever"]), log: "publish-\(run)")
            defer { publisher.kill() }
            let delivered = try poll("run \(run)'s first delivery", timeout: 90, while: publisher) { try bench.cursor() > before }
            #expect(delivered, "run \(run): nothing delivered within 90 s\n\(publisher.errorOutput)")
            guard delivered else { break }
            let firstDelivery = Date().timeIntervalSince(launched)
            // Not a synchronisation: a random moment within about one more file, so kills land anywhere in
            // it (writing the temporary file, flushing, renaming, committing the cursor).
            _ = try poll("the kill moment", timeout: Double.random(in: 0..<1) * firstDelivery, while: publisher) { false }
            publisher.kill()
            let after = try bench.cursor()
            kills.append("run \(run): cursor \(before) → \(after), \(try bench.newest()) written, first file after \(String(format: "%.2f", firstDelivery)) s")
            #expect(after > before)
            #expect(!publisher.errorOutput.contains("failed"), "run \(run): \(publisher.errorOutput)")
        }
        print(kills.joined(separator: "\n"))
        #expect(!kills.isEmpty, "no kill landed while events were waiting")
        #expect(worker.waitForExit(timeout: 240) == .exited(0), "\(worker.errorOutput)")

        let final = try bench.start(bench.publisherArguments(["--once", "--keep", "forever"]), log: "final")
        defer { final.kill() }
        #expect(final.waitForExit(timeout: 120) == .exited(0), "\(final.errorOutput)")
        #expect(final.output.hasPrefix("delivered "), "\(final.output)")
        watcher.stop()

        // No reader ever saw a partial file, and every file it saw decoded line by line.
        let seen = watcher.result()
        #expect(seen.problems.isEmpty, "\(seen.problems.prefix(5))")
        #expect(seen.files >= 20, "the watcher saw only \(seen.files) files")
        #expect(try bench.temporaryFiles().isEmpty, "the last run removed what the killed ones left unfinished")
        // Each file is named by the instance and the sequence numbers of its first and last events.
        let instance = try bench.sqlite("SELECT value FROM meta WHERE key = 'outbound.instance'")[0][0]
        let misnamed = try bench.deliveredFiles().filter { name in
            let events = try String(contentsOfFile: bench.outbound + "/" + name, encoding: .utf8).split(separator: "\n")
                .map { try EventDecoder.decode(Data($0.utf8)).get().extensions["sequence"]?.string ?? "" }
            return name != "handoff-\(instance)-\(events.first ?? "")-\(events.last ?? "").ndjson"
        }
        #expect(misnamed.isEmpty, "\(misnamed.prefix(3))")

        // Exactly one event per change after deduplication, in commit order, with the database's ids.
        let lines = try bench.deliveredLines()
        var firstSeen: [String: String] = [:]
        var deduplicated: [String] = []
        var repeats = 0
        for line in lines {
            let event = try EventDecoder.decode(Data(line.utf8)).get()
            if let earlier = firstSeen[event.id] {
                repeats += 1
                #expect(earlier == line, "event \(event.id) was delivered again with other content")
            } else {
                firstSeen[event.id] = line
                deduplicated.append(event.id)
            }
        }
        let outbox = try bench.sqlite("SELECT id FROM outbox ORDER BY seq").map { $0[0] }
        let firstDifference = zip(deduplicated, outbox).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(deduplicated.count == outbox.count && firstDifference == nil,
                "\(deduplicated.count) distinct events delivered, \(outbox.count) in the outbox; first difference at \(firstDifference ?? -1)")
        let changes = try bench.sqlite("SELECT count(*) FROM audit WHERE task IS NOT NULL AND action != 'view'")[0][0]
        #expect(Int(changes) == outbox.count, "one event per audited change")
        let unmatched = try bench.sqlite("""
            SELECT count(*) FROM audit a LEFT JOIN outbox o ON o.audit = a.seq
            WHERE a.task IS NOT NULL AND a.action != 'view' AND o.seq IS NULL
            """)[0][0]
        #expect(unmatched == "0")
        let outOfOrder = try bench.sqlite("""
            SELECT count(*) FROM outbox o JOIN outbox p ON p.seq = (SELECT max(seq) FROM outbox WHERE seq < o.seq) WHERE p.audit >= o.audit
            """)[0][0]
        #expect(outOfOrder == "0", "events follow the audit's order")
        // Each task's versions arrive one after another, none missing, none out of place.
        var versions: [String: Int] = [:]
        var gaps: [String] = []
        for id in deduplicated {
            let data = try EventDecoder.decode(Data(firstSeen[id]!.utf8)).get().data
            guard let task = data?["task"]?.string, case let .number(version)? = data?["version"] else { continue }
            if Int(version) != (versions[task] ?? 0) + 1 { gaps.append("\(task) v\(Int(version)) after v\(versions[task] ?? 0)") }
            versions[task] = Int(version)
        }
        #expect(gaps.isEmpty, "\(gaps.prefix(5))")
        #expect(outbox.count >= 3_855, "the seeded demo's changes and one per lab result")
        print("\(lines.count) lines delivered in \(try bench.deliveredFiles().count) files: \(outbox.count) events, \(repeats) repeats after kills; "
              + "the watcher read \(seen.files) files as they appeared")
    }
}

// MARK: - The bench

/// A demo database, an inbound spool the worker reads, and an outbound spool the publisher writes.
private final class OutboundBench {
    let directory = TemporaryDirectory("handoff-outbound")
    var spool: String { directory.file("spool") }
    var outbound: String { directory.file("outbound") }
    var database: String { directory.file("state/handoff/demo.db") }
    var environment: [String: String] {
        ["HOME": directory.path, "XDG_STATE_HOME": directory.file("state"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    }
    let store: HandoffStore

    init() throws {
        let demo = try CommandRun.handoff(["demo", "--print"], environment: ["HOME": directory.path, "XDG_STATE_HOME": directory.file("state")])
        guard demo.status == 0 else { throw UnexpectedResult(description: demo.description) }
        try FileManager.default.createDirectory(atPath: directory.file("spool"), withIntermediateDirectories: true)
        store = try HandoffStore.open(at: directory.file("state/handoff/demo.db"))
    }

    var workerArguments: [String] {
        ["sync", "--db", database, "--as", "handoff-sync", "--spool", spool, "--routes", SyncFixture.sampleData + "/routes.yaml", "--once"]
    }

    func publisherArguments(_ extra: [String]) -> [String] {
        ["outbound", "publish", "--db", database, "--as", "handoff-sync", "--to", outbound] + extra
    }

    func start(_ arguments: [String], log: String) throws -> SpawnedProcess {
        try SpawnedProcess(BuiltBinary.path, arguments, environment: environment,
                           outputPath: directory.file("\(log).out"), errorPath: directory.file("\(log).err"))
    }

    /// `count` signed lab results, each creating a review task, in `files` spool files.
    func dropLabResults(_ count: Int, files: Int) throws {
        let template = TestEvent.json("lab.result.signed", id: "@id@", source: "urn:test:outbound:lab", subject: "Patient/1002", data: [
            "patient": "Patient/1002", "name": "Test Patient", "report": "DiagnosticReport/@n@",
            "test": ["code": "2823-3", "display": "Potassium 5.1 mmol/L"], "abnormal": false, "critical": false,
        ])
        let trace = TestEvent.traceID(of: "@id@")
        let perFile = (count + files - 1) / files
        for file in 0..<files {
            var text = ""
            for index in (file * perFile)..<min(count, (file + 1) * perFile) {
                let id = "out-lab-\(index)"
                text += template.replacingOccurrences(of: trace, with: TestEvent.traceID(of: id))
                    .replacingOccurrences(of: "@id@", with: id).replacingOccurrences(of: "@n@", with: String(8_000_000 + index)) + "\n"
            }
            let name = String(format: "%04d-labs.ndjson", file + 1)
            try Data(text.utf8).write(to: URL(fileURLWithPath: spool + "/" + name + ".tmp"))
            #expect(rename(spool + "/" + name + ".tmp", spool + "/" + name) == 0)
        }
    }

    /// The publisher's cursor: the last event recorded as delivered.
    func cursor() throws -> Int64 { try store.read { try $0.outboundCursor() } }

    func newest() throws -> Int64 { try store.read { try $0.outboundBacklog().newest } }

    func deliveredFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: outbound).filter { $0.hasSuffix(".ndjson") }.sorted()
    }

    func temporaryFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: outbound).filter { $0.hasPrefix(".handoff-outbound-") }
    }

    /// Every line of the delivered files, in name order.
    func deliveredLines() throws -> [String] {
        try deliveredFiles().flatMap { name in
            try String(contentsOfFile: outbound + "/" + name, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    /// Runs a query through the `sqlite3` tool, read-only; rows separated by newlines, columns by `|`.
    func sqlite(_ sql: String) throws -> [[String]] {
        let result = try CommandRun.run("/usr/bin/sqlite3", ["-readonly", "-cmd", ".timeout 10000", database, sql])
        guard result.status == 0 else { throw UnexpectedResult(description: result.description) }
        return result.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }
}

/// What a consumer sees: a thread that lists the outbound spool over and over and reads each
/// `*.ndjson` file the moment it appears, checking that it is whole — every line a CloudEvent, the
/// last one ended by its newline.
private final class SpoolWatcher: @unchecked Sendable {
    let directory: String
    private let lock = NSLock()
    private var stopping = false
    private var checked: [String: Int] = [:]
    private var problems: [String] = []
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    init(directory: String) {
        self.directory = directory
    }

    func start() {
        running = true
        let thread = Thread { [self] in
            while !lock.withLock({ stopping }) {
                look()
                usleep(1_000)
            }
            look()
            finished.signal()
        }
        thread.start()
    }

    func stop() {
        guard lock.withLock({ let was = !stopping && running; stopping = true; return was }) else { return }
        finished.wait()
    }

    func result() -> (files: Int, problems: [String]) {
        lock.withLock { (checked.count, problems) }
    }

    private func look() {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".ndjson") }
        for name in names where lock.withLock({ checked[name] == nil }) {
            // A placed file is never replaced (link(2)): what is read the moment it appears is what stays.
            guard let bytes = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            var problem: String?
            if bytes.last != 0x0A {
                problem = "\(name): \(bytes.count) bytes, no final newline"
            } else {
                for line in bytes.split(separator: 0x0A) {
                    if case let .failure(rejection) = EventDecoder.decode(Data(line)) {
                        problem = "\(name): a line that is no event (\(rejection.reason.rawValue))"
                        break
                    }
                }
            }
            lock.withLock {
                checked[name] = bytes.count
                if let problem { problems.append(problem) }
            }
        }
    }
}
