import Foundation

/// How a Handoff task becomes a FHIR R4 `Task` (and its audited changes `Provenance` resources). The
/// README's table states the same mapping; the tasks' patients are referenced, never named.
public enum FHIRTaskMapping {
    /// The code system of Handoff's own states, kept exactly in `businessStatus`.
    public static let stateSystem = "urn:handoff:task-state"
    /// The identifier system of Handoff task ids (`T-12`).
    public static let taskIdentifierSystem = "urn:handoff:task-id"
    /// The code system of Handoff's audited actions, in `Provenance.activity`.
    public static let actionSystem = "urn:handoff:action"
    /// The code system of exception codes, in `statusReason`.
    public static let exceptionSystem = "urn:handoff:exception-code"
    /// The identifier system of Handoff user names, for people and service accounts whose names are
    /// not FHIR ids.
    public static let userSystem = "urn:handoff:user"
    /// The code system of task kinds, in `code`.
    public static let kindSystem = "urn:handoff:task-kind"

    /// The FHIR `Task.status` of `task`: an exception resolved as failed is `failed`, not `cancelled`.
    public static func status(of task: WorkTask) -> String {
        switch task.state {
        case .queued: "requested"
        case .assigned: "accepted"
        case .inProgress, .review: "in-progress"
        case .pending, .exception: "on-hold"
        case .completed: "completed"
        case .cancelled: task.resolution == .failed ? "failed" : "cancelled"
        }
    }

    /// Handoff's state read back from a `businessStatus` this mapping wrote; `nil` for any other.
    public static func state(fromBusinessStatus status: FHIRCodeableConcept) -> TaskState? {
        status.coding?.first { $0.system == stateSystem }.flatMap { TaskState(rawValue: $0.code) }
    }

    /// The FHIR `Task` for `detail` (the task, its notes and history, the display names of its people).
    public static func task(_ detail: TaskDetail) -> FHIRTask {
        let task = detail.task
        let started = detail.history.first { ["claim", "assign", "start"].contains($0.entry.action) }?.entry.time
        let ended = task.state.isActive ? nil
            : detail.history.last { $0.entry.toState == task.state && $0.entry.fromState != task.state }?.entry.time
        var reason: FHIRCodeableConcept?
        switch task.state {
        case .pending:
            // FHIR's Task has no element for when awaited data is due: it goes with the reason, in words.
            reason = task.pendingReason.map { text in
                FHIRCodeableConcept(text: text + (task.expectedBy.map { " (expected by \(fhirDateTime($0)))" } ?? ""))
            }
        case .exception:
            reason = FHIRCodeableConcept(coding: task.exceptionCode.map { [FHIRCoding(system: exceptionSystem, code: $0)] },
                                         text: task.exceptionCode)
        default: break
        }
        let notes = detail.notes.map {
            FHIRAnnotation(authorString: detail.displayNames[$0.author] ?? $0.author, time: fhirDateTime($0.time), text: $0.text)
        }
        return FHIRTask(
            id: task.id.description,
            identifier: [FHIRIdentifier(system: taskIdentifierSystem, value: task.id.description)],
            status: status(of: task),
            statusReason: reason,
            businessStatus: FHIRCodeableConcept(coding: [FHIRCoding(system: stateSystem, code: task.state.rawValue,
                                                                    display: task.state.label)],
                                                text: task.state.label),
            intent: "order",
            priority: task.priority.rawValue,
            code: FHIRCodeableConcept(coding: [FHIRCoding(system: kindSystem, code: task.kind)]),
            description: task.title,
            focus: task.focus.map { FHIRReference(reference: $0.description) },
            for: task.subject.map { FHIRReference(reference: $0.description) },
            executionPeriod: started.map { FHIRPeriod(start: fhirDateTime($0), end: ended.map(fhirDateTime)) },
            authoredOn: fhirDateTime(task.createdAt),
            lastModified: fhirDateTime(task.updatedAt),
            owner: task.owner.map { person($0, display: detail.displayNames[$0], isService: false) },
            note: notes.isEmpty ? nil : notes,
            restriction: task.dueAt.map { FHIRTask.Restriction(period: FHIRPeriod(end: fhirDateTime($0))) }
        )
    }

    /// One `Provenance` per audited change of `detail`'s task (views are accesses, not changes).
    public static func provenance(_ detail: TaskDetail) -> [FHIRProvenance] {
        let id = detail.task.id.description
        return detail.history.filter { $0.entry.action != "view" }.map { record in
            let entry = record.entry
            return FHIRProvenance(
                id: "\(id)-\(record.seq)",
                target: [FHIRReference(reference: "Task/\(id)")],
                recorded: fhirDateTime(entry.time),
                activity: FHIRCodeableConcept(coding: [FHIRCoding(system: actionSystem, code: entry.action)]),
                agent: [FHIRProvenance.Agent(who: person(entry.actor, display: detail.displayNames[entry.actor], isService: entry.actorRole == .service))])
        }
    }

    /// A bundle of the tasks of `details`, each followed by its provenance when `withProvenance`.
    public static func bundle(_ details: [TaskDetail], withProvenance: Bool, at now: Date) -> FHIRBundle {
        FHIRBundle(timestamp: now, resources: details.flatMap { detail in
            [FHIRBundle.Resource.task(task(detail))] + (withProvenance ? provenance(detail).map(FHIRBundle.Resource.provenance) : [])
        })
    }

    /// A reference to a Handoff user (``Reference/user(_:isService:)``): literal when the name is a valid
    /// FHIR id, otherwise by identifier.
    static func person(_ name: String, display: String?, isService: Bool) -> FHIRReference {
        Reference.user(name, isService: isService).map { FHIRReference(reference: $0.description, display: display) }
            ?? FHIRReference(identifier: FHIRIdentifier(system: userSystem, value: name), display: display)
    }
}

extension FHIRTaskMapping {
    /// Refuses anyone but an admin or a service account: an export hands every selected task, its notes
    /// and who did what to another system.
    public static func checkExport(by actor: Actor) throws(TransitionError) {
        guard actor.has(.admin) || actor.has(.service) else {
            throw .invalidInput(field: "role", problem: "exporting tasks is for admins and service accounts; you have "
                + actor.roles.sorted().map(\.rawValue).joined(separator: ", "))
        }
    }
}
