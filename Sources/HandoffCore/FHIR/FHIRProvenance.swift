/// A FHIR R4 `Provenance` resource: who did one audited change to a task, and when.
public struct FHIRProvenance: Codable, Hashable, Sendable {
    /// One agent of the change; Handoff names the person (a `Practitioner`) or service account (a `Device`).
    public struct Agent: Codable, Hashable, Sendable {
        public var who: FHIRReference

        public init(who: FHIRReference) {
            self.who = who
        }
    }

    public var resourceType = "Provenance"
    public var id: String
    public var target: [FHIRReference]
    public var recorded: String
    public var activity: FHIRCodeableConcept
    public var agent: [Agent]
}
