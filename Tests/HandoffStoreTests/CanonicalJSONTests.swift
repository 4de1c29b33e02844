import Foundation
import Testing
@testable import HandoffStore

/// Audit details are written by a hand-rolled encoder that must give exactly what JSONEncoder gives.
struct CanonicalJSONTests {
    static let samples: [[String: String]] = [
        [:],
        ["owner": "cora"],
        ["b": "2", "a": "1", "reason": "Patient declined / rebooked"],
        ["note": "quote \" backslash \\ newline \n tab \t return \r bell \u{07} escape \u{1B}[2J del \u{7F}"],
        ["name": "José Nuñez 王芳 Zoë 👩‍⚕️", "sep": "\u{2028}\u{2029}", "nul": "a\u{0}b", "ff": "\u{0C}\u{08}"],
    ]

    @Test(arguments: samples)
    func matchesJSONEncoderWithSortedKeys(_ detail: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(CanonicalJSON.encode(detail) == String(decoding: try encoder.encode(detail), as: UTF8.self))
        #expect(CanonicalJSON.decode(CanonicalJSON.encode(detail)) == detail)
    }
}
