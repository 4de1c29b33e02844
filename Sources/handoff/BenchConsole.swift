import ArgumentParser
import Foundation
import HandoffApp
import HandoffStore

/// `handoff bench console`: key press to frame, and live-update delay, on a real database.
struct BenchConsole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Measure the console on a database: key press to finished frame, and how soon another process's change appears.",
        discussion: "Run it in release mode on a generated database: swift run -c release handoff bench console --db /tmp/bench.db")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Key presses per measurement.") var presses = 500

    func validate() throws {
        guard presses > 0 else { throw ValidationError("--presses must be at least 1") }
    }

    func run() throws {
        let session = try Session.open(options)
        let figures = try ConsoleBenchmark(store: session.store, actor: session.actor, presses: presses).run()
        let tasks = try session.store.read { try $0.taskCount() }
        print("Console benchmark — \(tasks) tasks, \(ProcessInfo.processInfo.activeProcessorCount) cores, frame 120×40")
        print("measurement                          samples    median       p99")
        for figure in figures {
            let name = figure.name.padding(toLength: 36, withPad: " ", startingAt: 0)
            print("\(name) \(String(figure.samples).leftPadded(7))  \(Self.format(figure.median).leftPadded(9))  \(Self.format(figure.p99).leftPadded(9))")
        }
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f ms", milliseconds)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
