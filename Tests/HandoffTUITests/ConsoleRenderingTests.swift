import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// Screens drawn into an in-memory buffer: no terminal needed.
struct ConsoleRenderingTests {
    func console(_ data: FakeConsoleData, options: ConsoleOptions = ConsoleOptions()) -> Console {
        let console = Console(data: data, options: ConsoleOptions(readOnly: options.readOnly, now: { World.now }))
        console.reload()
        return console
    }

    /// The display column at which `needle` starts on the line `text`.
    func column(of needle: String, in text: String) -> Int? {
        guard let range = text.range(of: needle) else { return nil }
        return DisplayText.width(String(text[..<range.lowerBound]))
    }

    @Test func columnsAlignWithWideAndCombiningCharacters() throws {
        let screen = console(World.data(World.names)).render(width: 120, height: 30, now: World.now)
        let lines = screen.text.split(separator: "\n").map(String.init)
        let titles = ["Review potassium", "Review sodium", "Review HbA1c", "Review INR", "Review TSH"]
        let columns = try titles.map { title in try #require(lines.first { $0.contains(title) }.flatMap { column(of: title, in: $0) }) }
        #expect(Set(columns).count == 1, "title columns: \(columns)")
        let header = try #require(lines.first { $0.contains("TITLE") })
        #expect(column(of: "TITLE", in: header) == columns[0])
        #expect(lines.contains { $0.contains("王芳") } && lines.contains { $0.contains("Zoë Laurent") })
    }

    @Test func theArrowCursorMarksTheSelectedRowInsteadOfHighlightingIt() throws {
        func selectedRow(arrow: Bool) throws -> [ScreenBuffer.Cell] {
            let console = Console(data: World.data(World.names), options: ConsoleOptions(arrowCursor: arrow, now: { World.now }))
            console.reload()
            let screen = console.render(width: 120, height: 30, now: World.now)
            let title = try #require(console.selectedTask?.title)
            return try #require(screen.cells.first { cells in cells.map(\.text).joined().contains(title) })
        }
        let highlighted = try selectedRow(arrow: false)
        #expect(highlighted.allSatisfy { $0.role == .selection }, "the whole row is painted")
        let marked = try selectedRow(arrow: true)
        #expect(marked.first?.text == "▸")
        #expect(!marked.contains { $0.role == .selection }, "no cell of the row is highlighted")
        #expect(marked.dropFirst().map(\.text) == highlighted.dropFirst().map(\.text), "the same words otherwise")

        // A marked task under the arrow keeps its ✓, beside the arrow: marks are never colour alone.
        let console = Console(data: World.data(World.names), options: ConsoleOptions(arrowCursor: true, now: { World.now }))
        console.reload()
        console.handle(.character(" "))   // marks the task and moves on
        console.handle(.up)
        let screen = console.render(width: 120, height: 30, now: World.now)
        let title = try #require(console.selectedTask?.title)
        let row = try #require(screen.cells.first { cells in cells.map(\.text).joined().contains(title) })
        #expect(row.prefix(2).map(\.text) == ["▸", "✓"])
    }

    @Test func everyRowFitsTheWidthExactly() {
        let screen = console(World.data(World.names)).render(width: 100, height: 20, now: World.now)
        for row in 0..<screen.height {
            let cells = screen.cells[row]
            #expect(cells.count == 100)
            // A wide character takes two cells: its own (width 2) and an empty continuation (width 0).
            #expect(cells.map { DisplayText.width($0.text) }.reduce(0, +) == 100)
        }
    }

    @Test func aHundredThousandTaskQueuePagesWithoutLoadingTheQueue() throws {
        let many = (1...100_000).map { World.task(Int64($0), "Task \($0)", patient: "Patient \($0)") }
        let data = World.data(many, actor: Actor(name: "sam", roles: [.supervisor]))
        let console = console(data)
        #expect(console.screen == .queues)
        let first = console.render(width: 120, height: 40, now: World.now).text
        #expect(first.contains("Task 100000 "), "oldest first among equal priorities")
        #expect(first.contains("1 of 100000"))
        console.handle(.pageDown)
        let second = console.render(width: 120, height: 40, now: World.now).text
        #expect(second.contains("of 100000"))
        #expect(!second.contains("1 of 100000"))
        #expect(data.requestedLimits.allSatisfy { $0 <= Console.pageLimit })
        #expect(data.rowsReturned <= 2 * Console.pageLimit)
        // Paging far down keeps a bounded window in memory.
        for _ in 0..<40 { console.handle(.pageDown) }
        #expect(console.rows.count <= Console.windowLimit)
        let deep = console.render(width: 120, height: 40, now: World.now).text
        #expect(deep.contains("of 100000"))
    }

    @Test func pagingPastTheLoadedWindowMovesOnePageAtATime() throws {
        let many = (1...100_000).map { World.task(Int64($0), "Task \($0)", patient: "Patient \($0)") }
        let console = console(World.data(many, actor: Actor(name: "sam", roles: [.supervisor])))
        _ = console.render(width: 120, height: 40, now: World.now)
        let page = console.pageSize
        // Far enough that the window is loaded and trimmed several times over.
        for press in 1...(3 * Console.windowLimit / page) {
            console.handle(.pageDown)
            let position = 1 + press * page
            #expect(console.render(width: 120, height: 40, now: World.now).text.contains("\(position) of 100000"), "page down \(press)")
        }
        for press in 1...(2 * Console.windowLimit) {
            console.handle(.down)
            if press % 250 == 0 {
                let position = 1 + (3 * Console.windowLimit / page) * page + press
                #expect(console.render(width: 120, height: 40, now: World.now).text.contains("\(position) of 100000"), "down \(press)")
            }
        }
    }

    @Test func tooSmallATerminalAsksToBeEnlarged() {
        let screen = console(World.data(World.names)).render(width: 40, height: 10, now: World.now)
        #expect(screen.text.contains("Enlarge the window"))
        #expect(screen.text.contains("(now 40×10)"))
    }

    @Test func escapeSequencesInNamesDrawAsPlainText() {
        let evil = World.task(9, "Title \u{1B}]0;owned\u{07}", patient: "Bad\u{1B}[2JName", priority: .stat)
        let screen = console(World.data([evil])).render(width: 120, height: 20, now: World.now)
        #expect(!screen.cells.joined().contains { $0.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 } })
        #expect(screen.text.contains("Bad\\x1b[2JName"))
    }

    @Test func readOnlyConsoleOffersNoActions() {
        let data = World.data(World.names)
        let console = console(data, options: ConsoleOptions(readOnly: true))
        let screen = console.render(width: 120, height: 20, now: World.now)
        #expect(screen.text.contains("read-only"))
        #expect(!screen.text(row: 18).contains("claim"))
        console.handle(.character("c"))
        #expect(console.message?.isError == true)
        #expect(data.all.allSatisfy { $0.version == 1 })
    }

    @Test func theCursorSitsOnTheSelectedRow() {
        let console = console(World.data(World.names))
        let screen = console.render(width: 120, height: 20, now: World.now)
        #expect(screen.text(row: screen.cursor.row).contains(console.selectedTask!.title))
    }

    @Test func helpListsTheKeysOfActions() {
        let console = console(World.data(World.names))
        console.handle(.character("?"))
        let text = console.render(width: 120, height: 30, now: World.now).text
        for word in ["claim", "reassign", "resolve-exception", "filter", ":queue NAME"] { #expect(text.contains(word), "\(word)") }
        console.handle(.character("x"))
        #expect(console.screen != .help)
    }
}
