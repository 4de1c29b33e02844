import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// Keys in, state out: actions, forms, filters, live updates, conflicts.
struct ConsoleBehaviourTests {
    func console(_ data: FakeConsoleData) -> Console {
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        return console
    }

    func type(_ text: String, into console: Console) {
        for character in text { console.handle(.character(character)) }
    }

    @Test func claimStartNoteAndComplete() throws {
        let data = World.data(World.names)
        let console = console(data)
        console.handle(.character("n"))   // own assigned work first: T-5
        #expect(console.selectedTask?.id == TaskID(5))
        console.handle(.character("s"))
        #expect(data.all.first { $0.id == TaskID(5) }?.state == .inProgress)
        console.handle(.character("e"))
        type("Called the lab", into: console)
        console.handle(.enter)
        console.handle(.character("d"))
        #expect(console.render(width: 120, height: 20, now: World.now).text.contains("Complete T-5"))
        console.handle(.character("y"))
        let task = try #require(data.all.first { $0.id == TaskID(5) })
        #expect(task.state == .completed)
        #expect(task.version == 4)
    }

    @Test func disallowedActionsSayWhy() {
        let data = World.data(World.names)
        let console = console(data)
        console.handle(.character("a"))   // approve: not a nurse, not in review
        #expect(console.message?.isError == true)
        #expect(console.message?.text.contains("cannot approve") == true)
        #expect(data.all.allSatisfy { $0.version == 1 })
    }

    @Test func pendFormUsesTheInjectedClockForExpectedBy() throws {
        let data = World.data(World.names)
        let console = console(data)
        console.handle(.character("n"))
        console.handle(.character("p"))
        type("Outside records", into: console)
        console.handle(.enter)
        type("2d", into: console)
        console.handle(.enter)
        let task = try #require(data.all.first { $0.id == TaskID(5) })
        #expect(task.state == .pending)
        #expect(task.expectedBy == World.now.addingTimeInterval(2 * 86_400))
        #expect(task.pendingReason == "Outside records")
    }

    @Test func escapeAbandonsAFormWithoutChanges() {
        let data = World.data(World.names)
        let console = console(data)
        console.handle(.character("n"))
        console.handle(.character("e"))
        type("half a no", into: console)
        console.handle(.escape)
        #expect(data.all.allSatisfy { $0.version == 1 })
        #expect(console.message?.text == "cancelled")
    }

    @Test func filterAppliesAsYouTypeAndIgnoresAccents() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        console.handle(.character("/"))
        type("nunez", into: console)
        #expect(console.rows.compactMap(\.task).map(\.subjectDisplay) == ["José Nuñez"])
        console.handle(.enter)
        console.handle(.escape)
        #expect(console.rows.compactMap(\.task).count == 5)
    }

    @Test func liveChangeKeepsTheCursorOnTheSameTaskAndMarksIt() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        console.handle(.down)
        console.handle(.down)
        let watched = console.selectedTask!.id
        // Someone raises another task above it: the list re-sorts.
        data.changeBehindTheScenes(TaskID(4)) { $0.priority = .stat }
        console.databaseChanged()
        #expect(console.selectedTask?.id == watched)
        #expect(console.changed.contains(TaskID(4)))
        #expect(console.render(width: 120, height: 20, now: World.now).text.contains("•"))
    }

    @Test func pausedConsoleDoesNotMoveUnderTheReader() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        console.handle(.character("z"))
        data.changeBehindTheScenes(TaskID(4)) { $0.title = "Changed while paused" }
        console.databaseChanged()
        #expect(!console.rows.contains { $0.task?.title == "Changed while paused" })
        console.handle(.character("z"))
        #expect(console.rows.contains { $0.task?.title == "Changed while paused" })
    }

    @Test func aStaleActionGetsTheConflictAndAFreshView() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        let target = console.selectedTask!
        data.changeBehindTheScenes(target.id) { $0.title = "Edited elsewhere" }
        console.handle(.character("Z"))
        type("duplicate", into: console)
        console.handle(.enter)
        console.handle(.character("y"))
        #expect(console.message?.isError == true)
        #expect(console.message?.text.contains("changed by someone else") == true)
        #expect(data.all.first { $0.id == target.id }?.state == .queued)
        #expect(console.rows.contains { $0.task?.title == "Edited elsewhere" })
    }

    @Test func markedTasksAreReassignedTogether() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        console.handle(.character(" "))
        console.handle(.character(" "))
        console.handle(.character("r"))
        type("ni", into: console)
        console.handle(.tab)
        console.handle(.enter)
        type("cover", into: console)
        console.handle(.enter)
        #expect(data.all.filter { $0.owner == "nina" }.count == 2)
        #expect(console.marked.isEmpty)
    }

    @Test func commandLineOpensATaskAndRefusesUnknownCommands() {
        let data = World.data(World.names)
        let console = console(data)
        console.handle(.character(":"))
        type("task T-4", into: console)
        console.handle(.enter)
        #expect(console.screen == .detail)
        #expect(data.opened == [TaskID(4)])
        console.handle(.character(":"))
        type("frobnicate", into: console)
        console.handle(.enter)
        #expect(console.message?.text.contains("unknown command") == true)
    }

    @Test func quitKeysAndControlC() {
        let console = console(World.data(World.names))
        console.handle(.control("c"))
        #expect(console.wantsToQuit)
    }
}

/// Key bindings and sorting.
struct KeyBindingTests {
    @Test func remappedKeysAreUsedAndClashesRefused() throws {
        let bindings = try KeyBindings.with(["claim": "C", "next": "N"]).get()
        let data = World.data(World.names)
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }), bindings: bindings)
        console.reload()
        console.handle(.down)
        console.handle(.down)
        let target = console.selectedTask!
        console.handle(.character("C"))
        #expect(data.all.first { $0.id == target.id }?.owner == "cora")
        #expect(throws: KeyBindingError.duplicate(key: "s", first: "claim", second: "start")) { try KeyBindings.with(["claim": "s"]).get() }
        #expect(throws: KeyBindingError.unknownCommand("frobnicate")) { try KeyBindings.with(["frobnicate": "f"]).get() }
        #expect(throws: KeyBindingError.badKey(command: "claim", key: "ab")) { try KeyBindings.with(["claim": "ab"]).get() }
    }

    @Test func sortKeyCyclesTheOrder() {
        let data = World.data(World.names, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        #expect(console.sort == .priority)
        console.handle(.character("o"))
        #expect(console.sort == .age)
        #expect(console.message?.text == "sorted by age")
    }
}
