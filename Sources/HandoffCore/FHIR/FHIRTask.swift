/// A FHIR R4 `Task` resource, as Handoff exports one (only the elements it fills).
public struct FHIRTask: Codable, Hashable, Sendable {
    /// Restrictions on the task; Handoff gives the period by which it is due (the SLA due time).
    public struct Restriction: Codable, Hashable, Sendable {
        public var period: FHIRPeriod

        public init(period: FHIRPeriod) {
            self.period = period
        }
    }

    public var resourceType = "Task"
    public var id: String
    public var identifier: [FHIRIdentifier]
    public var status: String
    public var statusReason: FHIRCodeableConcept?
    public var businessStatus: FHIRCodeableConcept
    public var intent: String
    public var priority: String
    public var code: FHIRCodeableConcept?
    public var description: String
    public var focus: FHIRReference?
    public var `for`: FHIRReference?
    public var executionPeriod: FHIRPeriod?
    public var authoredOn: String
    public var lastModified: String
    public var owner: FHIRReference?
    public var note: [FHIRAnnotation]?
    public var restriction: Restriction?
}
