/// The routing rules and payload schemas: decides what each canonical event does.
///
/// Data, not code: loaded from a routes file (see `SampleData/routes.yaml`). Pure.
public struct Routes: Hashable, Sendable {
    /// Payload schemas by event type and major version.
    public var schemas: [String: [Int: PayloadSchema]]
    /// The rules, in file order.
    public var rules: [RouteRule]

    public init(schemas: [String: [Int: PayloadSchema]], rules: [RouteRule]) {
        self.schemas = schemas
        self.rules = rules
    }

    /// The queues the rules create tasks in, with the line of each first use.
    public var queues: [(queue: String, line: Int)] {
        var seen: Set<String> = []
        var result: [(String, Int)] = []
        for rule in rules {
            let templates: [TaskTemplate]
            switch rule.action {
            case let .create(task): templates = [task]
            case let .amend(_, reopen?): templates = [reopen]
            default: templates = []
            }
            for template in templates where seen.insert(template.queue).inserted {
                result.append((template.queue, rule.line))
            }
        }
        return result
    }

    /// Decides what `event` does: the rule that matches it, its correlation key and intent, or the
    /// reason it must be dead-lettered (unknown type, unknown schema version, invalid payload).
    public func route(_ event: CloudEvent) -> Result<RoutedEvent, EventRejection> {
        guard let versions = schemas[event.type] else {
            return .failure(EventRejection(.unknownType, "no route for type '\(event.type)'"))
        }
        guard let version = event.schemaVersion, let schema = versions[version] else {
            let known = versions.keys.sorted().map { "v\($0)" }.joined(separator: ", ")
            return .failure(EventRejection(.unsupportedSchemaVersion,
                                           "\(event.type) schema v\(event.schemaVersion ?? 0) is not known; known: \(known)"))
        }
        if let problem = schema.validate(event.data) { return .failure(problem) }

        for rule in rules where rule.eventType == event.type && rule.versions.map({ $0.contains(version) }) ?? true {
            var missing: [String] = []
            let matches = rule.conditions.allSatisfy { condition in
                let result = condition.evaluate(event.data)
                missing += result.missing
                return result.matches
            }
            guard matches else { continue }
            return decide(rule, event: event, extra: missing.isEmpty ? [:] : ["missing": missing.joined(separator: ", ")])
        }
        return .success(RoutedEvent(ruleLine: nil, correlationKey: event.correlationID,
                                    intent: .ignore("no rule matched \(event.type)")))
    }

    private func decide(_ rule: RouteRule, event: CloudEvent, extra: [String: String]) -> Result<RoutedEvent, EventRejection> {
        let data = event.data
        let rendered = rule.correlate.map { $0.render(data, extra: extra) } ?? event.correlationID
        let key = rendered.flatMap { $0.isEmpty ? nil : $0 }
        if rule.action.needsTask, key == nil {
            return .failure(EventRejection(.dataInvalid, "\(event.type): no correlation key to find the task by"))
        }
        func routed(_ intent: RoutedEvent.Intent) -> Result<RoutedEvent, EventRejection> {
            .success(RoutedEvent(ruleLine: rule.line, correlationKey: key, intent: intent))
        }
        func onTask(_ intent: RoutedEvent.TaskIntent, reopen: TaskDraft? = nil) -> Result<RoutedEvent, EventRejection> {
            routed(.onTask(intent, whenNoTask: rule.whenNoTask, reopen: reopen))
        }
        switch rule.action {
        case let .create(template):
            return template.draft(for: event, correlationKey: key, extra: extra).flatMap { routed(.create($0)) }
        case let .pend(reason): return onTask(.pend(reason: reason.render(data, extra: extra)))
        case .resume: return onTask(.resume)
        case let .cancel(reason): return onTask(.cancel(reason: reason.render(data, extra: extra)))
        case let .note(text): return onTask(.note(text.render(data, extra: extra)))
        case let .raise(code, context):
            return onTask(.raise(ExceptionDetail(code: code, context: context.mapValues { $0.render(data, extra: extra) })))
        case let .amend(note, reopen):
            guard let reopen else { return onTask(.amend(note: note.render(data, extra: extra))) }
            return reopen.draft(for: event, correlationKey: key, extra: extra).flatMap {
                onTask(.amend(note: note.render(data, extra: extra)), reopen: $0)
            }
        case let .supply(fields, contextKey):
            let supplied = fields.filter { data?.value(at: $0).map { $0 != .null } ?? false }
            return onTask(.supply(supplied: supplied, contextKey: contextKey))
        case let .ignore(reason):
            return routed(.ignore(reason))
        }
    }
}
