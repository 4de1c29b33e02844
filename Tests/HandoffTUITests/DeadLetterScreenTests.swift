import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// The integration screen: admins browse, replay and discard dead letters by keyboard.
struct DeadLetterScreenTests {
    static func letter(_ id: Int64, _ reason: DeadLetterReason, raw: String = "{\"id\":\"x\"}") -> DeadLetterItem {
        DeadLetterItem(id: id, reason: reason, detail: "detail \(id)", type: "lab.result.signed", eventID: "evt-\(id)",
                       source: "urn:test", transport: "spool:0001.ndjson@0", firstSeen: World.now.addingTimeInterval(-300),
                       attempts: 1, raw: raw)
    }

    func adminConsole() -> (Console, FakeConsoleData) {
        let data = World.data(World.names, actor: Actor(name: "ada", roles: [.admin]))
        data.letters = [Self.letter(3, .invalidJSON, raw: "{\"name\":\"Eve\u{1B}[2J\u{1B}[31m\""), Self.letter(2, .noMatchingTask)]
        data.sync = "⇄ sync · lag 2s · 2 dead"
        data.panel = ["worker: running (pid 7)", "received 402 · created 280", "last error: spool file x is unreadable"]
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        return (console, data)
    }

    @Test func adminsSeeTheDeadLettersWithReasonAndTheRawEventEscaped() {
        let (console, _) = adminConsole()
        console.handle(.character("4"))
        #expect(console.screen == .deadLetters)
        let text = console.render(width: 140, height: 30, now: World.now).text
        #expect(text.contains("Dead letters — 2 open"))
        #expect(text.contains("invalid_json"))
        #expect(text.contains("no_matching_task"))
        #expect(text.contains("\\x1b[2J"), "the escape sequence is shown, not obeyed")
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("⇄ sync · lag 2s · 2 dead"), "the worker's state is on the title bar")
        #expect(text.contains("received 402 · created 280"), "and its counters on the integration screen")
        #expect(text.contains("last error: spool file x is unreadable"))
    }

    @Test func replayAsksForConfirmationThenReplaysTheSelectedLetter() {
        let (console, data) = adminConsole()
        console.handle(.character("4"))
        console.handle(.down)
        console.handle(.character("r"))
        #expect(data.replayed.isEmpty, "nothing happens before confirming")
        console.handle(.character("y"))
        #expect(data.replayed == [2])
        #expect(console.message?.text == "dead letter 2: replayed")
        #expect(console.letters.map(\.id) == [3])
    }

    @Test func discardNeedsAReasonAndAConfirmation() {
        let (console, data) = adminConsole()
        console.handle(.character("4"))
        console.handle(.character("D"))
        console.handle(.enter)
        #expect(data.discarded.isEmpty, "an empty reason is not accepted")
        #expect(console.render(width: 140, height: 30, now: World.now).text.contains("Discard dead letter 3 — why"), "the form still asks why")
        for character in "test message from the engine" { console.handle(.character(character)) }
        console.handle(.enter)
        console.handle(.character("y"))
        #expect(data.discarded.map(\.0) == [3])
        #expect(data.discarded.first?.1 == "test message from the engine")
    }

    @Test func othersAreToldTheScreenIsForAdmins() {
        let data = World.data(World.names)
        data.letters = [Self.letter(1, .invalidJSON)]
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        console.handle(.character("4"))
        #expect(console.screen != .deadLetters)
        #expect(console.message?.text.contains("admin") == true)
        #expect(!console.render(width: 140, height: 30, now: World.now).text.contains("4 Dead letters"))
    }
}
