import Foundation
import GRDB
import HandoffApp
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// Bulk loading writes the same rows as the single-task use cases, keeps search working, and
/// leaves nothing behind when it fails.
struct BulkInsertTests {
    /// `count` tasks in the fixture's queues, every optional column set on some of them, and two
    /// audit records each.
    static func workload(count: Int, firstID: Int64 = 1, at start: Date) -> (tasks: [WorkTask], audit: [AuditEntry]) {
        var tasks: [WorkTask] = []
        var audit: [AuditEntry] = []
        for offset in 0..<count {
            let id = TaskID(firstID + Int64(offset))
            let created = start.addingTimeInterval(Double(offset * 60))
            let claimed = created.addingTimeInterval(90)
            let special = offset % 7 == 0
            tasks.append(WorkTask(
                id: id, queue: offset % 3 == 0 ? "intake" : "lab", state: special ? .pending : .assigned,
                priority: Priority.allCases[offset % 4], title: "Review sodium \(130 + offset % 20) mmol/L",
                kind: "lab-review", subject: Reference("Patient/\(1_000 + offset % 50)"),
                subjectDisplay: offset == 3 ? "José Nuñez" : "Tova Merilun \(offset % 13)",
                focus: Reference("DiagnosticReport/\(50_000 + offset)"),
                correlationKey: special ? nil : "DiagnosticReport/\(50_000 + offset)", owner: "cora",
                createdAt: created, updatedAt: claimed, updatedBy: "cora",
                dueAt: special ? created.addingTimeInterval(86_400) : nil, version: 2,
                traceID: "00-\(String(repeating: "ab", count: 16))-\(String(repeating: "cd", count: 8))-01",
                pendingReason: special ? "Awaiting repeat specimen" : nil,
                expectedBy: special ? claimed.addingTimeInterval(3_600) : nil,
                exceptionCode: special ? "missing_demographics" : nil,
                exceptionContext: special ? ["missing": "phone, address"] : [:],
                resolution: special ? .requeue : nil, cancelReason: special ? "Duplicate \"order\"" : nil,
                escalated: special))
            audit.append(AuditEntry(time: created, actor: "sync", actorRole: .service, origin: "local", action: "create",
                                    taskID: id, toState: .queued, detail: ["queue": "lab", "kind": "lab-review"]))
            audit.append(AuditEntry(time: claimed, actor: "cora", actorRole: .coordinator, origin: "ssh 192.0.2.7",
                                    action: "claim", taskID: id, fromState: .queued, toState: .assigned,
                                    detail: ["owner": "cora"], traceID: offset % 2 == 0 ? "00-trace-01" : nil))
        }
        return (tasks, audit)
    }

    @Test func bulkInsertedTasksReadBackEqual() throws {
        let fixture = try StoreFixture()
        // More rows than fit one statement, so full statements and a shorter last one are both used.
        let (tasks, audit) = Self.workload(count: 1_001, at: fixture.start)
        let auditBefore = try fixture.store.read { try $0.auditCount() }
        try fixture.store.write { try $0.bulkInsert(tasks: tasks, audit: audit) }

        let stored = try fixture.store.read { session in try tasks.map { try session.task($0.id) } }
        #expect(stored == tasks)
        #expect(try fixture.store.read { try $0.taskCount() } == tasks.count)
        #expect(try fixture.store.read { try $0.auditCount() } == auditBefore + audit.count)
        let history = try fixture.store.read { try $0.auditLog(task: TaskID(1_000)) }
        #expect(history.map(\.entry) == audit.filter { $0.taskID == TaskID(1_000) })
    }

