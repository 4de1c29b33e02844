import Foundation
import HandoffCore

/// Draws the console's state into a frame: a pure function of the state, the size and the time.
struct ConsoleRenderer {
    let console: Console
    let now: Date

    /// The smallest terminal the console lays out in.
    static let minimumSize = (width: 60, height: 12)

    func render(width: Int, height: Int) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            let lines = ["Enlarge the window", "to at least \(Self.minimumSize.width)×\(Self.minimumSize.height)", "(now \(width)×\(height))"]
            for (index, line) in lines.enumerated() {
                let row = max(height / 2 - 1 + index, 0)
                buffer.put(line, row: row, column: max((width - DisplayText.width(line)) / 2, 0), role: .error)
            }
            return buffer
        }
        drawTitle(&buffer)
        let content = 2..<(height - 2)
        console.pageSize = max(content.count - 4, 1)
        switch console.screen {
        case .myWork: drawMyWork(&buffer, content)
        case .queues: drawQueues(&buffer, content)
        case .exceptions: drawExceptions(&buffer, content)
        case .deadLetters: drawDeadLetters(&buffer, content)
        case .dashboard: drawDashboard(&buffer, content)
        case .drillDown: drawDrillDown(&buffer, content)
        case .audit: drawAudit(&buffer, content)
        case .detail: drawDetail(&buffer, content)
        case .help: drawHelp(&buffer, content)
        }
        drawHints(&buffer, row: height - 2)
        drawMessage(&buffer, row: height - 1)
        return buffer
    }

    // MARK: - Frame

    private func drawTitle(_ buffer: inout ScreenBuffer) {
        buffer.fill(row: 0, role: .title)
        let product = " Handoff "
        var tabs: [(screen: Console.Screen, label: String, short: String)] = [
            (.myWork, "1 My work", "1 Mine"), (.queues, "2 Queues", "2 Queues"), (.exceptions, "3 Exceptions", "3 Except"),
        ]
        if console.data.actor.has(.admin) { tabs.append((.deadLetters, "4 Dead letters", "4 Dead")) }
        if console.isOverseer { tabs.append((.dashboard, "5 Dashboard", "5 Dash")) }
        if console.mayReadAudit { tabs.append((.audit, "6 Audit", "6 Audit")) }
        let actor = console.data.actor
        let live = console.livePaused ? "‖ paused" : "● live"
        let mode = console.options.readOnly ? " · read-only" : ""
        let who = "\(actor.name) (\(Role.format(actor.roles)))"
        let full = "\(who) · \(console.data.databaseName) · \(live)\(mode) "
        // The sync worker's state goes first when it fits; the database name gives way to it (or, without
        // sync, to the live state), then the tabs shorten their names.
        let brief = "\(who) · \(live)\(mode) "
        let candidates = console.syncLine.map { ["\($0)   \(full)", "\($0)   \(brief)"] } ?? [full, brief]
        let tabsWidth = { (short: Bool) in tabs.reduce(DisplayText.width(product) + 1) { $0 + DisplayText.width(short ? $1.short : $1.label) + 3 } }
        let width = buffer.width
        let fits = { (tabs: Int) in candidates.first { DisplayText.width($0) <= width - tabs - 1 } }
        let short = fits(tabsWidth(false)) == nil && fits(tabsWidth(true)) != nil
        var column = buffer.put(product, row: 0, column: 0, role: .title) + 1
        for tab in tabs {
            let label = short ? tab.short : tab.label
            let current = console.listScreen == tab.screen || (tab.screen == .dashboard && console.listScreen == .drillDown)
            column += buffer.put(current ? "[\(label)]" : " \(label) ", row: 0, column: column, role: current ? .selection : .title) + 1
        }
        let right = fits(column) ?? full
        let start = max(buffer.width - DisplayText.width(right), column + 1)
        buffer.put(right, row: 0, column: start, role: .title)
    }

    private func drawHints(_ buffer: inout ScreenBuffer, row: Int) {
        buffer.fill(row: row, role: .status)
        let keys = console.bindings
        var hints: [String] = []
        if let task = console.selectedTask, console.screen != .help {
            for action in console.availableActions(on: task) {
                guard let command = KeyBindings.Command.allCases.first(where: { $0.action == action }) else { continue }
                hints.append("\(keys.label(command)) \(action == .assign ? "reassign" : action.rawValue)")
            }
        }
        switch console.screen {
        case .deadLetters: hints += ["r replay", "D discard", "↑↓ move"]
        case .dashboard: hints += ["←→↑↓ choose a number", "Enter list its tasks", "\(keys.label(.refresh)) reload"]
        case .drillDown: hints += ["Enter open", "Esc dashboard", "\(keys.label(.mark)) mark"]
        case .audit: hints += ["t open its task", "\(keys.label(.filter)) filter", "↑↓ move"]
        case .detail: hints += ["Esc back", "↑↓ scroll"]
        case .help: hints = ["any key: back"]
        default:
            hints += ["Enter open", "\(keys.label(.next)) next", "\(keys.label(.filter)) filter", "\(keys.label(.mark)) mark"]
            if console.screen == .queues { hints.append("←→ queue") }
            if console.screen != .myWork { hints.append("\(keys.label(.sort)) sort: \(console.sort.rawValue)") }
        }
        hints += ["\(keys.label(.help)) help", "\(keys.label(.quit)) quit"]
        buffer.put(" " + hints.joined(separator: "  "), row: row, column: 0, role: .status)
    }

    private func drawMessage(_ buffer: inout ScreenBuffer, row: Int) {
        let filterText = console.listScreen == .audit ? console.auditFilter : console.filterText
        switch console.input {
        case let .filter(text):
            buffer.put("/" + text, row: row, column: 0)
            buffer.cursor = (row, min(1 + DisplayText.width(text), buffer.width - 1))
        case let .command(text):
            buffer.put(":" + text, row: row, column: 0)
            buffer.cursor = (row, min(1 + DisplayText.width(text), buffer.width - 1))
        case let .form(form):
            let width = buffer.put(form.prompt, row: row, column: 0, role: .header)
            buffer.cursor = (row, min(width, buffer.width - 1))
        case nil:
            if let message = console.message {
                buffer.put(message.text, row: row, column: 0, role: message.isError ? .error : nil)
            } else if !filterText.isEmpty {
                buffer.put("filter: " + filterText + "   (Esc clears)", row: row, column: 0, role: .muted)
            }
        }
    }

    // MARK: - Lists

    private func drawMyWork(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        buffer.put("My work — what you own, most urgent first, then the next unassigned work", row: 1, column: 1, role: .muted)
        drawTable(&buffer, area: area)
    }

    private func drawExceptions(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        buffer.put("Exceptions in your queues — \(console.total) open", row: 1, column: 1, role: .muted)
        let side = buffer.width >= 110 ? 42 : 0
        drawTable(&buffer, area: area, width: buffer.width - side, exceptionCodes: true)
        guard side > 0, let task = console.selectedTask else { return }
        let column = buffer.width - side + 1
        var row = area.lowerBound
        buffer.put("Reason", row: row, column: column, role: .header)
        row += 1
        buffer.put(task.exceptionCode ?? "—", row: row, column: column, role: .state(.exception), maxWidth: side - 2)
        row += 2
        buffer.put("Context", row: row, column: column, role: .header)
        row += 1
        for (key, value) in task.exceptionContext.sorted(by: { $0.key < $1.key }) where row < area.upperBound {
            buffer.put("\(key): \(value)", row: row, column: column, maxWidth: side - 2)
            row += 1
        }
        row += 1
        if row < area.upperBound {
            buffer.put("Enter: full detail   \(console.bindings.label(.resolveException)): resolve", row: row, column: column, role: .muted, maxWidth: side - 2)
        }
    }

    private func drawQueues(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        let queues = console.queues
        guard !queues.isEmpty else {
            buffer.put("You belong to no queue yet — ask an admin (handoff queues members QUEUE --add \(console.data.actor.name))",
                       row: area.lowerBound, column: 1, role: .muted)
            return
        }
        let states = TaskState.allCases.filter(\.isActive)
        let nameWidth = min(max(queues.map { DisplayText.width($0.name) }.max() ?? 5, 5), 26)
        var header = DisplayText.fit("QUEUE", cells: nameWidth) + "  " + DisplayText.fit("OPEN", cells: 6)
        for state in states { header += "  " + DisplayText.fit(state.rawValue.uppercased(), cells: 11) }
        buffer.put(" " + header, row: 1, column: 0, role: .header)
        var row = area.lowerBound
        let shown = min(queues.count, max(area.count / 3, 2))
        let first = min(max(console.queueIndex - shown + 1, 0), max(queues.count - shown, 0))
        for index in first..<min(first + shown, queues.count) {
            let queue = queues[index]
            var line = DisplayText.fit(queue.name, cells: nameWidth) + "  " + DisplayText.fit(String(queue.openCount), cells: 6)
            for state in states { line += "  " + DisplayText.fit(String(queue.counts[state] ?? 0), cells: 11) }
            let current = index == console.queueIndex
            buffer.put((current ? "▸" : " ") + line, row: row, column: 0, role: current ? .header : nil)
            row += 1
        }
        let queue = queues[console.queueIndex]
        let position = console.rows.isEmpty ? "" : " · \(console.selected + 1 + console.windowOffset) of \(console.total)"
        buffer.put("\(queue.title)\(queue.requiresReview ? " (review required)" : "")\(position)", row: row, column: 1, role: .muted)
        drawTable(&buffer, area: (row + 1)..<area.upperBound)
    }

    func drawTable(_ buffer: inout ScreenBuffer, area: Range<Int>, width: Int? = nil, exceptionCodes: Bool = false) {
        guard area.count >= 2 else { return }
        let width = width ?? buffer.width
        let columns = TableLayout(width: width, exceptionCodes: exceptionCodes)
        buffer.put(columns.header, row: area.lowerBound, column: 0, role: .header, maxWidth: width)
        let body = (area.lowerBound + 1)..<area.upperBound
        let rows = console.rows
        if rows.isEmpty {
            let empty = console.filterText.isEmpty ? "Nothing here." : "No task matches the filter — Esc clears it."
            buffer.put(empty, row: body.lowerBound, column: 2, role: .muted)
            return
        }
        // Keep the selection in view.
        if console.selected < console.top { console.top = console.selected }
        if console.selected >= console.top + body.count { console.top = console.selected - body.count + 1 }
        console.top = min(max(console.top, 0), max(rows.count - 1, 0))
        for (offset, index) in (console.top..<min(console.top + body.count, rows.count)).enumerated() {
            let row = body.lowerBound + offset
            switch rows[index] {
            case let .heading(title):
                buffer.put(title, row: row, column: 1, role: .header, maxWidth: width - 1)
            case let .task(task):
                let isSelected = index == console.selected && console.screen != .detail
                columns.draw(task, into: &buffer, row: row, now: now, marked: console.marked.contains(task.id),
                             changed: console.changed.contains(task.id), selected: isSelected, arrow: console.options.arrowCursor)
                if isSelected { buffer.cursor = (row, 0) }
            }
        }
    }

    // MARK: - Detail

    private func drawDetail(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        guard let detail = console.detail else { return }
        let task = detail.task
        buffer.put("\(task.id)  \(task.title)", row: 1, column: 1, role: .header)
        var lines: [(String, ThemeRole?)] = []
        func person(_ name: String) -> String { detail.displayNames[name].map { "\($0) (\(name))" } ?? name }
        lines.append(("State      \(task.state.rawValue) — \(task.state.label)", .state(task.state)))
        lines.append(("Priority   \(task.priority.rawValue)\(task.escalated ? " ▲ escalated" : "")", .priority(task.priority)))
        lines.append(("Queue      \(task.queue)    Kind  \(task.kind)", nil))
        lines.append(("Owner      \(task.owner.map(person) ?? "— unassigned")", nil))
        if let subject = task.subject {
            lines.append(("Patient    \(task.subjectDisplay ?? "")  \(subject)", nil))
        }
        if let focus = task.focus { lines.append(("Focus      \(focus)", nil)) }
        if let key = task.correlationKey { lines.append(("Correlates \(key)", nil)) }
        lines.append(("Created    \(Timestamp.format(task.createdAt))  (\(RelativeTime.format(from: task.createdAt, to: now)) ago)", nil))
        lines.append(("Updated    \(Timestamp.format(task.updatedAt)) by \(person(task.updatedBy)) · version \(task.version)", .muted))
        if let reason = task.pendingReason {
            let due = task.expectedBy.map { "  expected by \(Timestamp.format($0))\($0 < now ? " — OVERDUE" : "")" } ?? ""
            lines.append(("Waiting    \(reason)\(due)", .state(.pending)))
        }
        if let code = task.exceptionCode {
            lines.append(("Exception  \(code)", .state(.exception)))
            for (key, value) in task.exceptionContext.sorted(by: { $0.key < $1.key }) {
                lines.append(("           \(key): \(value)", nil))
            }
        }
        if let outcome = task.resolution { lines.append(("Resolution \(outcome.rawValue)", nil)) }
        if let reason = task.cancelReason { lines.append(("Cancelled  \(reason)", nil)) }
        if let trace = task.traceID { lines.append(("Trace      \(trace)", .muted)) }
        lines.append(("", nil))
        lines.append(("Notes (\(detail.notes.count))", .header))
        for note in detail.notes {
            lines.append(("  \(RelativeTime.format(from: note.time, to: now)) ago  \(person(note.author)): \(note.text)", nil))
        }
        lines.append(("", nil))
        lines.append(("History", .header))
        for record in detail.history.reversed() {
            let entry = record.entry
            let move = entry.fromState == entry.toState ? "" : "  \(entry.fromState?.rawValue ?? "·") → \(entry.toState?.rawValue ?? "·")"
            let extra = entry.detailText
            lines.append(("  \(Timestamp.format(entry.time))  \(person(entry.actor)) [\(entry.actorRole.rawValue)]  \(entry.action)\(move)  \(extra)",
                          entry.action == "view" ? .muted : nil))
        }
        console.detailScroll = min(console.detailScroll, max(lines.count - area.count, 0))
        for (offset, line) in lines.dropFirst(console.detailScroll).prefix(area.count).enumerated() {
            buffer.put(line.0, row: area.lowerBound + offset, column: 1, role: line.1, maxWidth: buffer.width - 2)
        }
        buffer.cursor = (1, 0)
    }

    // MARK: - Help

    private func drawDeadLetters(_ buffer: inout ScreenBuffer, _ whole: Range<Int>) {
        let letters = console.letters
        buffer.put("Dead letters — \(letters.count) open: events the worker could not apply (r replay after a fix, D discard)",
                   row: 1, column: 1, role: .muted)
        let panel = console.syncPanel.prefix(max(whole.count - 6, 0))
        for (offset, line) in panel.enumerated() {
            buffer.put(line, row: whole.lowerBound + offset, column: 1, role: line.hasPrefix("last error") ? .error : nil)
        }
        let area = (whole.lowerBound + panel.count + (panel.isEmpty ? 0 : 1))..<whole.upperBound
        guard !letters.isEmpty else {
            buffer.put("Nothing waits: every event received was applied, ignored by the routes, or is still waiting for its task.",
                       row: area.lowerBound, column: 1, role: .muted)
            return
        }
        let side = buffer.width >= 100 ? min(buffer.width / 2, buffer.width - 72) : 0
        let width = buffer.width - side
        let header = " " + DisplayText.fit("ID", cells: 5) + " " + DisplayText.fit("REASON", cells: 26) + " "
            + DisplayText.fit("TYPE", cells: 24) + " " + DisplayText.fit("SEEN", cells: 5) + " TRIES"
        buffer.put(header, row: area.lowerBound, column: 0, role: .header, maxWidth: width)
        let visible = area.count - 1
        let first = min(max(console.letterIndex - visible + 1, 0), max(letters.count - visible, 0))
        for (offset, letter) in letters.dropFirst(first).prefix(visible).enumerated() {
            let row = area.lowerBound + 1 + offset
            let current = first + offset == console.letterIndex
            let line = (current ? "▸" : " ") + DisplayText.fit(String(letter.id), cells: 5) + " "
                + DisplayText.fit(letter.reason.rawValue, cells: 26) + " " + DisplayText.fit(letter.type ?? "—", cells: 24) + " "
                + DisplayText.fit(RelativeTime.format(from: letter.firstSeen, to: now), cells: 5) + " " + String(letter.attempts)
            buffer.put(line, row: row, column: 0, role: current ? .selection : nil, maxWidth: width)
            if current { buffer.cursor = (row, 0) }
        }
        guard side > 0, let letter = console.selectedLetter else { return }
        let column = width + 1
        var row = area.lowerBound
        let facts = [
            ("Reason", letter.reason.rawValue), ("Detail", letter.detail), ("Event", "\(letter.type ?? "—") \(letter.eventID ?? "(no id)")"),
            ("Source", letter.source ?? "—"), ("Via", letter.transport), ("First seen", Timestamp.format(letter.firstSeen)),
        ]
        for (label, value) in facts where row < area.upperBound {
            buffer.put(DisplayText.fit(label, cells: 11) + value, row: row, column: column, maxWidth: side - 2)
            row += 1
        }
        row += 1
        if row < area.upperBound { buffer.put("Raw event (control characters shown escaped)", row: row, column: column, role: .header); row += 1 }
        let raw = Array(DisplayText.sanitize(String(letter.raw.prefix(4_000))))
        var index = 0
        while row < area.upperBound, index < raw.count {
            let chunk = String(raw[index..<min(index + side - 2, raw.count)])
            buffer.put(chunk, row: row, column: column, role: .muted, maxWidth: side - 2)
            index += side - 2
            row += 1
        }
    }

    private func drawHelp(_ buffer: inout ScreenBuffer, _ area: Range<Int>) {
        let keys = console.bindings
        buffer.put("Keys", row: 1, column: 1, role: .header)
        var lines = [
            "↑↓ j k  move        PgUp PgDn  page        g G  first, last        Enter  open        Esc  back, clear filter",
            "1 2 3 4 5 6 Tab  My work, Queues, Exceptions, Dead letters (admins), Dashboard, Audit (supervisors)",
            "←→ h l  previous, next queue (on Queues)",
            "\(keys.label(.next))  next task: your assigned work, else claim the most urgent queued task",
            "\(keys.label(.filter))  filter as you type: words, state:pending owner:me priority:stat patient:nunez",
            "\(keys.label(.command))  command: :queue NAME  :task T-12  :assign USER  :theme NAME  :dash  :audit  :quit  (Tab completes)",
            "\(keys.label(.sort))  sort the list: priority, age, updated, state, patient, title, owner",
            "\(keys.label(.mark))  mark tasks for a bulk action (e.g. reassign)     \(keys.label(.pause))  pause live updates     \(keys.label(.refresh))  reload",
            "",
            "Actions (offered only when the rules allow them for you):",
        ]
        let actions = KeyBindings.Command.allCases.filter { $0.action != nil }
        for chunk in stride(from: 0, to: actions.count, by: 4) {
            lines.append("  " + actions[chunk..<min(chunk + 4, actions.count)].map {
                DisplayText.fit("\(keys.label($0))  \($0.rawValue)", cells: 26)
            }.joined())
        }
        lines += ["", "Dead letters (admins):  r  replay with the current routes     D  discard with a reason",
                  "Dashboard (:dash):  ←→↑↓  choose a number     Enter  list the tasks behind it     Esc  back to the dashboard",
                  "Audit (:audit):  newest first, ! marks break-glass     \(keys.label(.filter))  filter by task, actor, action     t  open the record's task",
                  "", "\(keys.label(.help))  this help     \(keys.label(.quit))  quit (or back from a task)     Ctrl-C  quit"]
        for (offset, line) in lines.prefix(area.count).enumerated() {
            buffer.put(line, row: area.lowerBound + offset, column: 1)
        }
    }
}
