import Foundation
import HandoffTestSupport
import Testing

/// Every task action of the command line, by every role, as the task's owner, in the task's queue and
/// outside it, run through the built binary with `--as USER`: what the rules allow succeeds and changes the
/// task as the action says; the rest exits 1 with one line naming what is missing and changes nothing.
///
/// Who may do what is stated again here, from the team's domain model (`domain.md`, "Actions") and the
/// README's refinements of it ("States and actions"), in ``Party`` and ``Action/who``; the test never asks
/// the code under test (the core's transition table) what to expect. Each cell gets a task of its own, made
/// by `handoff seed` from sample files written here: the seeder replays each task's history (claim, start,
/// …) through the real workflow, so every task is in a state from which its action is legal, and the only
/// reason to refuse is who acts. One process run per cell; the tasks are read with `sqlite3` before and after.
///
/// Break-glass: a person outside the queue is refused `task show` (a cell of the matrix) unless they give a
/// reason, which the audit and the queue's supervisor dashboard then show; having opened the task, acting
/// on it is still refused without a reason of its own, and allowed with one (`--break-glass`), audited too.
struct PermissionMatrixTests {
    // MARK: - The rules, restated

    /// The roles, in the order the command line lists them.
    enum Role: String, CaseIterable, Comparable {
        case coordinator, nurse, supervisor, admin, service

        static func < (lhs: Role, rhs: Role) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }

