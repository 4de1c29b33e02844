import Foundation
import HandoffCore
import HandoffStore
import HandoffTUI

/// Measures the console against a real database without a terminal: key press to finished frame
/// (handling the key, reading the page, drawing the buffer), and how long another process's change
/// takes to appear. Curses' own painting is left out: it sends only the changed cells.
public struct ConsoleBenchmark {
    /// One measured kind of interaction.
    public struct Figure: Sendable {
        public var name: String
        public var samples: Int
        public var median: Duration
        public var p99: Duration
    }

    let store: HandoffStore
    let actor: Actor
    let presses: Int

    public init(store: HandoffStore, actor: Actor, presses: Int) {
        self.store = store
        self.actor = actor
        self.presses = presses
    }

    /// Runs every measurement and returns the figures in order.
    public func run() throws -> [Figure] {
        let clock = ContinuousClock()
        var figures: [Figure] = []
        let data = StoreConsoleData(store: store, actor: actor)
        var console: Console!
        let start = clock.measure {
            console = Console(data: data)
            console.reload()
            _ = console.render(width: 120, height: 40, now: Date())
        }
        figures.append(Figure(name: "start to first frame", samples: 1, median: start, p99: start))
        if console.screen != .queues { console.handle(.character("2")) }
        // Start on the largest queue.
        let queues = try data.queues()
        if let largest = queues.indices.max(by: { queues[$0].openCount < queues[$1].openCount }) {
            for _ in 0..<largest { console.handle(.right) }
        }
        func measure(_ name: String, _ keys: [Key]) {
            var samples: [Duration] = []
            for key in keys {
                samples.append(clock.measure {
                    console.handle(key)
                    _ = console.render(width: 120, height: 40, now: Date())
                })
            }
            figures.append(Self.figure(name, samples))
        }
        measure("cursor down", Array(repeating: .down, count: presses))
        measure("page down", Array(repeating: .pageDown, count: presses))
        measure("page up", Array(repeating: .pageUp, count: presses))
        measure("filter, typing", [.character("/")] + Array("nunez cardio".map(Key.character)) + [.escape])
        measure("switch queue", Array(repeating: .right, count: max(presses / 10, 6)))
        figures.append(try liveLatency(console: console, rounds: 20))
        return figures
    }

    /// From another connection's commit to the redrawn frame, with the console's own 250 ms watch.
    private func liveLatency(console: Console, rounds: Int) throws -> Figure {
        let clock = ContinuousClock()
        let watcher = try ChangeWatcher(store: store)
        let writer = try HandoffStore.open(at: store.path)
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
            _ = console.render(width: 120, height: 40, now: Date())
            samples.append(clock.now - committed)
        }
        return Self.figure("another process's change appears", samples)
    }

    /// Median and 99th percentile by the nearest-rank definition.
    public static func figure(_ name: String, _ samples: [Duration]) -> Figure {
        let sorted = samples.sorted()
        func rank(_ percent: Double) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            return sorted[max(Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1, 0)]
        }
        return Figure(name: name, samples: samples.count, median: rank(50), p99: rank(99))
    }
}
