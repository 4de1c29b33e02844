import Foundation
@testable import HandoffApp
import HandoffCore
import HandoffStore
import HandoffTestSupport
import Testing

/// `handoff doctor`'s judgement over constructed facts.
struct DoctorRulesTests {
    static func file(_ path: String, mode: UInt32, group: String = "staff", groupID: UInt32 = 50, owner: String = "cora") -> FileFacts {
        FileFacts(path: path, owner: owner, group: group, groupID: groupID, mode: mode)
    }

    static let development = file("/home/cora/handoff/.build/debug/handoff", mode: 0o755)
    static let installed = file("/usr/local/bin/handoff", mode: 0o2755, group: "handoff", groupID: 990, owner: "root")

    // MARK: - Install

    @Test func aDevelopmentBinaryIsReportedNotFaulted() {
        let finding = DoctorRules.install(binary: Self.development)
        #expect(finding.status == .ok)
        #expect(finding.found.contains("development mode: not installed set-group-id"))
        #expect(finding.found.contains("cora:staff, mode 0755"))
        #expect(finding.fix == nil)
    }

    @Test func anInstalledBinaryIsSetGroupIDToHandoffAndWritableByItsOwnerOnly() {
        #expect(DoctorRules.install(binary: Self.installed).status == .ok)
        #expect(DoctorRules.install(binary: Self.installed).found.contains("installed set-group-id"))

        let groupWritable = DoctorRules.install(binary: Self.file("/usr/local/bin/handoff", mode: 0o2775, group: "handoff", owner: "root"))
        #expect(groupWritable.status == .problem)
        #expect(groupWritable.found.contains("writable by its group"))
        #expect(groupWritable.fix == "chmod go-w /usr/local/bin/handoff")

        let otherGroup = DoctorRules.install(binary: Self.file("/usr/local/bin/handoff", mode: 0o2755, group: "users", owner: "root"))
        #expect(otherGroup.status == .warning)
        #expect(otherGroup.fix?.contains("chgrp handoff /usr/local/bin/handoff") == true)
    }

    // MARK: - Files

    @Test func aDatabaseFileReadableByOthersIsAProblemWithItsChmod() {
        let finding = DoctorRules.databaseFile(Self.file("/srv/handoff/handoff.db", mode: 0o644), binary: Self.development)
        #expect(finding.status == .problem)
        #expect(finding.found.hasPrefix("/srv/handoff/handoff.db: cora:staff, mode 0644"))
        #expect(finding.found.contains("readable by others"))
        #expect(finding.fix == "chmod 660 /srv/handoff/handoff.db", "one chmod fixes both the others' and the group's bits")
    }

    @Test func theDefault0660IsFineAndAPrivate0600OnlyWarnsInDevelopment() {
        #expect(DoctorRules.databaseFile(Self.file("/srv/h.db", mode: 0o660), binary: Self.development).status == .ok)
        let own = DoctorRules.databaseFile(Self.file("/srv/h.db-wal", mode: 0o600), binary: Self.development)
        #expect(own.status == .warning)
        #expect(own.found.contains("its group cannot read and write it"))
        let installed = DoctorRules.databaseFile(Self.file("/srv/h.db-wal", mode: 0o600, group: "handoff", groupID: 990), binary: Self.installed)
        #expect(installed.status == .problem, "installed, the other users reach the file through the group")
    }

    @Test func theAuditKeyIsForTheGroupToReadAndNobodyElse() {
        #expect(DoctorRules.auditKeyFile(Self.file("/srv/h.db.audit-key", mode: 0o640), binary: Self.development).status == .ok)
        let open = DoctorRules.auditKeyFile(Self.file("/srv/h.db.audit-key", mode: 0o644), binary: Self.development)
        #expect(open.status == .problem && open.found.contains("readable by others: anyone who reads it can reseal"), "\(open.found)")
        #expect(open.fix == "chmod 640 /srv/h.db.audit-key")
        #expect(DoctorRules.auditKeyFile(Self.file("/srv/h.db.audit-key", mode: 0o660), binary: Self.development).status == .warning)
        let unreadable = DoctorRules.auditKeyFile(Self.file("/srv/h.db.audit-key", mode: 0o600, group: "handoff", groupID: 990), binary: Self.installed)
        #expect(unreadable.status == .problem, "installed, every user's handoff reads it through the group")
        let wrongGroup = DoctorRules.auditKeyFile(Self.file("/srv/h.db.audit-key", mode: 0o640), binary: Self.installed)
        #expect(wrongGroup.status == .problem && wrongGroup.fix == "chgrp handoff /srv/h.db.audit-key")
    }

