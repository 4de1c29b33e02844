import Foundation

// The FHIR R4 datatypes the Task export uses, as JSON: absent values and empty lists are left out, as
// FHIR requires.

/// A FHIR `Coding`: a code from a code system.
public struct FHIRCoding: Codable, Hashable, Sendable {
    public var system: String
    public var code: String
    public var display: String?

    public init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// A FHIR `CodeableConcept`: codings and/or text.
public struct FHIRCodeableConcept: Codable, Hashable, Sendable {
    public var coding: [FHIRCoding]?
    public var text: String?

    public init(coding: [FHIRCoding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }
}

/// A FHIR `Identifier`.
public struct FHIRIdentifier: Codable, Hashable, Sendable {
    public var system: String
    public var value: String

    public init(system: String, value: String) {
        self.system = system
        self.value = value
    }
}

/// A FHIR `Reference`: a literal reference (`Patient/123`) or a logical one (an identifier), with an
/// optional display.
public struct FHIRReference: Codable, Hashable, Sendable {
    public var reference: String?
    public var identifier: FHIRIdentifier?
    public var display: String?

    public init(reference: String? = nil, identifier: FHIRIdentifier? = nil, display: String? = nil) {
        self.reference = reference
        self.identifier = identifier
        self.display = display
    }
}

/// A FHIR `Period`; times as FHIR `dateTime` text.
public struct FHIRPeriod: Codable, Hashable, Sendable {
    public var start: String?
    public var end: String?

    public init(start: String? = nil, end: String? = nil) {
        self.start = start
        self.end = end
    }
}

/// A FHIR `Annotation` (a note) with its author as text.
public struct FHIRAnnotation: Codable, Hashable, Sendable {
    public var authorString: String?
    public var time: String?
    public var text: String

    public init(authorString: String?, time: String?, text: String) {
        self.authorString = authorString
        self.time = time
        self.text = text
    }
}

/// FHIR's `dateTime` and `instant` text for a moment: UTC, milliseconds, e.g. `2026-12-02T10:00:00.000Z`.
public func fhirDateTime(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}
