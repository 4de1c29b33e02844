import Foundation
import HandoffCore
import HandoffStore
import Logging

/// The escalation sweeper: a service account that acts when work crosses an SLA threshold or its
/// expected data is overdue, without anyone watching.
///
/// It reads only the tasks the `slaNextAt` index (and pending tasks past their expected-by time) point
/// at; each threshold is acted on once per task and SLA cycle, recorded in the same transaction as the
/// audited actions, so a restart repeats nothing and a backlog after an outage is worked through in
/// order, each threshold once.
public struct EscalationSweeper: Sendable {
    /// What one pass did.
    public struct Tally: Hashable, Sendable {
        public var tasks = 0
        public var crossings = 0
        public var actions = 0
        public var failures = 0
        public init() {}
    }

    public let actor: Actor
    /// The most tasks looked at in one pass (one transaction).
    public let batchSize: Int
    private let logger: Logger

    public init(actor: Actor, batchSize: Int = 200, logger: Logger = Logger(label: "handoff.sweeper")) {
        self.actor = actor
        self.batchSize = batchSize
        self.logger = logger
    }

    /// One pass over what is due by `now`, inside the caller's transaction.
    public func sweep(in session: StoreSession, at now: Date) throws -> Tally {
        var tally = Tally()
        for task in try session.tasksDueForSweep(at: now, limit: batchSize) {
            tally.tasks += 1
            guard let policy = session.slaPolicies.policy(for: task.queue) else {
                // No policy, nothing to do; note overdue pending work as seen, so it is not looked at again.
                if task.state == .pending, let expected = task.expectedBy {
                    try session.recordSweep(of: task.id, cycle: task.slaCycle, key: "overdue \(Timestamp.format(expected))", at: now)
                }
                try session.refreshSLA(of: task.id, at: now)
                continue
            }
            let status = try session.slaStatus(of: task, at: now)
            let done = try session.sweptKeys(of: task.id, cycle: task.slaCycle)
            let plan = EscalationPlan.plan(for: task, policy: policy, status: status, done: done, at: now)
            var current = task
            for crossing in plan.crossings {
                guard try session.recordSweep(of: task.id, cycle: task.slaCycle, key: crossing.key, at: now) else { continue }
                tally.crossings += 1
                let (actions, assignToSupervisor) = EscalationPlan.actions(for: crossing, on: current)
                for action in actions { try carryOut(action, on: &current, crossing: crossing, in: session, at: now, tally: &tally) }
                guard assignToSupervisor else { continue }
                // After a move, the supervisors of the queue the task is in now.
                let supervisors = try session.supervisorLoads(of: current.queue, excluding: task.id)
                switch EscalationPlan.supervisorAssignment(of: current, among: supervisors, reason: crossing.reason) {
                case let .assign(action):
                    try carryOut(action, on: &current, crossing: crossing, in: session, at: now, tally: &tally)
                case .alreadyOwned:
                    break
                case .noSupervisor:
                    logger.notice("escalation: no supervisor to assign to", metadata: [
                        "task": "\(task.id)", "queue": .string(current.queue), "threshold": .string(crossing.key)])
                }
            }
            try session.refreshSLA(of: task.id, at: now)
        }
        return tally
    }

    /// Applies one escalation action in a savepoint; a refusal by the rules (e.g. the task changed state
    /// meanwhile) is counted and logged, and the crossing stays recorded.
    private func carryOut(_ action: TaskAction, on current: inout WorkTask, crossing: EscalationPlan.Crossing,
                          in session: StoreSession, at now: Date, tally: inout Tally) throws {
        do {
            current = try session.savepoint { try session.perform(action, on: current.id, by: actor, at: now) }
            tally.actions += 1
        } catch let error where EventIngestor.isEventFailure(error) {
            tally.failures += 1
            logger.notice("escalation refused", metadata: ["task": "\(current.id)", "threshold": .string(crossing.key),
                                                          "error": .string(DisplayText.sanitize(String(describing: error)))])
        }
    }
}
