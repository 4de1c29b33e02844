import Foundation
import HandoffCore
import Testing
@testable import HandoffTUI

/// Opening a task outside one's queues from the console: only by breaking the glass with a reason.
struct BreakGlassScreenTests {
    /// Cora's world, plus a cardiology task outside her queues.
    func console() -> (Console, FakeConsoleData) {
        var cardio = World.task(9, "Review troponin", patient: "Ana Ferreira", priority: .stat)
        cardio.queue = "cardio"
        let data = World.data(World.names + [cardio])
        let console = Console(data: data, options: ConsoleOptions(now: { World.now }))
        console.reload()
        return (console, data)
    }

    func type(_ text: String, into console: Console) {
        for character in text { console.handle(.character(character)) }
    }

    @Test func outsideTheQueuesTheConsoleAsksForAnEmergencyReasonFirst() {
        let (console, data) = console()
        type(":task T-9", into: console)
        console.handle(.enter)
        #expect(console.screen != .detail, "not opened without a reason")
        #expect(data.opened.isEmpty)
        let frame = console.render(width: 140, height: 30, now: World.now).text
        #expect(frame.contains("T-9 is in cardio, outside your queues. Break the glass only in an emergency"))
        console.handle(.enter)
        #expect(data.opened.isEmpty, "an empty reason is not accepted")
        type("patient in resus, cardiology unreachable", into: console)
        console.handle(.enter)
        console.handle(.character("y"))
        #expect(console.screen == .detail)
        #expect(data.brokeGlass.map(\.0) == [TaskID(9)])
        #expect(data.brokeGlass.first?.1 == "patient in resus, cardiology unreachable")
        #expect(console.message?.text == "break-glass access to T-9 recorded: your supervisors see it")

        console.databaseChanged()
        #expect(console.screen == .detail && console.detail?.task.id == TaskID(9), "a live refresh keeps the break-glass view")
        #expect(data.brokeGlass.count == 1, "refreshing records no second access")

        console.handle(.escape)
        type(":task T-9", into: console)
        console.handle(.enter)
        #expect(console.screen != .detail, "the next opening asks again")
        console.handle(.escape)
        #expect(data.brokeGlass.count == 1)
    }

    @Test func insideTheQueuesNothingIsAsked() {
        let (console, data) = console()
        type(":task T-1", into: console)
        console.handle(.enter)
        #expect(console.screen == .detail)
        #expect(data.opened == [TaskID(1)] && data.brokeGlass.isEmpty)
    }
}
