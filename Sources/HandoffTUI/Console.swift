import Foundation
import HandoffCore

/// The console's state and behaviour: keys in, frames out. Runs on the UI thread only.
///
/// It holds no curses and no SQL: it reads and changes data through ``ConsoleData`` and draws
/// into a ``ScreenBuffer``, so every screen can be tested without a terminal.
public final class Console {
    /// The console's top-level screens.
    public enum Screen: Equatable, Sendable {
        case myWork, queues, exceptions, deadLetters, dashboard, drillDown, audit, detail, help
    }

    /// One line of a task list: a section heading or a task.
    enum Row: Equatable {
        case heading(String)
        case task(WorkTask)

        var task: WorkTask? {
            if case let .task(task) = self { return task }
            return nil
        }
    }

    /// What the bottom line is taking input for.
    enum Input {
        case filter(String)
        case command(String)
        case form(Form)
    }

    let data: ConsoleData
    let options: ConsoleOptions
    let bindings: KeyBindings

    public private(set) var screen: Screen
    var listScreen: Screen
    var rows: [Row] = []
    var selected = 0
    var top = 0
    var total = 0
    /// How many tasks of the list lie before the loaded window.
    var windowOffset = 0
    var queues: [QueueInfo] = []
    var queueIndex = 0
    var filterText = ""
    var filter = TaskFilter()
    /// The order of the Queues and Exceptions lists.
    public private(set) var sort: TaskSort = .priority
    var detail: TaskDetail?
    /// The emergency reason the open detail was opened with, outside the actor's queues.
    var breakGlassReason: String?
    var detailScroll = 0
    var marked: Set<TaskID> = []
    var changed: Set<TaskID> = []
    var versions: [TaskID: Int] = [:]
    var input: Input?
    var accessCache: [String: QueueAccess] = [:]
    public private(set) var livePaused = false
    public private(set) var message: (text: String, isError: Bool)?
    /// Set when the user asked to leave.
    public private(set) var wantsToQuit = false
    /// The open dead letters (admins' integration screen) and the selected one.
    var letters: [DeadLetterItem] = []
    var letterIndex = 0
    /// The sync worker's state for the title bar.
    var syncLine: String?
    /// The sync worker's counters for the integration screen.
    var syncPanel: [String] = []
    /// The supervisor dashboard as last loaded, and when.
    var dashboard: SupervisorDashboard?
    var dashboardLoadedAt: Date?
    /// The dashboard's selectable numbers as last drawn (line by line, with their columns), and the selected one.
    var dashboardCells: [[(figure: DashboardFigure, column: Int)]] = []
    var dashboardSelection: DashboardFigure?
    /// The number whose tasks the drill-down lists.
    var drillFigure: DashboardFigure?
    /// The audit records the actor may read as last loaded (newest first), and when.
    var auditRecords: [StoredAudit] = []
    var auditLoadedAt: Date?
    /// The audit screen's filter text, the records it keeps, the selected one and the first one drawn.
    var auditFilter = ""
    var auditShown: [StoredAudit] = []
    var auditIndex = 0
    var auditTop = 0
    /// Rows of the list area in the last frame, for paging.
    var pageSize = 20

    /// How many tasks a list loads at a time: a few screens, read well within one frame's 16 ms on a
    /// million-task database (200 took up to 16 ms there).
    static let pageLimit = 100
    /// The most rows kept loaded; beyond it the far end is dropped and reloaded on demand.
    static let windowLimit = 1_000

    public init(data: ConsoleData, options: ConsoleOptions = ConsoleOptions(), bindings: KeyBindings = .defaults) {
        self.data = data
        self.options = options
        self.bindings = bindings
        let overseer = data.actor.has(.supervisor) || data.actor.has(.admin)
        screen = overseer ? .queues : .myWork
        listScreen = screen
    }

    // MARK: - Loading

    /// Loads the current screen's data, keeping the selection on the same task. Queue counts are
    /// re-read unless `countsToo` is false (filtering, sorting and switching queues do not change them).
    public func reload(live: Bool = false, countsToo: Bool = true) {
        let keep = selectedTask?.id
        do {
            if countsToo || queues.isEmpty { queues = try data.queues() }
            if queueIndex >= queues.count { queueIndex = max(queues.count - 1, 0) }
            accessCache = [:]
            switch listScreen {
            case .myWork: try loadMyWork()
            case .queues, .exceptions: try loadPage(after: nil)
            case .deadLetters: try loadDeadLetters()
            case .dashboard: try loadDashboard()
            case .drillDown: try loadDrillDown()
            case .audit: try loadAudit()
            default: break
            }
            syncLine = try data.syncLine()
            if screen == .detail, let current = detail {
                let fresh = try data.refresh(current.task.id, breakGlass: breakGlassReason)
                if fresh.task.version != current.task.version {
                    show("\(fresh.task.id) was changed by \(fresh.task.updatedBy) — showing the new version", isError: false)
                }
                detail = fresh
            }
        } catch {
            show(String(describing: error), isError: true)
        }
        markChanges(live: live)
        select(keep)
    }

