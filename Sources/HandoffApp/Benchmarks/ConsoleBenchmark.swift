import Foundation
import HandoffCore
import HandoffStore
import HandoffTUI
#if canImport(Glibc)
import Glibc
#endif

/// Measures the console against a real database, painting every frame with curses into a file as a
/// 120×40 `xterm-256color`: start to first frame, key press to finished frame (handling the key,
/// reading the page, drawing the buffer, curses working out and writing what changed), the bytes each
/// press sends to the terminal, and how long another process's change takes to appear.
public struct ConsoleBenchmark {
    /// One measured kind of interaction.
    public struct Figure: Sendable {
        public var name: String
        public var samples: Int
        public var median: Duration
        public var p99: Duration
    }

    /// The bytes curses wrote to the terminal for each press of one kind.
    public struct Paint: Sendable {
        public var name: String
        public var samples: Int
        public var median: Int
        public var p99: Int
        public var most: Int
    }

    /// Everything one run measured.
    public struct Results: Sendable {
        /// Start to first frame, then key press to frame for each kind of press, then the live update.
        public var timings: [Figure]
        /// Bytes to the terminal per cursor move and per page down.
        public var paints: [Paint]
        /// The queue the presses were measured on, and its open tasks.
        public var queue: String
        public var queueOpenTasks: Int
    }

    /// The frame the console is measured in.
    public static let width = 120, height = 40

    let store: HandoffStore
    let actor: Actor
    let presses: Int
    let theme: Theme
    let started: ContinuousClock.Instant
    let terminalOutput: String?

    /// `started` is when the first frame's wait began (when `bench run` launched this process, else
    /// before the database was opened), so its time includes what a person waits for; `terminalOutput` names a new file
    /// to keep what curses sent, for reading (`cat -v`), instead of a nameless temporary one.
    public init(store: HandoffStore, actor: Actor, presses: Int, theme: Theme, started: ContinuousClock.Instant,
                terminalOutput: String? = nil) {
        self.store = store
        self.actor = actor
        self.presses = presses
        self.theme = theme
        self.started = started
        self.terminalOutput = terminalOutput
    }

    /// Runs every measurement.
    public func run() throws -> Results {
        let clock = ContinuousClock()
        guard let output = terminalOutput.map({ fopen($0, "wx") }) ?? tmpfile() else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: terminalOutput ?? "a temporary file"])
        }
        defer { fclose(output) }
        let terminal = try Terminal.offscreen(width: Self.width, height: Self.height, output: output)
        defer { terminal.close() }
        terminal.apply(theme, colorsAllowed: true)
        func written() -> Int {
            fflush(output)
            var facts = stat()
            fstat(fileno(output), &facts)
            return Int(facts.st_size)
        }
        let data = StoreConsoleData(store: store, actor: actor)
        let console = Console(data: data)
        func frame(of target: Console) { terminal.draw(target.render(width: Self.width, height: Self.height, now: Date())) }
        func frame() { frame(of: console) }
        console.reload()
        frame()
        var timings = [Self.figure("start to first frame", [clock.now - started])]

        // Start on the largest queue.
        let queues = try data.queues()
        let largest = queues.indices.max(by: { queues[$0].openCount < queues[$1].openCount }) ?? 0
        func openLargestQueue(_ target: Console) {
            if target.screen != .queues { target.handle(.character("2")) }
            for _ in 0..<largest { target.handle(.right) }
            frame(of: target)
        }
        openLargestQueue(console)
        var paints: [Paint] = []
        func measure(_ name: String, _ keys: [Key], on target: Console? = nil, bytes: Bool = false) {
            let target = target ?? console
            var samples: [Duration] = []
            var sizes: [Int] = []
            for key in keys {
                let before = written()
                samples.append(clock.measure {
                    target.handle(key)
                    frame(of: target)
                })
                sizes.append(written() - before)
            }
            timings.append(Self.figure(name, samples))
            if bytes { paints.append(Self.paint(name, sizes)) }
        }
        // The same moves with the selection marked by an arrow (`console --arrow-cursor`), from the same row.
        let arrow = Console(data: data, options: ConsoleOptions(arrowCursor: true))
        arrow.reload()
        openLargestQueue(arrow)
        measure("cursor down, arrow cursor", Array(repeating: .down, count: presses), on: arrow, bytes: true)
        frame()
        measure("cursor down", Array(repeating: .down, count: presses), bytes: true)
        measure("page down", Array(repeating: .pageDown, count: presses), bytes: true)
        measure("page up", Array(repeating: .pageUp, count: presses))
        measure("filter, typing", [.character("/")] + Array(searchText(in: console).map(Key.character)) + [.escape])
        measure("switch queue", Array(repeating: .right, count: max(presses / 10, 6)))
        timings.append(try liveLatency(console: console, frame: frame, rounds: 20))
        return Results(timings: timings, paints: paints, queue: queues.isEmpty ? "" : queues[largest].name,
                       queueOpenTasks: queues.isEmpty ? 0 : queues[largest].openCount)
    }

    /// What a coordinator would type to find a task of the queue: its patient's family name and the
    /// second word of its title (e.g. `dasu creatinine`), from the selected task.
    private func searchText(in console: Console) -> String {
        guard let task = console.selectedTask else { return "review" }
        let name = task.subjectDisplay?.split(separator: " ").last.map(String.init) ?? ""
        let title = task.title.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        return [name, title].filter { !$0.isEmpty }.joined(separator: " ").lowercased()
    }

    /// From another connection's commit to the redrawn frame, with the console's own 250 ms watch.
    private func liveLatency(console: Console, frame: () -> Void, rounds: Int) throws -> Figure {
        let clock = ContinuousClock()
        let watcher = try ChangeWatcher(store: store)
        let writer = try HandoffStore.open(at: store.path)
        defer { try? writer.close() }
        guard let task = try store.read({ try $0.tasks(TaskFilter(limit: 1), visibleTo: actor) }).first else {
            return Figure(name: "another process's change appears", samples: 0, median: .zero, p99: .zero)
        }
        var samples: [Duration] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            // Commit at a random moment within the watch interval, as real changes arrive.
            Thread.sleep(forTimeInterval: Double.random(in: 0..<0.25, using: &generator))
            let committed = clock.now
            try writer.write { try $0.perform(.note("benchmark \(round)"), on: task.id, by: actor, at: Date()) }
            var seen = false
            while !seen {
                Thread.sleep(forTimeInterval: 0.25)
                seen = try watcher.hasChanged()
            }
            console.databaseChanged()
            frame()
            samples.append(clock.now - committed)
        }
        return Self.figure("another process's change appears", samples)
    }

    /// Median and 99th percentile by the nearest-rank definition.
    public static func figure(_ name: String, _ samples: [Duration]) -> Figure {
        let sorted = samples.sorted()
        return Figure(name: name, samples: samples.count, median: nearestRank(50, of: sorted) ?? .zero,
                      p99: nearestRank(99, of: sorted) ?? .zero)
    }

    static func paint(_ name: String, _ sizes: [Int]) -> Paint {
        let sorted = sizes.sorted()
        return Paint(name: name, samples: sizes.count, median: nearestRank(50, of: sorted) ?? 0,
                     p99: nearestRank(99, of: sorted) ?? 0, most: sorted.last ?? 0)
    }

    /// The `percent` percentile of `sorted` by the nearest-rank definition; `nil` when it is empty.
    static func nearestRank<Value>(_ percent: Double, of sorted: [Value]) -> Value? {
        guard !sorted.isEmpty else { return nil }
        return sorted[max(Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1, 0)]
    }
}