        /// Roles that work tasks with their own hands and so may own them by claiming.
        var isWorker: Bool { self == .coordinator || self == .nurse }
    }

    /// How the acting user stands towards the task: owning it (as a member or supervisor of its queue), in its
    /// queue (a member; a supervisor of it, for supervisors) without owning it, or in another queue only.
    enum Relation: String {
        case owner
        case inQueue = "in queue"
        case outside = "another queue only"
    }

    /// The parties of the domain table's "who may" column.
    enum Party: Hashable {
        /// "members of the queue": a coordinator or nurse who is a member of the task's queue.
        case member
        /// "owner": whoever owns the task.
        case owner
        /// "a clinical reviewer (nurse role) other than the owner", of the task's queue.
        case reviewer
        /// "supervisor": of the task's queue (the README: "Supervisors means supervisors of the task's queue").
        case supervisor
        /// "admin": any admin.
        case admin
        /// "the sync worker", "the escalation sweeper": a service account.
        case service

        /// Whether someone with `role` standing in `relation` to the task is this party.
        func admits(_ role: Role, _ relation: Relation) -> Bool {
            switch self {
            case .member: role.isWorker && relation != .outside
            case .owner: relation == .owner
            case .reviewer: role == .nurse && relation == .inQueue
            case .supervisor: role == .supervisor && relation != .outside
            case .admin: role == .admin
            case .service: role == .service
            }
        }

        /// The roles this party is made of (the owner aside: anyone may own).
        var roles: Set<Role> {
            switch self {
            case .member: [.coordinator, .nurse]
            case .owner: []
            case .reviewer: [.nurse]
            case .supervisor: [.supervisor]
            case .admin: [.admin]
            case .service: [.service]
            }
        }

        /// Whether the party needs a place in the task's queue besides a role.
        var needsQueue: Bool { self == .member || self == .reviewer || self == .supervisor }
    }

    /// The queues of the fixture: the task's queue (with or without clinical review) and the outsiders' queue.
    static let plainQueue = "plain-work"
    static let reviewQueue = "review-work"
    static let otherQueue = "other-work"

    /// A coordinator member who owns the tasks that the acting user does not own.
    static let holder = "holder"
    /// A coordinator member that assign and reassign give tasks to.
    static let spare = "spare"

    /// Each command-line task action, with its rule and what it does to the task.
    enum Action: String, CaseIterable, CustomTestStringConvertible {
        case create, show, note, reprioritise, reopen, claim, assign, reassign, release, start, pend, resume
        case requestReview = "request-review", approve, `return`, complete
        case raiseException = "raise-exception", resolveException = "resolve-exception", cancel, escalate, move

        var testDescription: String { rawValue }

        /// Who may: the domain table's column, with the README's refinements where the code refines it.
        var who: Set<Party> {
            switch self {
            // "coordinator, nurse, supervisor, admin of the queue by hand; the sync worker by routing".
            case .create: [.member, .supervisor, .admin, .service]
            // Opening a task: its people, admins and services; anyone else only by breaking the glass (README).
            case .show: [.member, .owner, .supervisor, .admin, .service]
            // "anyone who may see the task; the sync worker".
            case .note: [.member, .owner, .supervisor, .admin, .service]
            // "supervisor, admin; the sync worker; the escalation sweeper".
            case .reprioritise: [.supervisor, .admin, .service]
            // "supervisor, admin; the sync worker".
            case .reopen: [.supervisor, .admin, .service]
            // "members of the queue".
            case .claim: [.member]
            // "supervisor of the queue, admin"; the README adds services (the sweeper's assign-to-supervisor).
            case .assign, .reassign: [.supervisor, .admin, .service]
            // "owner, supervisor, admin".
            case .release: [.owner, .supervisor, .admin]
            // "owner".
            case .start, .requestReview, .complete: [.owner]
            // "owner, supervisor; the sync worker".
            case .pend, .resume: [.owner, .supervisor, .service]
            // "a clinical reviewer (nurse role) other than the owner".
            case .approve: [.reviewer]
            // "a clinical reviewer; the sync worker".
            case .return: [.reviewer, .service]
            // "owner, or the sync worker".
            case .raiseException: [.owner, .service]
            // "nurse/coordinator members of the exception queue, supervisor; the sync worker".
            case .resolveException: [.member, .supervisor, .service]
            // "supervisor, admin, or the sync worker".
            case .cancel: [.supervisor, .admin, .service]
            // "the escalation sweeper (service account) …; supervisor by hand".
            case .escalate: [.supervisor, .service]
            // Not in domain.md's table; the README: "supervisors, admins, services".
            case .move: [.supervisor, .admin, .service]
            }
        }

        /// The action's name in refusals (`reassign` is the assign action).
        var kind: String {
            switch self {
            case .reassign: "assign"
            case .show: "view"
            default: rawValue
            }
        }

        /// The action's name in the audit.
        var audited: String { self == .show ? "view" : rawValue }

        /// The queue the task is prepared in: review work where the action belongs to review.
        var queue: String {
            switch self {
            case .requestReview, .approve, .return: PermissionMatrixTests.reviewQueue
            default: PermissionMatrixTests.plainQueue
            }
        }

        /// The state the task is prepared in, one the domain table allows the action from, and whether it
        /// has an owner there; `nil` for create.
        var prepared: (state: String, owned: Bool)? {
            switch self {
            case .create: nil
            case .claim, .assign: ("queued", false)
            case .show, .reprioritise, .reassign, .release, .start, .cancel, .escalate, .move: ("assigned", true)
            case .note, .pend, .requestReview, .complete, .raiseException: ("in-progress", true)
            case .resume: ("pending", true)
            case .approve, .return: ("review", true)
            case .resolveException: ("exception", true)
            case .reopen: ("completed", true)
            }
        }

        /// The command line for this action on `task` (for create: a new task titled `title`).
        func arguments(task: String, title: String) -> [String] {
            switch self {
            case .create: ["task", "create", "--queue", queue, "--title", title, "--kind", "matrix-check"]
            case .show: ["task", "show", task]
            case .note: ["task", "note", task, "Called the lab back"]
            case .reprioritise: ["task", "reprioritise", task, "--priority", "urgent"]
            case .reopen: ["task", "reopen", task, "--reason", "Amended result"]
            case .claim, .release, .start, .resume, .requestReview, .approve, .complete: ["task", rawValue, task]
            case .assign: ["task", "assign", task, "--to", PermissionMatrixTests.spare]
            case .reassign: ["task", "reassign", task, "--to", PermissionMatrixTests.spare, "--reason", "Covering a sick day"]
            case .pend: ["task", "pend", task, "--reason", "Awaiting the payer"]
            case .return: ["task", "return", task, "--note", "Repeat the test first"]
            case .raiseException: ["task", "raise-exception", task, "--code", "missing_data", "--context", "field=address"]
            case .resolveException: ["task", "resolve-exception", task, "--outcome", "completed", "--note", "Address confirmed"]
            case .cancel: ["task", "cancel", task, "--reason", "Duplicate referral"]
            case .escalate: ["task", "escalate", task, "--reason", "Due within the hour"]
            case .move: ["task", "move", task, "--to", PermissionMatrixTests.otherQueue, "--reason", "Belongs to the other team"]
            }
        }

        /// The task after `actor` took the action, from the domain table's "from → to" column.
        func after(_ before: TaskSnapshot, by actor: String) -> TaskSnapshot {
            var task = before
            task.version += 1
            task.auditRecords += 1
            task.lastAudit = "\(audited) \(actor)"
            switch self {
            case .create: break
            case .show: task.version = before.version
            case .note: task.notes += 1
            case .reprioritise: task.priority = "urgent"
            case .reopen, .release: (task.state, task.owner) = ("queued", "")
            case .claim: (task.state, task.owner) = ("assigned", actor)
            case .assign: (task.state, task.owner) = ("assigned", PermissionMatrixTests.spare)
            case .reassign: task.owner = PermissionMatrixTests.spare
            case .start, .resume: task.state = "in-progress"
            case .return: (task.state, task.notes) = ("in-progress", before.notes + 1) // "(with a note)"
            case .pend: task.state = "pending"
            case .requestReview: task.state = "review"
            case .approve, .complete: task.state = "completed"
            case .resolveException: (task.state, task.notes) = ("completed", before.notes + 1) // "resolution outcome + note"
            case .raiseException: task.state = "exception"
            case .cancel: task.state = "cancelled"
            case .escalate: task.escalated = true
            case .move: task.queue = PermissionMatrixTests.otherQueue
            }
            return task
        }

        /// Who stands in which relation for this action: owners only where the prepared task has an owner,
        /// and only for roles that can own work (workers by claiming, supervisors by being given it).
        var actors: [(role: Role, relation: Relation)] {
            Role.allCases.flatMap { role in
                let owns = prepared?.owned == true && (role.isWorker || role == .supervisor)
                return ((owns ? [Relation.owner] : []) + [.inQueue, .outside]).map { (role: role, relation: $0) }
            }
        }
    }

    /// Why a cell is refused: the most specific thing missing, in the words the command line uses.
    enum Refusal: Equatable {
        /// The role would do, but the user has no place in the task's queue.
        case notInQueue
        /// Only the task's owner may (said to workers, who could own it, and where nobody but the owner may).
        case notOwner
        /// None of the user's roles may; these would.
        case roles(needs: [Role])
        /// A reviewer looking at their own work.
        case ownWork

        /// The refusal, if any, of `role` standing in `relation` to the task, by the restated rules.
        static func of(_ action: Action, by role: Role, _ relation: Relation) -> Refusal? {
            let who = action.who
            if who.contains(where: { $0.admits(role, relation) }) { return nil }
            if who.contains(.reviewer), role == .nurse, relation == .owner { return .ownWork }
            if relation == .outside, who.contains(where: { $0.needsQueue && $0.roles.contains(role) }) { return .notInQueue }
            if who.contains(.owner), role.isWorker || who == [.owner] { return .notOwner }
            return .roles(needs: who.reduce(into: Set<Role>()) { $0.formUnion($1.roles) }.sorted())
        }

        /// Phrases the one-line refusal must contain, for `action` on `task` in `queue` owned by `owner`.
        func words(_ action: Action, task: String, queue: String, owner: String, role: Role) -> [String] {
            switch self {
            case .notInQueue where action == .show:
                ["\(task) is in queue \(queue), which you do not belong to", "break the glass with a reason", "--break-glass"]
            case .notInQueue:
                ["cannot \(action.kind): you are not a member of queue \(queue)"]
            case .notOwner:
                ["only the owner (\(owner)) may \(action.kind) \(task)"]
            case let .roles(needs):
                ["\(action.kind) is not permitted for your roles (\(role.rawValue)); it needs \(needs.map(\.rawValue).joined(separator: " or "))"]
            case .ownWork:
                // The message reads "you may not approve T-n: …" for return as well.
                [task, "a reviewer may not approve their own work"]
            }
        }
    }

    // MARK: - The fixture

    /// The acting user for a role and relation (an owner is the in-queue user, given the task).
    static func user(_ role: Role, _ relation: Relation) -> String {
        "\(role.rawValue)-\(relation == .outside ? "out" : "in")"
    }

    /// The fixture's people: for each role one user of the task queues and one of the other queue only;
    /// the holder and the spare are coordinators of the task queues.
    static var sampleUsers: [[String: Any]] {
        let matrix = Role.allCases.flatMap { role in
            [Relation.inQueue, .outside].map { relation -> [String: Any] in
                ["name": user(role, relation), "display": "Matrix \(role.rawValue)", "roles": [role.rawValue]]
            }
        }
        return matrix + [holder, spare].map { ["name": $0, "display": "Matrix \($0)", "roles": ["coordinator"]] }
    }

    /// The fixture's queues: each user is a member of their queues, the supervisor their supervisor.
    static var sampleQueues: [[String: Any]] {
        func queue(_ name: String, review: Bool, _ relation: Relation, also: [String]) -> [String: Any] {
            ["name": name, "title": name, "requiresReview": review, "supervisors": [user(.supervisor, relation)],
             "members": Role.allCases.filter { $0 != .supervisor }.map { user($0, relation) } + also]
        }
        return [queue(plainQueue, review: false, .inQueue, also: [holder, spare]),
                queue(reviewQueue, review: true, .inQueue, also: [holder, spare]),
                queue(otherQueue, review: false, .outside, also: [])]
    }

    /// A seeded world: users in and out of the queues, and one task per cell.
    struct World {
        let home = DemoStateDirectory("handoff-permission-matrix")
        var db: String { home.state.file("matrix.db") }

        /// Writes the sample files and seeds them as a demo database (where `--as` works).
        init(tasks: [[String: Any]]) throws {
            let folder = home.state.file("sample")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let files: [(String, [[String: Any]])] = [("users.yaml", PermissionMatrixTests.sampleUsers),
                                                      ("queues.yaml", PermissionMatrixTests.sampleQueues),
                                                      ("patients.yaml", []), ("tasks.yaml", tasks)]
            for (file, value) in files {
                // JSON is YAML: the seeder reads it as it reads the sample files.
                try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
                    .write(to: URL(fileURLWithPath: folder + "/" + file))
            }
            try expectSuccess(home.handoff(["seed", "--demo", "--from", folder, "--db", db]))
        }

        /// Runs `handoff` on the world's database, as `user` when given (else as the invoking admin).
        func handoff(_ arguments: [String], as user: String? = nil) throws -> CommandResult {
            try home.handoff(arguments + ["--db", db] + (user.map { ["--as", $0] } ?? []))
        }

        func sqlite(_ sql: String) throws -> String { try home.sqlite(sql, in: db) }

        /// Every task as stored now, by title.
        func tasks() throws -> [String: TaskSnapshot] {
            let rows = try sqlite("""
                SELECT t.id, t.title, t.queue, t.state, coalesce(t.owner, ''), t.version, t.priority, t.escalated,
                       (SELECT count(*) FROM audit a WHERE a.task = t.id), (SELECT count(*) FROM note n WHERE n.task = t.id),
                       coalesce((SELECT a.action || ' ' || a.actor FROM audit a WHERE a.task = t.id ORDER BY a.seq DESC LIMIT 1), '')
                FROM task t
                """)
            var tasks: [String: TaskSnapshot] = [:]
            for row in rows.split(separator: "\n") {
                let field = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard field.count == 11, let version = Int(field[5]), let audits = Int(field[8]), let notes = Int(field[9]) else {
                    throw UnexpectedResult(description: "unexpected task row: \(row)")
                }
                tasks[field[1]] = TaskSnapshot(id: "T-\(field[0])", queue: field[2], state: field[3], owner: field[4], version: version,
                                               priority: field[6], escalated: field[7] == "1", auditRecords: audits, notes: notes,
                                               lastAudit: field[10])
            }
            return tasks
        }

        func auditCount() throws -> Int {
            guard let count = Int(try sqlite("SELECT count(*) FROM audit")) else { throw UnexpectedResult(description: "no audit count") }
            return count
        }
    }

    /// A task as the test reads it with `sqlite3`.
    struct TaskSnapshot: Equatable, CustomStringConvertible {
        var id: String
        var queue: String
        var state: String
        var owner: String
        var version: Int
        var priority: String
        var escalated: Bool
        var auditRecords: Int
        var notes: Int
        var lastAudit: String

        var description: String {
            "\(id) \(queue) \(state) owner=\(owner) v\(version) \(priority)\(escalated ? " escalated" : "")"
                + " audit=\(auditRecords) notes=\(notes) last=\(lastAudit)"
        }
    }

    /// One cell: an action by a role in a relation to its own task.
    struct Cell: CustomStringConvertible {
        let action: Action
        let role: Role
        let relation: Relation
        var user: String { PermissionMatrixTests.user(role, relation) }
        var title: String { "\(action.rawValue) by \(role.rawValue) (\(relation.rawValue))" }
        var refusal: Refusal? { Refusal.of(action, by: role, relation) }
        var description: String { title }

        /// Who owns the task before the action: the acting user when they are its owner, else the holder.
        var owner: String? {
            guard action.prepared?.owned == true else { return nil }
            return relation == .owner ? user : PermissionMatrixTests.holder
        }

        /// The sample task the seeder makes for this cell. A supervisor cannot claim, so their task is
        /// seeded for the holder and given to them before the run (see ``PermissionMatrixTests/prepare(_:in:)``).
        var sampleTask: [String: Any]? {
            guard let prepared = action.prepared else { return nil }
            let supervisorOwns = relation == .owner && role == .supervisor
            var task: [String: Any] = ["queue": action.queue, "kind": "matrix-check", "title": title, "priority": "routine",
                                       "createdAgo": "2h", "createdBy": PermissionMatrixTests.holder,
                                       "state": supervisorOwns && prepared.state == "completed" ? "in-progress" : prepared.state]
            if let owner { task["owner"] = supervisorOwns ? PermissionMatrixTests.holder : owner }
            if prepared.state == "pending" { task["pending"] = ["reason": "Awaiting the payer", "expectedIn": "2d"] }
            if prepared.state == "exception" { task["exception"] = ["code": "missing_data", "context": ["field": "address"]] }
            return task
        }
    }

    /// Gives a supervisor's task to them (the seeder claims, which supervisors may not): reassigned by the
    /// invoking admin in the state it was seeded in; a completed one is completed by the supervisor.
    static func prepare(_ cell: Cell, in world: World) throws {
        guard cell.relation == .owner, cell.role == .supervisor, let prepared = cell.action.prepared else { return }
        let id = try #require(try world.tasks()[cell.title]).id
        try expectSuccess(world.handoff(["task", "reassign", id, "--to", cell.user, "--reason", "Preparing the matrix"]))
        if prepared.state == "completed" { try expectSuccess(world.handoff(["task", "complete", id], as: cell.user)) }
    }

    // MARK: - The matrix

    /// One action's row of the matrix: every role as owner (where it can own), in the queue and outside it,
    /// each on a task of its own in one seeded database.
    @Test("Every role in and out of the task's queue", arguments: Action.allCases)
    func matrix(_ action: Action) throws {
        let cells = action.actors.map { Cell(action: action, role: $0.role, relation: $0.relation) }
        try #require(cells.contains { $0.refusal == nil } && cells.contains { $0.refusal != nil },
                     "each action has cells that succeed and cells that are refused")
        let world = try World(tasks: cells.compactMap(\.sampleTask))
        for cell in cells { try Self.prepare(cell, in: world) }
        let before = try world.tasks()
        let auditBefore = try world.auditCount()
        for cell in cells where action != .create {
            let task = try #require(before[cell.title], "\(cell): seeded")
            try #require(task.state == cell.action.prepared?.state && task.owner == (cell.owner ?? ""), "\(cell): prepared as \(task)")
        }

        var results: [String: CommandResult] = [:]
        for cell in cells {
            let id = before[cell.title]?.id ?? ""
            results[cell.title] = try world.handoff(action.arguments(task: id, title: cell.title), as: cell.user)
        }

        let after = try world.tasks()
        for cell in cells {
            let result = try #require(results[cell.title])
            if let refusal = cell.refusal {
                #expect(result.status == 1, "\(cell) should be refused (\(refusal)): \(result)")
                #expect(result.stderr.hasPrefix("handoff: ") && result.stderr.split(separator: "\n").count == 1, "\(cell): \(result)")
                let words = refusal.words(action, task: before[cell.title]?.id ?? "", queue: action.queue,
                                          owner: cell.owner ?? "", role: cell.role)
                for phrase in words {
                    #expect(result.stderr.contains(phrase), "\(cell): expected '\(phrase)' in: \(result.stderr)")
                }
                #expect(after[cell.title] == before[cell.title], "\(cell): a refusal changes nothing")
            } else {
                #expect(result.status == 0, "\(cell) should succeed: \(result)")
                if action == .create {
                    let created = try #require(after[cell.title], "\(cell): the task exists")
                    #expect((created.queue, created.state, created.owner, created.auditRecords, created.lastAudit)
                        == (action.queue, "queued", "", 1, "create \(cell.user)"), "\(cell): \(created)")
                } else {
                    let task = try #require(before[cell.title])
                    #expect(after[cell.title] == action.after(task, by: cell.user), "\(cell): from \(task)")
                }
            }
        }
        let allowed = cells.filter { $0.refusal == nil }.count
        #expect(try world.auditCount() == auditBefore + allowed, "one audit record per allowed cell, none for a refusal")
    }

    // MARK: - Break-glass

    /// The outsiders who may break the glass: people without a place in the queue (admins and services
    /// see every task without it).
    static let outsiders: [Role] = [.coordinator, .nurse, .supervisor]

    /// Each outsider breaks the glass on a task of their own: the view is audited with the reason, acting is
    /// still refused, and the dashboard shows the three accesses to the queue's supervisor and admins only.
    @Test func breakingTheGlassIsAuditedShownToTheQueuesSupervisorsAndEachActionNeedsAReasonOfItsOwn() throws {
        let titles = Self.outsiders.map { "Opened in an emergency by a \($0.rawValue)" } + ["Opened as usual"]
        let world = try World(tasks: titles.map { title in
            ["queue": Self.plainQueue, "kind": "matrix-check", "title": title, "priority": "stat", "createdAgo": "1h",
             "createdBy": Self.holder, "state": "assigned", "owner": Self.holder]
        })
        let tasks = try world.tasks()
        // An ordinary view by someone of the queue breaks no glass.
        let usual = try #require(tasks["Opened as usual"])
        try expectSuccess(world.handoff(["task", "show", usual.id], as: Self.user(.coordinator, .inQueue)))

        var expected: Set<[String]> = []
        for (role, title) in zip(Self.outsiders, titles) {
            let user = Self.user(role, .outside)
            let task = try #require(tasks[title])
            let reason = "Patient in ED, \(role.rawValue) covering, team unreachable"
            let opened = try expectSuccess(world.handoff(["task", "show", task.id, "--break-glass", reason, "--format", "json"], as: user))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
            #expect((json["task"] as? [String: Any])?["id"] as? String == task.id, "\(user): \(opened.stdout)")
            #expect(try world.sqlite("""
                SELECT actor || '|' || actorRole || '|' || json_extract(detail, '$.breakGlass') FROM audit
                WHERE task = \(task.id.dropFirst(2)) AND action = 'view' ORDER BY seq DESC LIMIT 1
                """) == "\(user)|\(role.rawValue)|\(reason)")
            expected.insert([user, task.id, Self.plainQueue, reason])

            // Opening breaks the glass for reading only: each action needs a reason of its own.
            let seen = try world.tasks()[title]
            #expect(seen?.version == task.version && seen?.lastAudit == "view \(user)", "opening changes no task: \(String(describing: seen))")
            let note = try world.handoff(["task", "note", task.id, "Called the ward"], as: user)
            #expect(note.status == 1, "\(user): \(note)")
            #expect(note.stderr.contains("cannot note: you are not a member of queue \(Self.plainQueue)"), "\(user): \(note)")
            #expect(try world.tasks()[title] == seen, "\(user): the refused note changes nothing")
            try expectSuccess(world.handoff(["task", "note", task.id, "Called the ward", "--break-glass", reason], as: user))
            #expect(try world.sqlite("""
                SELECT action || '|' || actor || '|' || json_extract(detail, '$.breakGlass') FROM audit
                WHERE task = \(task.id.dropFirst(2)) ORDER BY seq DESC LIMIT 1
                """) == "note|\(user)|\(reason)")
        }
        #expect(try world.sqlite("SELECT count(*) FROM audit WHERE json_extract(detail, '$.breakGlass') IS NOT NULL") == "\(2 * Self.outsiders.count)",
                "each opening and each action")

        /// The break-glass list of the dashboard as `user` sees it.
        func breakGlass(as user: String?) throws -> [[String]] {
            let result = try expectSuccess(world.handoff(["dashboard", "--format", "json"], as: user))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
            let entries = try #require(json["breakGlass"] as? [[String: Any]], "\(result.stdout)")
            return entries.map { entry in ["user", "task", "queue", "reason"].map { entry[$0] as? String ?? "?" } }
        }
        let supervised = try breakGlass(as: Self.user(.supervisor, .inQueue))
        #expect(Set(supervised) == expected && supervised.count == expected.count,
                "the queue's supervisor sees every task opened or acted on by break-glass, once, with its latest reason")
        #expect(Set(try breakGlass(as: nil)) == expected, "an admin sees them too")
        #expect(try breakGlass(as: Self.user(.supervisor, .outside)).isEmpty, "another queue's supervisor does not")
    }
}