    private func loadMyWork() throws {
        let me = data.actor.name
        let mine = try data.tasks(applying(TaskFilter(owner: me, limit: Self.pageLimit)))
        let next = try data.tasks(applying(TaskFilter(states: [.queued], unownedOnly: true, limit: 50)))
        rows = [.heading("Your work (\(mine.count))")] + mine.map(Row.task)
            + [.heading("Next unassigned in your queues")] + next.map(Row.task)
        total = mine.count + next.count
    }

    /// The list filter for the current list screen, with the typed filter applied.
    func listFilter() -> TaskFilter {
        var base = TaskFilter(sort: sort, limit: Self.pageLimit)
        switch listScreen {
        case .queues: base.queue = queues.isEmpty ? nil : queues[queueIndex].name
        case .exceptions: base.states = [.exception]
        default: break
        }
        return applying(base)
    }

    private func applying(_ base: TaskFilter) -> TaskFilter {
        var result = base
        result.states = filter.states.map { states in base.states.map { $0.intersection(states) } ?? states } ?? base.states
        result.owner = filter.owner ?? base.owner
        result.unownedOnly = base.unownedOnly || filter.unownedOnly
        result.priority = filter.priority ?? base.priority
        result.search = base.search + filter.search
        if let queue = filter.queue, base.queue == nil { result.queue = queue }
        return result
    }

    /// Loads the first page, or the page after a task (keyset paging: no offsets, no full reads).
    private func loadPage(after: TaskID?) throws {
        if listScreen == .queues, queues.isEmpty {
            rows = []
            total = 0
            return
        }
        var page = listFilter()
        page.after = after
        let tasks = try data.tasks(page)
        if after == nil {
            rows = tasks.map(Row.task)
            windowOffset = 0
            total = try data.count(listFilter())
        } else {
            rows += tasks.map(Row.task)
            if rows.count > Self.windowLimit {
                let drop = rows.count - Self.windowLimit
                rows.removeFirst(drop)
                windowOffset += drop
                selected -= drop
                top = max(top - drop, 0)
            }
        }
    }

    /// Loads the page before the first loaded row when the window was trimmed at its start.
    private func loadPageBefore() throws {
        guard windowOffset > 0, let first = rows.first?.task else { return }
        var page = listFilter()
        page.before = first.id
        let tasks = try data.tasks(page)
        guard !tasks.isEmpty else { return }
        rows = tasks.map(Row.task) + rows
        windowOffset = max(windowOffset - tasks.count, 0)
        selected += tasks.count
        top += tasks.count
        if rows.count > Self.windowLimit { rows.removeLast(rows.count - Self.windowLimit) }
    }

    private func markChanges(live: Bool) {
        var seen: [TaskID: Int] = [:]
        for case let .task(task) in rows { seen[task.id] = task.version }
        if live {
            for (id, version) in seen where versions[id].map({ $0 != version }) ?? true { changed.insert(id) }
        }
        versions.merge(seen) { $1 }
    }

    private func select(_ id: TaskID?) {
        if let id, let index = rows.firstIndex(where: { $0.task?.id == id }) {
            selected = index
        } else {
            selected = min(selected, max(rows.count - 1, 0))
        }
        skipHeadings(forward: true)
    }

    /// Moves the selection off a heading: onwards in `forward` direction, else back the other way.
    private func skipHeadings(forward: Bool) {
        guard !rows.isEmpty else { selected = 0; return }
        let start = min(max(selected, 0), rows.count - 1)
        let ahead = forward ? Array(start..<rows.count) : Array((0...start).reversed())
        let behind = forward ? Array((0..<start).reversed()) : Array((start + 1)..<rows.count)
        selected = (ahead + behind).first { rows[$0].task != nil } ?? start
    }

    /// The task under the cursor, if any.
    public var selectedTask: WorkTask? {
        if screen == .detail { return detail?.task }
        return rows.indices.contains(selected) ? rows[selected].task : nil
    }

    // MARK: - Live updates

    /// Called when another session or the worker changed the database.
    public func databaseChanged() {
        guard !livePaused else { return }
        reload(live: true)
    }

    func show(_ text: String, isError: Bool) {
        message = (text, isError)
    }

