import Foundation

/// The benchmark suite's one table: a heading that says where and how it was measured, then every
/// line grouped by figure in the suite's order, each with its goal and whether it was met.
public struct BenchmarkTable {
    public var heading: [String]
    public var figures: [BenchmarkFigure]

    public init(heading: [String], figures: [BenchmarkFigure]) {
        self.heading = heading
        self.figures = figures
    }

    /// The table as text; a missed goal says `MISSED`.
    public func render() -> String {
        var rows: [[String]] = []
        for kind in BenchmarkFigure.Kind.allCases {
            for (index, line) in figures.filter({ $0.kind == kind }).enumerated() {
                rows.append([index == 0 ? kind.title : "", line.measurement, line.result, line.goal,
                             line.met.map { $0 ? "met" : "MISSED" } ?? ""])
            }
        }
        let table = TextTable(headers: ["figure", "measurement", "result", "goal", ""], rows: rows).render(maxColumnWidth: 64)
        return (heading + ["", table]).joined(separator: "\n")
    }

    /// The goals the figures missed, one phrase each.
    public var missed: [String] {
        figures.filter { $0.met == false }.map { "\($0.kind.title): \($0.measurement.trimmingCharacters(in: .whitespaces))" }
    }
}
