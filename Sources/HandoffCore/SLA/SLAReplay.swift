import Foundation

/// One task's SLA state replayed in memory, change by change, exactly as the store keeps it when the
/// same changes go through its use cases: for giving a history made elsewhere (a generated workload) its
/// SLA fields and pauses without a database. ``SLAMeter`` decides, as it does for the store.
///
/// Pauses are kept as the store keeps them: one per cycle and start instant (a second pause starting at
/// the same instant of the same cycle is not recorded), and ending a pause ends every open pause of the
/// cycle. Times are kept as given, where the store keeps milliseconds. No threshold is ever recorded as
/// acted on: task changes alone never record one (only the escalation sweeper does, before it acts),
/// so the task is measured as if the sweeper had not run.
///
/// Cycles and pauses follow every change; the clock is read only for ``measured()``, at the last change,
/// and at earlier ones only as far back as a reading keeps values from the one before (see
/// ``SLAMeter/measure(_:pauses:done:at:)``): reading the clock is what costs.
public struct SLAReplay: Sendable {
    /// One version of the task, its SLA fields not yet measured, with what it is measured on.
    private struct Version: Sendable {
        var task: WorkTask
        /// The pauses of the task's cycle after the change.
        var pauses: [SLAClock.Pause]
        var time: Date
    }

    /// What decides the cycles, pauses and readings.
    public let meter: SLAMeter
    /// The task's pauses in every cycle so far, in the order they started.
    public private(set) var pauses: [SLAPauseRecord] = []
    private var versions: [Version] = []

    /// Starts replaying `task`, created at `now`, as the store's `createTask` does.
    public init(meter: SLAMeter, created task: WorkTask, at now: Date) {
        self.meter = meter
        var task = task
        meter.begin(&task, at: now)
        record(meter.pauseChange(task, previous: nil), of: task.id, at: now)
        versions.append(Version(task: task, pauses: pauses(in: task.slaCycle), time: now))
    }

    /// Replays the change `action` made at `now`, giving `task` as the workflow returned it, as the store's
    /// `perform` does. The replay keeps the SLA fields: those `task` brings are replaced.
    public mutating func changed(to task: WorkTask, by action: ActionKind, at now: Date) {
        let previous = versions[versions.count - 1].task
        var task = task
        task.slaCycle = previous.slaCycle
        task.slaCycleStart = previous.slaCycleStart
        meter.advanceCycle(&task, from: previous, by: action, at: now)
        record(meter.pauseChange(task, previous: previous), of: task.id, at: now)
        versions.append(Version(task: task, pauses: pauses(in: task.slaCycle), time: now))
    }

    /// The task as last changed, with the SLA fields the store would have given it.
    public func measured() -> WorkTask {
        // The last reading that does not depend on the one before it (or the creation's), then every
        // reading after it, each starting from the one before as the store's does.
        var first = versions.count - 1
        var task = versions[first].task
        while read(&task, versions[first]), first > 0 {
            first -= 1
            task = versions[first].task
        }
        for version in versions[(first + 1)...] {
            let before = task
            task = version.task
            (task.slaStage, task.dueAt, task.slaNextAt, task.slaThreshold) = (before.slaStage, before.dueAt, before.slaNextAt, before.slaThreshold)
            _ = read(&task, version)
        }
        return task
    }

    /// Reads the clock for `version` into `task`; whether the reading kept values from before.
    private func read(_ task: inout WorkTask, _ version: Version) -> Bool {
        meter.measure(&task, pauses: version.pauses, done: [], at: version.time)
    }

    private func pauses(in cycle: Int) -> [SLAClock.Pause] {
        pauses.filter { $0.cycle == cycle }.map(\.pause)
    }

    private mutating func record(_ change: SLAMeter.PauseChange, of task: TaskID, at now: Date) {
        switch change {
        case .none:
            break
        case let .start(cycle):
            guard !pauses.contains(where: { $0.cycle == cycle && $0.pause.start == now }) else { return }
            pauses.append(SLAPauseRecord(task: task, cycle: cycle, pause: SLAClock.Pause(start: now, end: nil)))
        case let .end(cycle):
            for index in pauses.indices where pauses[index].cycle == cycle && pauses[index].pause.end == nil {
                pauses[index].pause.end = now
            }
        }
    }
}