    /// Re-reads a screen that is read on a timer while shown (the dashboard, the audit log) once it has grown
    /// stale; `true` when the frame must be redrawn.
    public func tick() -> Bool {
        guard !livePaused else { return false }
        let loaded: Date?
        let interval: TimeInterval
        switch screen {
        case .dashboard: (loaded, interval) = (dashboardLoadedAt, Self.dashboardRefresh)
        case .audit: (loaded, interval) = (auditLoadedAt, Self.auditRefresh)
        default: return false
        }
        guard let loaded, options.now().timeIntervalSince(loaded) >= interval else { return false }
        reload(live: true)
        return true
    }

    // MARK: - Keys

    /// Handles one key press.
    public func handle(_ key: Key) {
        if let input { return handleInput(key, input) }
        if key == .resize { return }
        if screen == .help {
            screen = listScreenOrDetail
            return
        }
        if key == .control("c") { wantsToQuit = true; return }
        if screen == .deadLetters, handleDeadLetterKey(key) { return }
        if screen == .dashboard, handleDashboardKey(key) { return }
        if screen == .audit, handleAuditKey(key) { return }
        switch key {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: move(by: -pageSize)
        case .pageDown: move(by: pageSize)
        case .home: move(by: -selected)
        case .end: move(by: rows.count)
        case .left where screen == .queues: switchQueue(by: -1)
        case .right where screen == .queues: switchQueue(by: 1)
        case .tab: switchScreen(next(after: listScreen))
        case .enter: openSelected()
        case .escape: back()
        case let .character(character): handleCharacter(character)
        default: break
        }
    }

    private var listScreenOrDetail: Screen { detail != nil ? .detail : listScreen }

    private func next(after screen: Screen) -> Screen {
        switch screen {
        case .myWork: .queues
        case .queues: .exceptions
        case .exceptions where data.actor.has(.admin): .deadLetters
        case .exceptions where isOverseer, .deadLetters where isOverseer: .dashboard
        case .dashboard where mayReadAudit: .audit
        default: .myWork
        }
    }

    private func handleCharacter(_ character: Character) {
        // Vi-style movement keys, fixed.
        switch character {
        case "j": return move(by: 1)
        case "k": return move(by: -1)
        case "g": return move(by: -selected)
        case "G": return move(by: rows.count)
        case "h" where screen == .queues: return switchQueue(by: -1)
        case "l" where screen == .queues: return switchQueue(by: 1)
        default: break
        }
        guard let command = bindings.command(for: character) else {
            show("'\(character)' does nothing here — press ? for help", isError: true)
            return
        }
        switch command {
        case .quit: screen == .detail ? back() : (wantsToQuit = true)
        case .help: screen = .help
        case .myWork: switchScreen(.myWork)
        case .queues: switchScreen(.queues)
        case .exceptions: switchScreen(.exceptions)
        case .deadLetters: openDeadLetters()
        case .dashboard: openDashboard()
        case .audit: openAudit()
        case .filter: input = .filter(screen == .audit ? auditFilter : filterText)
        case .command: input = .command("")
        case .pause:
            livePaused.toggle()
            show(livePaused ? "Live updates paused — press \(bindings.label(.pause)) to resume" : "Live updates resumed", isError: false)
            if !livePaused { reload(live: true) }
        case .refresh:
            changed = []
            reload()
        case .mark: toggleMark()
        case .sort:
            let orders = TaskSort.allCases
            sort = orders[(orders.firstIndex(of: sort)! + 1) % orders.count]
            show("sorted by \(sort.rawValue)", isError: false)
            selected = 0
            top = 0
            reload(countsToo: false)
        case .next: claimNext()
        default:
            if let action = command.action { startAction(action, command: command) }
        }
    }

    private func move(by delta: Int) {
        if screen == .detail {
            detailScroll = max(detailScroll + delta, 0)
            return
        }
        guard !rows.isEmpty else { return }
        var target = selected + delta
        if target >= rows.count, windowOffset + rows.count < total, listScreen != .myWork, let last = rows.last?.task {
            do { try loadPage(after: last.id) } catch { show(String(describing: error), isError: true) }
            markChanges(live: false)
            // Loading may have trimmed the window's start, moving the selection's index with it.
            target = selected + delta
        }
        if target < 0, listScreen != .myWork {
            do { try loadPageBefore() } catch { show(String(describing: error), isError: true) }
            target = selected + delta
        }
        selected = min(max(target, 0), rows.count - 1)
        skipHeadings(forward: delta >= 0)
        if let id = selectedTask?.id { changed.remove(id) }
    }

