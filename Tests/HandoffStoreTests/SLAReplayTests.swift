import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// Replaying a history in memory gives, change by change, the SLA fields and pauses the store's use
/// cases write for the same changes: through new cycles (a move, a reopening), pauses from creation,
/// pauses starting and ending at one instant, and a clock that stands still past its target.
struct SLAReplayTests {
    /// `lab` measures round the clock and also pauses in review and exception; `intake` measures office hours.
    static let policies = SLAPolicies(calendars: ["office": SLATestCalendar.office], policies: [
        "lab": SLAPolicy(queue: "lab", goals: [
            .init(priority: .stat, target: .hours(1), calendar: "24x7"),
            .init(priority: nil, target: .hours(8), calendar: "24x7"),
        ], pausedStates: [.pending, .review, .exception],
           thresholds: [.init(name: "warning", fraction: 0.75, actions: [.flag]), .init(name: "breach", fraction: 1, actions: [.flag])]),
        "intake": SLAPolicy(queue: "intake", goals: [
            .init(priority: .urgent, target: .hours(4), calendar: "office"),
            .init(priority: nil, target: .businessDays(2), calendar: "office"),
        ], thresholds: [.init(name: "warning", fraction: 0.75, actions: [.flag]), .init(name: "breach", fraction: 1, actions: [.flag])]),
    ])

    /// Wednesday 14 January 2026, 09:00 in Berlin, plus `minutes`.
    static func at(_ minutes: Double) -> Date { SLATestCalendar.local(1, 14, 9).addingTimeInterval(minutes * 60) }

    /// The task as the workflow returns it, before the store measures it.
    static func unmeasured(_ task: WorkTask) -> WorkTask {
        var task = task
        (task.slaCycle, task.slaCycleStart, task.slaStage, task.dueAt, task.slaNextAt, task.slaThreshold) = (1, nil, nil, nil, nil, nil)
        return task
    }

    @Test func aReplayedHistoryHasTheStoresSLAStateAtEveryChange() throws {
        let fixture = try StoreFixture()
        let store = fixture.store.measuring(Self.policies)
        let day = 24 * 60.0
        let history: [(String, TaskAction, Date)] = [
            ("sync", .resolveException(.requeue, note: "demographics arrived"), Self.at(10)),
            ("cora", .claim, Self.at(20)),
            ("cora", .start, Self.at(30)),
            ("cora", .pend(reason: "awaiting repeat specimen", expectedBy: nil), Self.at(40)),
            ("cora", .resume, Self.at(40)),
            // A second pause starting the instant the first ended is not recorded, as the store's key says.
            ("cora", .pend(reason: "awaiting repeat specimen", expectedBy: nil), Self.at(40)),
            ("sam", .escalate(reason: "waiting too long", priority: .urgent), Self.at(50)),
            ("sam", .move(toQueue: "intake", reason: "needs intake"), Self.at(120)),
            ("cora", .resume, Self.at(180)),
            ("cora", .note("still with the clinic"), Self.at(3 * day)),
            // Pending past the target: paused but breached, so the due time stays.
            ("cora", .pend(reason: "awaiting clinic reply", expectedBy: nil), Self.at(3 * day + 60)),
            ("cora", .note("chased the clinic"), Self.at(3 * day + 120)),
            ("cora", .resume, Self.at(4 * day)),
            ("cora", .complete, Self.at(4 * day + 30)),
            ("sam", .reopen(reason: "amended result"), Self.at(6 * day)),
            ("sam", .move(toQueue: "lab", reason: "clinical review needed"), Self.at(6 * day + 60)),
            ("sam", .reprioritise(.stat), Self.at(6 * day + 70)),
            ("nina", .claim, Self.at(6 * day + 80)),
            ("nina", .start, Self.at(6 * day + 90)),
            ("nina", .requestReview, Self.at(6 * day + 100)),
            ("zoe", .approve, Self.at(6 * day + 200)),
        ]

        let sync = try fixture.actor("sync")
        let created = try store.write {
            try $0.createTask(TaskDraft(queue: "lab", title: "Review sodium", kind: "lab-review",
                                        exception: ExceptionDetail(code: "missing_demographics")), by: sync, at: Self.at(0))
        }
        var replay = SLAReplay(meter: SLAMeter(policies: Self.policies), created: Self.unmeasured(created), at: Self.at(0))
        #expect(replay.measured() == created)
        var stages: [SLAStatus.Stage?] = [created.slaStage]
        for (name, action, time) in history {
            let actor = try fixture.actor(name)
            let changed = try store.write { try $0.perform(action, on: created.id, by: actor, at: time) }
            replay.changed(to: Self.unmeasured(changed), by: action.kind, at: time)
            #expect(replay.measured() == changed, "after \(action.kind.rawValue) at \(time)")
            stages.append(changed.slaStage)
        }

        let rows = try store.read { session in
            try Row.fetchAll(session.db, sql: "SELECT task, cycle, start, end FROM slaPause ORDER BY cycle, start")
        }
        let stored = rows.map {
            SLAPauseRecord(task: TaskID($0["task"]), cycle: $0["cycle"], pause: SLAClock.Pause(start: $0["start"], end: $0["end"]))
        }
        #expect(replay.pauses == stored)
        // The history does what it says.
        #expect(stored.map(\.cycle) == [1, 1, 2, 2, 4], "paused from creation and at 40 min; in intake, twice; in review")
        #expect(stored.filter { $0.pause.end == nil }.map(\.cycle) == [], "every pause ended")
        #expect(Set(stages.compactMap { $0 }) == [.paused, .running, .breached, .met])
        #expect(replay.measured().slaCycle == 4)
    }
}