    @Test func bulkRowsAreTheRowsTheUseCasesWrite() throws {
        let single = try StoreFixture(), bulk = try StoreFixture()
        let sync = try single.actor("sync"), cora = try single.actor("cora")
        let time = single.start.addingTimeInterval(3_600)
        let created = try single.store.write { session in
            let task = try session.createTask(
                TaskDraft(queue: "lab", title: "Review potassium 6.1 mmol/L (critical)", kind: "lab-review", priority: .stat,
                          subject: Reference("Patient/1001"), subjectDisplay: "Zoë Adeyemi", focus: Reference("DiagnosticReport/9"),
                          correlationKey: "DiagnosticReport/9", traceID: "00-trace-01"),
                by: sync, at: time)
            try session.perform(.claim, on: task.id, by: cora, at: time.addingTimeInterval(60))
            return try session.perform(.pend(reason: "Awaiting repeat specimen", expectedBy: time.addingTimeInterval(7_200)),
                                       on: task.id, by: cora, at: time.addingTimeInterval(120))
        }
        let history = try single.store.read { try $0.auditLog(task: created.id) }.map(\.entry)
        try bulk.store.write { try $0.bulkInsert(tasks: [created], audit: history) }

        func rows(_ fixture: StoreFixture) throws -> [[Row]] {
            try fixture.store.read { session in
                [try Row.fetchAll(session.db, sql: "SELECT * FROM task"),
                 // Each fixture seals its chain with its own key: the seals are compared by verifying.
                 try Row.fetchAll(session.db, sql: """
                     SELECT \(StoreSession.chainedAuditColumns.dropLast().joined(separator: ", ")) FROM audit WHERE task IS NOT NULL ORDER BY seq
                     """),
                 try Row.fetchAll(session.db, sql: "SELECT rowid, * FROM taskSearch")]
            }
        }
        #expect(try rows(bulk) == rows(single))
        #expect(try bulk.store.read { try $0.verifyAudit() }.firstBreak == nil)
    }

    @Test func searchFindsBulkInsertedTasks() throws {
        let fixture = try StoreFixture()
        let (tasks, audit) = Self.workload(count: 20, at: fixture.start)
        try fixture.store.write { try $0.bulkInsert(tasks: tasks, audit: audit) }
        let admin = fixture.admin
        func search(_ words: SearchTerm...) throws -> [TaskID] {
            try fixture.store.read { try $0.tasks(TaskFilter(search: words, limit: 100), visibleTo: admin) }.map(\.id).sorted()
        }
        #expect(try search(SearchTerm("nunez")) == [TaskID(4)])
        #expect(try search(SearchTerm("merilun"), SearchTerm("sodium")).count == 19)
        #expect(try search(SearchTerm("50017", in: .reference)) == [TaskID(18)])
    }