    private func switchQueue(by delta: Int) {
        guard !queues.isEmpty else { return }
        queueIndex = (queueIndex + delta + queues.count) % queues.count
        selected = 0
        top = 0
        reload(countsToo: false)
    }

    func switchScreen(_ target: Screen) {
        detail = nil
        breakGlassReason = nil
        screen = target
        listScreen = target
        selected = 0
        top = 0
        reload()
    }

    private func openSelected() {
        guard screen != .detail, let task = selectedTask else { return }
        openDetail(task.id)
    }

    /// Opens task `id`'s detail; outside the actor's queues, asks for an emergency reason first (break-glass).
    func openDetail(_ id: TaskID, breakGlass: String? = nil) {
        do {
            detail = try data.open(id, breakGlass: breakGlass)
            breakGlassReason = breakGlass
            detailScroll = 0
            screen = .detail
            if breakGlass != nil { show("break-glass access to \(id) recorded: your supervisors see it", isError: true) }
        } catch let TransitionError.breakGlassRequired(task, queue) {
            input = .form(Form(title: "\(task) is in \(queue), outside your queues. Break the glass only in an emergency", fields: [
                .init(label: "emergency reason (recorded, shown to supervisors)", kind: .text(required: true)),
                .init(label: "open it", kind: .confirm),
            ]) { .success(.breakGlass(task, reason: $0[0])) })
        } catch {
            show(String(describing: error), isError: true)
        }
    }

    private func back() {
        if screen == .drillDown {
            switchScreen(.dashboard)
        } else if screen == .detail {
            detail = nil
            breakGlassReason = nil
            screen = listScreen
            reload()
        } else if !filterText.isEmpty {
            filterText = ""
            filter = TaskFilter()
            reload()
        } else if !marked.isEmpty {
            marked = []
        }
    }

    private func toggleMark() {
        guard screen != .detail, let id = selectedTask?.id else { return }
        if marked.contains(id) { marked.remove(id) } else { marked.insert(id) }
        move(by: 1)
    }

    private func claimNext() {
        guard !options.readOnly else { return show("read-only console: no actions", isError: true) }
        do {
            guard let task = try data.claimNext() else { return show("Nothing to pull: your queues are clear", isError: false) }
            show("\(task.id) is yours: \(task.title)", isError: false)
            reload()
            select(task.id)
        } catch {
            show(String(describing: error), isError: true)
            reload()
        }
    }

    // MARK: - Actions

    /// The actions the actor may take on `task` now.
    func availableActions(on task: WorkTask) -> [ActionKind] {
        guard !options.readOnly else { return [] }
        guard let access = try? cachedAccess(task.queue) else { return [] }
        return Workflow.availableActions(on: task, for: data.actor, access: access)
    }

    private func cachedAccess(_ queue: String) throws -> QueueAccess {
        if let access = accessCache[queue] { return access }
        let access = try data.access(to: queue)
        accessCache[queue] = access
        return access
    }

    private func startAction(_ action: ActionKind, command: KeyBindings.Command) {
        guard !options.readOnly else { return show("read-only console: no actions", isError: true) }
        let targets = actionTargets()
        guard let task = targets.first else { return show("no task selected", isError: true) }
        let allowed = targets.allSatisfy { availableActions(on: $0).contains(action) }
        guard allowed else {
            let why = explain(action, on: targets.first { !availableActions(on: $0).contains(action) } ?? task)
            return show(why, isError: true)
        }
        let ids = targets.map(\.id)
        if let form = ActionForms.form(for: action, tasks: targets, members: members(for: task), now: options.now()) {
            input = .form(form)
        } else {
            execute(.action(ActionForms.representative(action), ids))
        }
    }

    /// The marked tasks of the list, or the selected one.
    private func actionTargets() -> [WorkTask] {
        if screen != .detail, !marked.isEmpty {
            return rows.compactMap(\.task).filter { marked.contains($0.id) }
        }
        return selectedTask.map { [$0] } ?? []
    }

    private func members(for task: WorkTask) -> [String] {
        (try? data.members(of: task.queue)) ?? []
    }

    /// Why `action` is not offered on `task`: the rules' own words.
    private func explain(_ action: ActionKind, on task: WorkTask) -> String {
        guard let access = try? cachedAccess(task.queue) else { return "cannot check \(task.queue)" }
        let sample = ActionForms.representative(action)
        do {
            _ = try Workflow.apply(sample, to: task, by: data.actor, access: access, at: task.updatedAt.addingTimeInterval(1))
            return "\(action.rawValue) is not available on \(task.id)"
        } catch {
            return error.description
        }
    }

