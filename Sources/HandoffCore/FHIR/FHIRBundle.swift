import Foundation

/// A FHIR R4 `Bundle` of type `collection`, holding the exported tasks (and their provenance).
public struct FHIRBundle: Encodable, Sendable {
    /// One resource of the bundle.
    public enum Resource: Encodable, Sendable {
        case task(FHIRTask)
        case provenance(FHIRProvenance)

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case let .task(task): try task.encode(to: encoder)
            case let .provenance(provenance): try provenance.encode(to: encoder)
            }
        }
    }

    /// An entry: a resource.
    public struct Entry: Encodable, Sendable {
        public var resource: Resource
    }

    public var resourceType = "Bundle"
    public var type = "collection"
    public var timestamp: String
    public var entry: [Entry]?

    public init(timestamp: Date, resources: [Resource]) {
        self.timestamp = fhirDateTime(timestamp)
        entry = resources.isEmpty ? nil : resources.map { Entry(resource: $0) }
    }

    /// The bundle as JSON with sorted keys, so the same content always gives the same text.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