    @Test func aFailedBulkInsertLeavesNothingBehind() throws {
        let fixture = try StoreFixture()
        let existing = try fixture.makeTask()
        let (tasks, audit) = Self.workload(count: 500, firstID: existing.id.number + 1, at: fixture.start)
        let auditBefore = try fixture.store.read { try $0.auditCount() }
        // The last task reuses an id: everything before it was inserted, and must be rolled back.
        var clash = tasks.last!
        clash.id = existing.id
        #expect(throws: StoreError.self) {
            try fixture.store.write { try $0.bulkInsert(tasks: Array(tasks.dropLast()) + [clash], audit: audit) }
        }
        #expect(try fixture.store.read { try $0.taskCount() } == 1)
        #expect(try fixture.store.read { try $0.auditCount() } == auditBefore)
    }

    @Test func theConnectionsSettingsAreRestored() throws {
        let fixture = try StoreFixture()
        func settings() throws -> [Int?] {
            try fixture.store.write { session in
                [try Int.fetchOne(session.db, sql: "PRAGMA cache_size"), try Int.fetchOne(session.db, sql: "PRAGMA temp_store")]
            }
        }
        let before = try settings()
        let (tasks, audit) = Self.workload(count: 10, at: fixture.start)
        try fixture.store.write { try $0.bulkInsert(tasks: tasks, audit: audit) }
        #expect(try settings() == before)
    }

    @Test(arguments: [-2_208_988_800.0, -1, 0, 951_782_399, 951_782_400, 1_795_000_000, 4_107_542_400, 253_402_300_799])
    func datesAreWrittenAsGRDBWritesThem(seconds: TimeInterval) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(StoreSession.bulkDatabaseValue(date) == date.databaseValue)
    }

    @Test func everyDayOfFourCenturiesIsWrittenAsGRDBWritesIt() {
        // 1900 to 2300 one day and a few seconds at a time, so every date and many times of day occur.
        for seconds in stride(from: -2_208_988_800.0, through: 10_413_792_000, by: 86_400 + 37) {
            let date = Date(timeIntervalSince1970: seconds)
            guard StoreSession.bulkDatabaseValue(date) == date.databaseValue else {
                Issue.record("\(date) is written as \(StoreSession.bulkDatabaseValue(date)), GRDB writes \(date.databaseValue)")
                return
            }
        }
    }

    @Test func otherValuesAreLeftToGRDB() {
        let fraction = Date(timeIntervalSince1970: 1_795_000_000.25)
        #expect(StoreSession.bulkDatabaseValue(fraction) == fraction.databaseValue)
        #expect(StoreSession.bulkDatabaseValue("text") == "text".databaseValue)
        #expect(StoreSession.bulkDatabaseValue(nil) == .null)
        #expect(StoreSession.bulkDatabaseValue(true) == 1.databaseValue)
    }

    // MARK: - Generated workloads

    /// A database with a generated workload's users and queues, and no tasks yet.
    struct GeneratedDatabase {
        let directory = TemporaryDirectory()
        let store: HandoffStore

        init(for workload: SyntheticWorkload) throws {
            store = try HandoffStore.openOrCreate(at: directory.file("generated.db"))
            try store.write { session in
                try session.bootstrapAdmin(name: "tester", displayName: "Tester", origin: "local", at: workload.setUpTime)
                let admin = try session.actor(named: "tester", origin: "local")
                for change in workload.directoryChanges { try session.apply(change, by: admin, at: workload.setUpTime) }
            }
        }
    }

    /// Replays `history`, the audit records of generated `task`, through the use cases at the records' times.
    static func replay(_ history: [AuditEntry], of task: WorkTask, in session: StoreSession) throws {
        let creation = try #require(history.first)
        let priority = try #require(creation.detail["priority"].flatMap(Priority.init(rawValue:)))
        let draft = TaskDraft(queue: try #require(creation.detail["queue"]), title: task.title, kind: task.kind, priority: priority,
                              subject: task.subject, subjectDisplay: task.subjectDisplay, focus: task.focus,
                              correlationKey: task.correlationKey, traceID: creation.traceID,
                              exception: creation.detail["code"].map { ExceptionDetail(code: $0) })
        let created = try session.createTask(draft, by: try session.actor(named: creation.actor, origin: creation.origin), at: creation.time)
        try #require(created.id == task.id)
        for entry in history.dropFirst() {
            let actor = try session.actor(named: entry.actor, origin: entry.origin)
            let detail = entry.detail
            func value(_ key: String) throws -> String {
                guard let value = detail[key] else { throw ReplayError.missing(key, action: entry.action) }
                return value
            }
            switch entry.action {
            case "assign", "reassign":
                try session.assign(task.id, to: try value("owner"), reason: detail["reason"], by: actor, at: entry.time)
                continue
            default:
                break
            }
            let action: TaskAction = switch entry.action {
            case "claim": .claim
            case "release": .release
            case "start": .start
            case "pend": .pend(reason: try value("reason"), expectedBy: detail["expectedBy"].flatMap(Timestamp.parse))
            case "resume": .resume
            case "request-review": .requestReview
            case "approve": .approve
            case "complete": .complete
            case "raise-exception": .raiseException(ExceptionDetail(code: try value("code")))
            case "cancel": .cancel(reason: try value("reason"))
            case "escalate": .escalate(reason: try value("reason"), priority: detail["priority"].flatMap(Priority.init(rawValue:)))
            case "reprioritise": .reprioritise(try #require(Priority(rawValue: try value("to"))))
            case "reopen": .reopen(reason: try value("reason"))
            case "move": .move(toQueue: try value("to"), reason: try value("reason"))
            default: throw ReplayError.unknownAction(entry.action)
            }
            try session.perform(action, on: task.id, by: actor, at: entry.time)
        }
    }

    /// An audit record the replay cannot turn back into an action.
    enum ReplayError: Error {
        case unknownAction(String)
        case missing(String, action: String)
    }

    /// A generated workload, bulk-inserted, has task by task the SLA columns and pauses that the use cases
    /// give the same histories replayed through `createTask` and `perform` at the same times.
    @Test func aGeneratedWorkloadHasTheSLAStateTheUseCasesGiveItsHistories() throws {
        let sla = try #require(try SampleData.load(from: SyncFixture.sampleData).sla)
        let workload = SyntheticWorkload(seed: 7, tasks: 600, now: Date(timeIntervalSince1970: 1_795_000_000), slaPolicies: sla.policies)
        let batch = try workload.batch(0..<workload.taskCount)
        let bulk = try GeneratedDatabase(for: workload), replayed = try GeneratedDatabase(for: workload)
        try bulk.store.write { try $0.bulkInsert(tasks: batch.tasks, audit: batch.audit, pauses: batch.pauses) }
        let histories = Dictionary(grouping: batch.audit) { $0.taskID }
        try replayed.store.measuring(sla.policies).write { session in
            for task in batch.tasks { try Self.replay(histories[task.id] ?? [], of: task, in: session) }
        }

        func slaRows(_ database: GeneratedDatabase) throws -> (tasks: [Int64: Row], pauses: [Int64: [Row]], fired: Int) {
            try database.store.read { session in
                let tasks = try Row.fetchAll(session.db, sql: """
                    SELECT id, state, slaCycle, slaCycleStart, slaStage, dueAt, slaNextAt, slaThreshold FROM task
                    """)
                let pauses = try Row.fetchAll(session.db, sql: "SELECT task, cycle, start, end FROM slaPause ORDER BY task, cycle, start")
                return (Dictionary(uniqueKeysWithValues: tasks.map { ($0["id"], $0) }), Dictionary(grouping: pauses) { $0["task"] },
                        try session.sweepCount())
            }
        }
        let expected = try slaRows(replayed), actual = try slaRows(bulk)
        #expect(actual.tasks.count == workload.taskCount && expected.tasks.count == workload.taskCount)
        var differences: [String] = []
        for number in 1...Int64(workload.taskCount) {
            if actual.tasks[number] != expected.tasks[number] {
                differences.append("T-\(number): \(actual.tasks[number].map(String.init(describing:)) ?? "missing"), "
                                   + "the use cases give \(expected.tasks[number].map(String.init(describing:)) ?? "none")")
            }
            if actual.pauses[number] != expected.pauses[number] {
                differences.append("T-\(number) pauses: \(actual.pauses[number] ?? []), the use cases give \(expected.pauses[number] ?? [])")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences, e.g. \(differences.prefix(3))")
        #expect(actual.fired == 0 && expected.fired == 0, "no sweeper ran")

        // The workload exercises every state and stage, pauses begun and ended, and a clock standing still
        // past its target (whose due time comes from a reading before the last).
        let tasks = try bulk.store.read { session in try batch.tasks.map { try session.task($0.id) } }
        let now = workload.now
        #expect(Set(tasks.map(\.state)) == Set(TaskState.allCases))
        #expect(tasks.allSatisfy { $0.slaStage != nil && ($0.dueAt != nil || $0.slaStage == .paused) && $0.slaCycle == 1 })
        let stages = Dictionary(grouping: tasks) { $0.slaStage }.mapValues(\.count)
        for stage in [SLAStatus.Stage.running, .paused, .met, .breached, .cancelled] {
            #expect(stages[stage, default: 0] > 0, "\(stage): \(stages)")
        }
        let atRisk = tasks.filter { task in
            task.state.isActive && (task.dueAt.map { $0 > now } ?? false) && (task.slaThreshold != nil || task.slaNextAt.map { $0 <= now } ?? false)
        }
        // Past the warning and not yet due: few (about 1 % of open work), as open work is mostly older than its target.
        #expect(!atRisk.isEmpty, "at risk by the dashboard's definition")
        #expect(tasks.contains { $0.slaThreshold == "warning" } && tasks.contains { $0.slaThreshold == "breach" })
        let pending = tasks.filter { $0.state == .pending }
        #expect(pending.contains { task in actual.pauses[task.id.number]?.last.map { ($0["end"] as Date?) == nil } ?? false },
                "pending tasks in a pause")
        #expect(pending.contains { $0.slaStage == .paused } && pending.contains { $0.slaStage == .breached })
        #expect(actual.pauses.values.joined().contains { ($0["end"] as Date?) != nil }, "pauses that ended")
    }
}
