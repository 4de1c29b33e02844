import Foundation
import HandoffCore

/// A deterministic stream of synthetic canonical events for benchmarks: signed lab results, referrals
/// with their authorization chains, cancelled appointments and redeliveries, in the proportions a busy
/// integration feed shows. Everything is invented; the same seed gives the same bytes.
public struct SyntheticEvents: Sendable {
    public let seed: UInt64
    public let count: Int
    /// The first id of the references the events use, above anything the workload generator makes.
    public let base: Int

    public init(seed: UInt64, count: Int, base: Int = 90_000_000) {
        self.seed = seed
        self.count = count
        self.base = base
    }

    /// Event `index` as one compact JSON line (without its newline).
    ///
    /// Events come in blocks of three: a fifth of the blocks are a referral chain (received,
    /// authorization requested, approved); the others are signed results (most), cancelled
    /// appointments and redeliveries of an earlier event.
    public func line(_ index: Int) -> String {
        var block = SplitMix64(seed: seed, stream: UInt64(index / 3) &+ 0xB10C)
        var random = SplitMix64(seed: seed, stream: UInt64(index) &+ 0xE0E0)
        let time = Self.start.addingTimeInterval(Double(index) * 0.01)
        let patient = "Patient/\(1_000 + random.below(40_000))"
        if block.below(100) < 20 {
            let referral = "ServiceRequest/\(base + index / 3)"
            switch index % 3 {
            case 0:
                return Self.event(index, "referral.received", "urn:bench:referrals", time, patient, [
                    "patient": .string(patient), "name": .string("Bench Patient \(index % 977)"), "referral": .string(referral),
                    "specialty": .string("cardiology"), "urgency": .string(random.below(3) == 0 ? "urgent" : "routine"),
                    "needsAuthorization": .bool(true),
                ])
            case 1:
                return Self.event(index, "authorization.requested", "urn:bench:referrals", time, patient, [
                    "patient": .string(patient), "referral": .string(referral), "payer": .string("Bench Health (fake payer)"),
                ])
            default:
                return Self.event(index, "authorization.received", "urn:bench:referrals", time, patient, [
                    "referral": .string(referral), "decision": .string("approved"),
                ])
            }
        }
        let roll = random.below(100)
        if roll < 4, index > 10 { return line(index - 1 - random.below(min(index, 1_000) - 1)) }
        if roll < 90 {
            let critical = random.below(100) < 10, abnormal = critical || random.below(100) < 25
            return Self.event(index, "lab.result.signed", "urn:bench:lab", time, patient, [
                "patient": .string(patient), "name": .string("Bench Patient \(index % 977)"),
                "report": .string("DiagnosticReport/\(base + index)"),
                "test": .object(["code": .string("2823-3"), "display": .string("Potassium \(30 + random.below(40)) mmol/L")]),
                "abnormal": .bool(abnormal), "critical": .bool(critical),
            ])
        }
        return Self.event(index, "appointment.cancelled", "urn:bench:scheduling", time, patient, [
            "patient": .string(patient), "name": .string("Bench Patient \(index % 977)"),
            "appointment": .string("Appointment/\(base + index)"), "reason": .string("clinic closed"),
        ])
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    private static func event(_ index: Int, _ type: String, _ source: String, _ time: Date, _ patient: String,
                              _ data: [String: JSONValue]) -> String {
        let trace = String(format: "%032x", index)
        let object: JSONValue = .object([
            "specversion": .string("1.0"), "id": .string("bench-\(index)"), "source": .string(source), "type": .string(type),
            "time": .string(Timestamp.format(time)), "subject": .string(patient), "datacontenttype": .string("application/json"),
            "dataschema": .string("urn:handoff:event:\(type):v1"), "traceparent": .string("00-\(trace)-00f067aa0ba902b7-01"),
            "data": .object(data),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(object)) ?? Data(), as: UTF8.self)
    }

    /// Writes the stream as NDJSON files of `perFile` lines into `directory`; returns the file count.
    public func write(to directory: String, perFile: Int = 10_000) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files = 0
        for start in stride(from: 0, to: count, by: perFile) {
            var text = ""
            for index in start..<min(start + perFile, count) { text += line(index) + "\n" }
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + String(format: "/bench-%05d.ndjson", files)))
            files += 1
        }
        return files
    }
}