    @Test func installedFilesAndDirectoryBelongToTheBinarysGroup() {
        let file = DoctorRules.databaseFile(Self.file("/var/lib/handoff/handoff.db", mode: 0o660, group: "staff", groupID: 50), binary: Self.installed)
        #expect(file.status == .problem)
        #expect(file.found.contains("its group is staff, not the binary's handoff"))
        #expect(file.fix == "chgrp handoff /var/lib/handoff/handoff.db")

        let directory = DoctorRules.dataDirectory(Self.file("/var/lib/handoff", mode: 0o2750, group: "handoff", groupID: 990), binary: Self.installed)
        #expect(directory.status == .problem)
        #expect(directory.fix == "chmod g+rwx /var/lib/handoff")
        #expect(DoctorRules.dataDirectory(Self.file("/var/lib/handoff", mode: 0o2770, group: "handoff", groupID: 990), binary: Self.installed).status == .ok)
    }

    @Test func aDirectoryOthersMayWriteIsAProblemAndPathsAreQuotedForTheShell() {
        let finding = DoctorRules.dataDirectory(Self.file("/tmp/my data", mode: 0o777), binary: Self.development)
        #expect(finding.status == .problem)
        #expect(finding.fix == "chmod o-w '/tmp/my data'")
        #expect(DoctorRules.dataDirectory(Self.file("/home/cora/.local/share/handoff", mode: 0o755), binary: Self.development).status == .ok)
    }

    // MARK: - Database

    @Test func walAndSynchronousFull() {
        #expect(DoctorRules.journal(mode: "wal").status == .ok)
        #expect(DoctorRules.journal(mode: "delete").status == .problem)
        #expect(DoctorRules.synchronous(level: 2).status == .ok)
        #expect(DoctorRules.synchronous(level: 2).found.hasPrefix("FULL"))
        #expect(DoctorRules.synchronous(level: 1).status == .problem)
        #expect(DoctorRules.synchronous(level: 1).found.hasPrefix("NORMAL"))
    }

    @Test func schemaReportsTheLastAppliedMigrationAndANewerDatabaseIsAProblem() {
        let known = ["v1", "v2", "v3"]
        let current = DoctorRules.schema(applied: ["v1", "v2", "v3"], known: known)
        #expect(current.status == .ok)
        #expect(current.found.hasPrefix("v3 (all 3 migrations"))
        let newer = DoctorRules.schema(applied: ["v1", "v2", "v3", "v4-later"], known: known)
        #expect(newer.status == .problem)
        #expect(newer.found.contains("v4-later"))
        let refused = DoctorRules.openFailure(.newerSchema(path: "/srv/h.db"), path: "/srv/h.db")
        #expect(refused.check == "schema" && refused.status == .problem)
        #expect(refused.fix?.contains("upgrade handoff") == true)
        let missing = DoctorRules.openFailure(.missing(path: "/srv/h.db"), path: "/srv/h.db")
        #expect(missing.fix?.hasPrefix("handoff init --db /srv/h.db") == true)
    }

    @Test(arguments: [("3.40.1", DoctorFinding.Status.warning), ("3.51.2", .warning), ("3.51.3", .ok), ("3.52.0", .ok), ("3.100.0", .ok)])
    func sqliteBeforeTheWALResetFixIsAWarning(version: String, expected: DoctorFinding.Status) {
        let finding = DoctorRules.sqliteLibrary(version: version)
        #expect(finding.status == expected)
        if expected == .warning {
            #expect(finding.found.contains("WAL-reset bug"))
            #expect(finding.fix == "upgrade libsqlite3 to 3.51.3 or later; meanwhile keep backups (handoff backup FILE)")
        }
    }

    // MARK: - Sync worker

