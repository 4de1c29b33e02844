extension CloudEvent {
    /// The event in CloudEvents 1.0 JSON structured mode, on one line (no newline): sorted keys,
    /// absent attributes left out, extensions beside the context attributes. ``EventDecoder`` reads it back.
    public var structuredJSON: String {
        var members = extensions
        members["specversion"] = .string("1.0")
        members["id"] = .string(id)
        members["source"] = .string(source)
        members["type"] = .string(type)
        let optional: [(String, String?)] = [
            ("time", time.map(Timestamp.format)), ("subject", subject), ("datacontenttype", dataContentType),
            ("dataschema", dataSchema), ("traceparent", traceparent), ("correlationid", correlationID),
            ("partitionkey", partitionKey),
        ]
        for case let (name, value?) in optional { members[name] = .string(value) }
        if let data { members["data"] = data }
        return JSONText.encode(.object(members))
    }
}
