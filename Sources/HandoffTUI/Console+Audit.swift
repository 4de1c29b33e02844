import Foundation
import HandoffCore

/// The audit screen: the audit records the actor may read (``AuditAccess``: admins every record, supervisors
/// those of the tasks in the queues they supervise), newest first, narrowed as a filter is typed; `t` opens
/// a record's task.
extension Console {
    /// How many of the newest records the screen loads.
    static let auditLimit = 500
    /// How often the audit screen is re-read while shown; changes normally arrive sooner, as database changes.
    static let auditRefresh: TimeInterval = 15

    /// Whether ``AuditAccess`` lets the actor read any of the audit log.
    var mayReadAudit: Bool { (try? AuditAccess.of(data.actor)) != nil }

    /// The record under the cursor.
    var selectedAudit: StoredAudit? {
        auditShown.indices.contains(auditIndex) ? auditShown[auditIndex] : nil
    }

    /// Shows the newest audit records to those ``AuditAccess`` lets read them; tells anyone else why not.
    func openAudit() {
        do throws(TransitionError) {
            _ = try AuditAccess.of(data.actor)
        } catch {
            return show(error.description, isError: true)
        }
        auditFilter = ""
        auditShown = []
        auditIndex = 0
        auditTop = 0
        switchScreen(.audit)
    }

    func loadAudit() throws {
        let keep = selectedAudit?.seq
        auditRecords = try data.auditLog(AuditQuery(limit: Self.auditLimit))
        auditLoadedAt = options.now()
        rows = []
        total = auditRecords.count
        narrowAudit(keeping: keep, otherwise: auditIndex)
    }

    /// Applies audit filter text as it is typed: the records whose task, actor or action contains it.
    func filterAudit(_ text: String) {
        auditFilter = text
        narrowAudit(keeping: selectedAudit?.seq, otherwise: 0)
    }

    /// Recomputes the records shown, keeping the selection on record `seq` if it is still shown, else at `index`.
    private func narrowAudit(keeping seq: Int64?, otherwise index: Int) {
        let needle = Self.folded(auditFilter.trimmingCharacters(in: .whitespaces))
        auditShown = needle.isEmpty ? auditRecords : auditRecords.filter { record in
            let entry = record.entry
            return [entry.taskID?.description ?? "", entry.actor, entry.action].contains { Self.folded($0).contains(needle) }
        }
        let kept = seq.flatMap { seq in auditShown.firstIndex { $0.seq == seq } }
        auditIndex = kept ?? min(index, max(auditShown.count - 1, 0))
    }

    private static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// Handles a key meant for the audit screen; `false` leaves it to the console.
    func handleAuditKey(_ key: Key) -> Bool {
        let last = max(auditShown.count - 1, 0)
        switch key {
        case .up, .character("k"): auditIndex = max(auditIndex - 1, 0)
        case .down, .character("j"): auditIndex = min(auditIndex + 1, last)
        case .pageUp: auditIndex = max(auditIndex - pageSize, 0)
        case .pageDown: auditIndex = min(auditIndex + pageSize, last)
        case .home, .character("g"): auditIndex = 0
        case .end, .character("G"): auditIndex = last
        case .enter, .character("t"): openAuditedTask()
        case .escape where !auditFilter.isEmpty: filterAudit("")
        default: return false
        }
        return true
    }

    /// Opens the selected record's task, by the ordinary path (itself recorded as an access).
    private func openAuditedTask() {
        guard let record = selectedAudit else { return show("no audit record selected", isError: true) }
        guard let task = record.entry.taskID else {
            return show("record \(record.seq) (\(record.entry.action)) is not about a task", isError: true)
        }
        openDetail(task)
    }
}