    private func execute(_ command: ConsoleCommand) {
        var done: [TaskID] = []
        do {
            switch command {
            case let .action(action, ids):
                for id in ids {
                    let version = versions[id] ?? detail?.task.version ?? 0
                    _ = try data.perform(action, on: id, expectedVersion: version)
                    done.append(id)
                }
            case let .assign(user, reason, ids):
                for id in ids {
                    _ = try data.assign(id, to: user, reason: reason, expectedVersion: versions[id] ?? 0)
                    done.append(id)
                }
            case let .replayDeadLetter(id):
                let outcome = try data.replayDeadLetter(id)
                reload()
                return show("dead letter \(id): \(outcome)", isError: outcome.hasPrefix("still failing"))
            case let .discardDeadLetter(id, reason):
                try data.discardDeadLetter(id, reason: reason)
                reload()
                return show("dead letter \(id) discarded", isError: false)
            case let .breakGlass(id, reason):
                return openDetail(id, breakGlass: reason)
            }
            show(done.count == 1 ? "\(done[0]): done" : "\(done.count) tasks: done", isError: false)
            marked.subtract(done)
        } catch {
            let prefix = done.isEmpty ? "" : "\(done.count) done, then "
            show(prefix + String(describing: error), isError: true)
        }
        if let current = detail?.task.id, let fresh = try? data.refresh(current, breakGlass: breakGlassReason) { detail = fresh }
        reload()
        for case let .task(task) in rows { versions[task.id] = task.version }
        if let task = detail?.task { versions[task.id] = task.version }
    }

    // MARK: - Input line

    private func handleInput(_ key: Key, _ current: Input) {
        switch current {
        case var .form(form):
            switch form.handle(key) {
            case .more: input = .form(form)
            case let .done(command):
                input = nil
                execute(command)
            case let .invalid(text):
                input = .form(form)
                show(text, isError: true)
            case .cancelled:
                input = nil
                show("cancelled", isError: false)
            }
        case let .filter(text):
            switch key {
            case .escape:
                input = nil
                applyFilter("")
            case .enter: input = nil
            case .backspace:
                let shorter = String(text.dropLast())
                input = .filter(shorter)
                applyFilter(shorter)
            case let .character(character):
                input = .filter(text + String(character))
                applyFilter(text + String(character))
            default: break
            }
        case let .command(text):
            switch key {
            case .escape: input = nil
            case .enter:
                input = nil
                runCommand(text)
            case .backspace: input = .command(String(text.dropLast()))
            case .tab: input = .command(CommandInput.complete(text, queues: queues.map(\.name)))
            case let .character(character): input = .command(text + String(character))
            default: break
            }
        }
    }

    /// Applies filter text as it is typed.
    private func applyFilter(_ text: String) {
        if screen == .audit {
            message = nil
            return filterAudit(text)
        }
        filterText = text
        switch TaskQuery.parse(text, me: data.actor.name) {
        case let .success(parsed):
            filter = parsed
            message = nil
            selected = 0
            top = 0
            reload(countsToo: false)
        case let .failure(error):
            show(error.description, isError: true)
        }
    }

    private func runCommand(_ text: String) {
        switch CommandInput.parse(text) {
        case .quit: wantsToQuit = true
        case .help: screen = .help
        case .dashboard: openDashboard()
        case .audit: openAudit()
        case let .queue(name):
            guard let index = queues.firstIndex(where: { $0.name == name }) else {
                return show("no queue '\(name)' — yours: " + queues.map(\.name).joined(separator: ", "), isError: true)
            }
            queueIndex = index
            switchScreen(.queues)
        case let .task(id):
            openDetail(id)
        case let .assign(user):
            guard !options.readOnly else { return show("read-only console: no actions", isError: true) }
            let targets = actionTargets()
            guard !targets.isEmpty else { return show("no task selected", isError: true) }
            guard targets.allSatisfy({ availableActions(on: $0).contains(.assign) }) else {
                return show(explain(.assign, on: targets[0]), isError: true)
            }
            input = .form(ActionForms.assignReason(user: user, tasks: targets))
        case let .theme(name):
            themeRequest = name
        case let .unknown(message):
            show(message, isError: true)
        }
    }

    /// A theme the user asked for with `:theme NAME`, for the terminal layer to apply.
    public var themeRequest: String?

    /// Shows a message from the terminal layer (e.g. a theme that failed to load).
    public func notify(_ text: String, isError: Bool) {
        show(text, isError: isError)
    }

    // MARK: - Drawing

    /// Draws the current state into a new frame of `width` × `height` cells.
    public func render(width: Int, height: Int, now: Date) -> ScreenBuffer {
        ConsoleRenderer(console: self, now: now).render(width: width, height: height)
    }
}
