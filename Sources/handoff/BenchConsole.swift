import ArgumentParser
import Foundation
import HandoffApp
import HandoffStore

/// `handoff bench console`: start to first frame, key press to frame, bytes per press, peak memory and
/// the live-update delay, on a real database.
struct BenchConsole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Measure the console on a database: first frame, key press to frame, bytes to the terminal, peak memory, live updates.",
        discussion: """
            The real console code paints every frame with curses into a file, as a 120×40 xterm-256color: \
            the bytes counted are what a terminal would receive. Peak memory is this process's, which does \
            nothing but run the console. Run it in release mode on a generated database: \
            swift run -c release handoff bench console --db /tmp/bench.db
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Key presses per measurement.") var presses = 500
    @Option(help: ArgumentHelp("Also write the figures as JSON to this file (for 'bench run').", valueName: "path")) var figures: String?
    @Option(help: ArgumentHelp("Keep what curses sent to the terminal in this new file (read it with cat -v).", valueName: "path"))
    var terminalOutput: String?
    @Option(help: .hidden) var launchedAt: UInt64?

    /// The goals of issue 7.
    static let firstFrameGoal = Duration.milliseconds(150), keyGoal = Duration.milliseconds(16)
    static let memoryGoal = 64 * 1_024 * 1_024
    static var bytesGoal: Int { 2 * ConsoleBenchmark.width + 64 }

    func validate() throws {
        guard presses > 0 else { throw ValidationError("--presses must be at least 1") }
    }

    func run() throws {
        // From the moment `bench run` launched this process, when it did: the first frame's time then
        // includes starting the program.
        let started = ContinuousClock.now - .nanoseconds(launchedAt.map { monotonicNanoseconds() &- $0 } ?? 0)
        let session = try Session.open(options)
        let loader = ThemeLoader(directories: ThemeLoader.standardDirectories())
        let theme = (try? loader.load(named: "default")) ?? .builtInDefault
        let results = try ConsoleBenchmark(store: session.store, actor: session.actor, presses: presses, theme: theme, started: started,
                                       terminalOutput: terminalOutput).run()
        let peak = peakResidentMemory()
        let tasks = try session.store.read { try $0.taskCount() }

        print("Console benchmark — \(tasks.formatted()) tasks, \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + "frame \(ConsoleBenchmark.width)×\(ConsoleBenchmark.height), presses on \(results.queue) (\(results.queueOpenTasks.formatted()) open tasks)")
        var rows = results.timings.map { [$0.name, String($0.samples), Self.format($0.median), Self.format($0.p99)] }
        rows += results.paints.map { ["bytes: \($0.name)", String($0.samples), "\($0.median) B", "\($0.p99) B (most \($0.most))"] }
        rows.append(["peak resident memory", "", peak.map(Self.megabytes) ?? "unknown", ""])
        print(TextTable(headers: ["measurement", "samples", "median", "p99"], rows: rows).render())
        if let figures {
            try BenchmarkFigure.write(Self.figures(results, peak: peak, tasks: tasks), to: figures)
        }
    }

    /// The lines of the benchmark table this run gives, with their goals.
    static func figures(_ results: ConsoleBenchmark.Results, peak: Int?, tasks: Int) -> [BenchmarkFigure] {
        let queue = "\(results.queue), \(results.queueOpenTasks.formatted()) open tasks"
        var lines: [BenchmarkFigure] = []
        for timing in results.timings {
            let both = "\(BenchmarkFigure.milliseconds(timing.median)) / \(BenchmarkFigure.milliseconds(timing.p99))"
            switch timing.name {
            case "start to first frame":
                lines.append(BenchmarkFigure(.console, "start to first frame, \(tasks.formatted()) tasks", BenchmarkFigure.milliseconds(timing.median),
                                             goal: "≤ 150 ms", met: timing.median <= firstFrameGoal))
            case "another process's change appears":
                lines.append(BenchmarkFigure(.console, "another process's change on screen, p50 / p99", both, goal: "≤ 1 s",
                                             met: timing.p99 <= .seconds(1)))
            default:
                lines.append(BenchmarkFigure(.console, "\(timing.name) (\(queue)), p50 / p99", both,
                                             goal: "p99 ≤ 16 ms", met: timing.p99 <= keyGoal))
            }
        }
        lines.append(BenchmarkFigure(.memory, "peak resident memory of the console process", peak.map(megabytes) ?? "unknown",
                                     goal: "≤ 64 MB", met: peak.map { $0 <= memoryGoal }))
        for paint in results.paints {
            let figure = "\(paint.median) / \(paint.p99) B (most \(paint.most))"
            if paint.name == "cursor down" {
                lines.append(BenchmarkFigure(.bytes, "per cursor move at \(ConsoleBenchmark.width) columns, p50 / p99", figure,
                                             goal: "≤ \(bytesGoal) B (2 × width + 64)", met: paint.p99 <= bytesGoal))
            } else if paint.name == "cursor down, arrow cursor" {
                lines.append(BenchmarkFigure(.bytes, "per cursor move with --arrow-cursor, p50 / p99", figure,
                                             goal: "≤ \(bytesGoal) B (2 × width + 64)", met: paint.p99 <= bytesGoal))
            } else {
                lines.append(BenchmarkFigure(.bytes, "per \(paint.name) at \(ConsoleBenchmark.width) columns, p50 / p99", figure))
            }
        }
        return lines
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f ms", milliseconds)
    }

    static func megabytes(_ bytes: Int) -> String {
        (Double(bytes) / 1_048_576).formatted(.number.precision(.fractionLength(1))) + " MB"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