    @Test func theWorkerIsRunningWhileItsHeartbeatIsRecent() throws {
        let fixture = try StoreFixture()
        let beat = fixture.start
        func finding(at now: Date) throws -> DoctorFinding {
            DoctorRules.syncWorker(try fixture.store.read { try SyncStatusReport.read($0, now: now) }, now: now)
        }
        let never = try finding(at: beat)
        #expect(never.status == .warning)
        #expect(never.found.contains("none has ever run"))
        #expect(never.fix?.contains("handoff sync") == true)

        try fixture.store.write { session in
            try session.setSyncValue("worker.heartbeat", Timestamp.format(beat), at: beat)
            try session.setSyncValue("worker.pid", "4242", at: beat)
            try session.setSyncValue("worker.status", "running", at: beat)
        }
        let recent = try finding(at: beat.addingTimeInterval(90))
        #expect(recent.status == .ok)
        #expect(recent.found == "running (pid 4242, running), last heartbeat 1m ago")
        let stale = try finding(at: beat.addingTimeInterval(DoctorRules.heartbeatLimit + 1))
        #expect(stale.status == .warning)
        #expect(stale.found == "no sync worker running: last heartbeat 2m ago, running")
    }

    @Test func openDeadLettersAreAWarningNamingTheCommand() {
        #expect(DoctorRules.deadLetters(open: 0).status == .ok)
        let some = DoctorRules.deadLetters(open: 3)
        #expect(some.status == .warning)
        #expect(some.found.hasPrefix("3 open"))
        #expect(some.fix?.hasPrefix("handoff deadletter list") == true)
    }

    @Test func outboundEventsWaitingWithoutAWorkingPublisherAreAWarning() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var report = OutboundStatusReport(source: "urn:x", emitting: true, spool: nil, newest: 10, delivered: 7, waiting: 3, oldestWaitingSeconds: 30,
                                          deliveredTotal: 7, pruned: 0, lastFile: nil, lastDeliveryAt: nil, heartbeat: nil, publisherPID: nil,
                                          publisherStatus: nil, lastError: nil, lastErrorAt: nil)
        #expect(DoctorRules.outbound(report, now: now).status == .ok, "just written: the publisher has not had its turn yet")
        report.oldestWaitingSeconds = 3_600
        let behind = DoctorRules.outbound(report, now: now)
        #expect(behind.status == .warning)
        #expect(behind.found == "3 events waiting for delivery, the oldest for 1h; no publisher has ever run")
        #expect(behind.fix?.contains("handoff outbound publish") == true)

        // Running and working through the backlog (or a replay): fine.
        report.heartbeat = now.addingTimeInterval(-5)
        report.publisherPID = "42"
        report.lastDeliveryAt = now.addingTimeInterval(-2)
        let catching = DoctorRules.outbound(report, now: now)
        #expect(catching.status == .ok && catching.found.contains("catching up (the oldest for 1h)"), "\(catching.found)")

        // Running but failing since its last delivery: told apart, with its error.
        report.lastError = "spool: cannot create /srv/out/x.tmp: Permission denied"
        report.lastErrorAt = now.addingTimeInterval(-1)
        let failing = DoctorRules.outbound(report, now: now)
        #expect(failing.status == .warning && failing.found.hasSuffix("publisher running (pid 42), failing: spool: cannot create /srv/out/x.tmp: Permission denied"))
        #expect(failing.fix?.hasPrefix("make the outbound spool writable") == true)
        // An error from before the last delivery is history, not a failure.
        report.lastErrorAt = now.addingTimeInterval(-60)
        #expect(DoctorRules.outbound(report, now: now).status == .ok)

        report.waiting = 0
        report.oldestWaitingSeconds = nil
        report.lastError = nil
        #expect(DoctorRules.outbound(report, now: now).found == "0 events waiting, delivered through 7; publisher running (pid 42)")
        report.emitting = false
        #expect(DoctorRules.outbound(report, now: now).found.hasPrefix("off (handoff outbound emit on); 0 events waiting"))
    }

    // MARK: - Report

    @Test func aReportIsAsBadAsItsWorstFindingAndDrawsEscapesAsText() {
        let report = DoctorReport(checks: [
            DoctorFinding(check: "journal", status: .ok, found: "wal"),
            DoctorFinding(check: "sync worker", status: .warning, found: "no worker", fix: "start it"),
        ])
        #expect(report.status == .warning && report.problems == 0)
        #expect(report.lines() == ["ok       journal      wal", "warning  sync worker  no worker — fix: start it"])
        let hostile = DoctorReport(checks: [DoctorFinding(check: "database file", status: .problem, found: "/tmp/\u{1B}]0;x\u{07}.db", fix: "chmod")])
        #expect(hostile.status == .problem && hostile.problems == 1)
        #expect(hostile.lines()[0].contains("/tmp/\\x1b]0;x\\x07.db") && !hostile.lines()[0].contains("\u{1B}"))
    }
}
