import Foundation

/// One line of the benchmark table: which of the six figures it belongs to, what was measured, the
/// result, and the goal with whether the result met it. Each `bench` command can write its lines as
/// JSON (`--figures FILE`) for `bench run` to gather into one table.
public struct BenchmarkFigure: Codable, Sendable, Equatable {
    /// The six figures of the benchmark suite, in the order the table shows them.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case ingest, console, transitions, dashboard, memory, bytes

        /// The figure's number and name in the table.
        public var title: String {
            switch self {
            case .ingest: "1 ingest"
            case .console: "2 console"
            case .transitions: "3 transitions under contention"
            case .dashboard: "4 dashboard"
            case .memory: "5 console memory"
            case .bytes: "6 bytes to the terminal"
            }
        }
    }

    public var kind: Kind
    public var measurement: String
    public var result: String
    /// The goal in words; empty when the line has none.
    public var goal: String
    /// Whether the result met the goal; `nil` when the line has no goal.
    public var met: Bool?

    public init(_ kind: Kind, _ measurement: String, _ result: String, goal: String = "", met: Bool? = nil) {
        self.kind = kind
        self.measurement = measurement
        self.result = result
        self.goal = goal
        self.met = met
    }

    /// Writes `figures` as JSON to `path`.
    public static func write(_ figures: [BenchmarkFigure], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(figures).write(to: URL(fileURLWithPath: path))
    }

    /// Reads the figures a `bench` command wrote to `path`.
    public static func read(from path: String) throws -> [BenchmarkFigure] {
        try JSONDecoder().decode([BenchmarkFigure].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// `duration` in milliseconds, with two decimals below 10 ms and none from 1 s.
    public static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        let digits = value < 10 ? 2 : value < 1_000 ? 1 : 0
        return value.formatted(.number.precision(.fractionLength(digits))) + " ms"
    }
}
