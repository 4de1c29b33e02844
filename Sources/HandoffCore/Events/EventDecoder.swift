import Foundation

/// Decodes and validates CloudEvents 1.0 structured JSON: single events, NDJSON lines and
/// JSON-array batches. A bad event becomes an ``EventRejection`` with its reason code.
public enum EventDecoder {
    /// The largest event accepted, in bytes.
    public static let maximumSize = 256 * 1024
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 64
    static let knownAttributes: Set<String> = [
        "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data",
        "data_base64", "traceparent", "tracestate", "correlationid", "partitionkey",
    ]

    /// Decodes one event from its JSON text.
    public static func decode(_ bytes: Data) -> Result<CloudEvent, EventRejection> {
        guard bytes.count <= maximumSize else {
            return .failure(EventRejection(.payloadTooLarge, "\(bytes.count) bytes; at most \(maximumSize)"))
        }
        return parse(bytes).flatMap { value in
            guard case let .object(members) = value else {
                return .failure(EventRejection(.invalidJSON, "an event must be a JSON object"))
            }
            return event(from: members)
        }
    }

    /// Decodes a batch (a JSON array of events): one result per element, in order.
    public static func decodeBatch(_ bytes: Data) -> Result<[Result<CloudEvent, EventRejection>], EventRejection> {
        guard bytes.count <= maximumSize * 1024 else {
            return .failure(EventRejection(.payloadTooLarge, "batch of \(bytes.count) bytes"))
        }
        return parse(bytes).flatMap { value in
            guard case let .array(elements) = value else {
                return .failure(EventRejection(.invalidJSON, "a batch must be a JSON array"))
            }
            return .success(elements.map { element in
                guard case let .object(members) = element else {
                    return .failure(EventRejection(.invalidJSON, "a batch element must be a JSON object"))
                }
                return event(from: members)
            })
        }
    }

    /// Splits NDJSON text into complete lines and the unfinished tail (a last line without its newline).
    public static func lines(of bytes: Data) -> (complete: [Data], remainder: Data) {
        var complete: [Data] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<newline]
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { complete.append(Data(line)) }
            start = bytes.index(after: newline)
        }
        return (complete, Data(bytes[start...]))
    }

    // MARK: - Parsing

    private static func parse(_ bytes: Data) -> Result<JSONValue, EventRejection> {
        if let depth = nestingDepth(bytes), depth > maximumDepth {
            return .failure(EventRejection(.invalidJSON, "nested deeper than \(maximumDepth) levels"))
        }
        do {
            return .success(try JSONDecoder().decode(JSONValue.self, from: bytes))
        } catch {
            return .failure(EventRejection(.invalidJSON, "not valid JSON"))
        }
    }

    /// The deepest nesting of `[` and `{` outside strings, measured before parsing so hostile input
    /// cannot exhaust the parser's stack; `nil` when the text is not UTF-8 JSON-like at all.
    static func nestingDepth(_ bytes: Data) -> Int? {
        bytes.withUnsafeBytes { nestingDepth(of: $0) }
    }

    private static func nestingDepth(of bytes: UnsafeRawBufferPointer) -> Int? {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                deepest = max(deepest, depth)
                if deepest > maximumDepth { return deepest }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return deepest
    }

    // MARK: - Validation

    private static func event(from members: [String: JSONValue]) -> Result<CloudEvent, EventRejection> {
        func required(_ name: String) -> Result<String, EventRejection> {
            guard let value = members[name], value != .null else {
                return .failure(EventRejection(.missingRequiredAttribute, "'\(name)' is required"))
            }
            guard let text = value.string, !text.isEmpty else {
                return .failure(EventRejection(.invalidAttribute, "'\(name)' must be a non-empty string"))
            }
            return .success(text)
        }
        func optional(_ name: String) -> Result<String?, EventRejection> {
            guard let value = members[name], value != .null else { return .success(nil) }
            guard let text = value.string else { return .failure(EventRejection(.invalidAttribute, "'\(name)' must be a string")) }
            return .success(text)
        }
        do {
            let specversion = try required("specversion").get()
            guard specversion == "1.0" else {
                return .failure(EventRejection(.unsupportedSpecversion, "specversion '\(specversion)'; only 1.0 is supported"))
            }
            var event = CloudEvent(
                id: try required("id").get(), source: try required("source").get(), type: try required("type").get(),
                time: nil, subject: try optional("subject").get(), dataContentType: try optional("datacontenttype").get(),
                dataSchema: try optional("dataschema").get(), data: members["data"],
                traceparent: try optional("traceparent").get(), correlationID: try optional("correlationid").get(),
                partitionKey: try optional("partitionkey").get(),
                extensions: members.filter { !knownAttributes.contains($0.key) }
            )
            if let time = try optional("time").get() {
                guard let parsed = Timestamp.parse(time) else {
                    return .failure(EventRejection(.invalidAttribute, "'time' must be an RFC 3339 timestamp"))
                }
                event.time = parsed
            }
            if let type = event.dataContentType, !type.hasPrefix("application/json") {
                return .failure(EventRejection(.invalidAttribute, "datacontenttype '\(type)'; expected application/json"))
            }
            // Which versions are known is the routes' business; here only the form is checked.
            guard event.schemaVersion != nil else {
                return .failure(EventRejection(.invalidAttribute, "dataschema '\(event.dataSchema ?? "")' does not end in :vN"))
            }
            return .success(event)
        } catch {
            return .failure(error)
        }
    }
}
