import Foundation
import HandoffCore
import Yams

/// Reads a routes file (payload schemas and routing rules) into ``Routes``, refusing any error
/// with the file, the line and the problem. The format is documented in `docs/ROUTES.md`.
public enum RoutesLoader {
    /// Reads and checks the routes file at `file`.
    public static func load(file: String) throws(RoutesError) -> Routes {
        let data: Data
        do { data = try UserFile.read(file) } catch {
            throw .invalid(file: file, line: nil, problem: "cannot read it (\(UserFileError.reason(of: error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(file: file, line: nil, problem: "it is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses the text of a routes file; `file` is only for messages.
    public static func parse(_ text: String, file: String) throws(RoutesError) -> Routes {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            let problem = YAMLSyntax.problem(in: error)
            throw .invalid(file: file, line: problem.line, problem: problem.text)
        }
        var parser = Parser(file: file)
        guard let top = document?.mapping else {
            throw .invalid(file: file, line: document?.mark?.line, problem: "a routes file is a mapping with 'schemas' and 'routes'")
        }
        var routesNode: Node?
        for (key, value) in top {
            switch key.scalar?.string {
            case "schemas": try parser.schemas(value)
            case "routes": routesNode = value
            default: throw parser.invalid(key, "unknown key \(quoted(key)) (use schemas and routes)")
            }
        }
        guard !parser.schemas.isEmpty else { throw parser.invalid(document!, "no 'schemas': declare each event type's payload") }
        guard let routesNode, let list = routesNode.sequence, !list.isEmpty else {
            throw parser.invalid(routesNode ?? document!, "'routes' must be a non-empty list of rules")
        }
        var rules: [RouteRule] = []
        for item in list { rules.append(try parser.rule(item)) }
        return Routes(schemas: parser.schemas, rules: rules)
    }

    private struct Parser {
        let file: String
        var schemas: [String: [Int: PayloadSchema]] = [:]

        init(file: String) { self.file = file }

        func invalid(_ node: Node, _ problem: String) -> RoutesError {
            .invalid(file: file, line: node.mark?.line, problem: problem)
        }

        // MARK: - Schemas

        mutating func schemas(_ node: Node) throws(RoutesError) {
            guard let types = node.mapping else { throw invalid(node, "'schemas' maps event types to versions, e.g. 'lab.result.signed: { v1: { … } }'") }
            for (typeKey, versionsNode) in types {
                guard let type = typeKey.scalar?.string, isEventType(type) else {
                    throw invalid(typeKey, "\(quoted(typeKey)) is not an event type (dotted lower-case words, e.g. lab.result.signed)")
                }
                guard let versions = versionsNode.mapping, !versions.isEmpty else {
                    throw invalid(versionsNode, "schemas of \(type) map versions to fields, e.g. 'v1: { patient: reference(Patient) }'")
                }
                for (versionKey, fieldsNode) in versions {
                    guard let text = versionKey.scalar?.string, text.hasPrefix("v"), let version = Int(text.dropFirst()), version > 0 else {
                        throw invalid(versionKey, "\(quoted(versionKey)) is not a version: write v1, v2, …")
                    }
                    guard let fieldNodes = fieldsNode.mapping else {
                        throw invalid(fieldsNode, "\(type) \(text) maps field paths to types, e.g. 'report: reference(DiagnosticReport)'")
                    }
                    var fields: [PayloadSchema.Field] = []
                    for (pathNode, typeNode) in fieldNodes {
                        guard let path = pathNode.scalar?.string, !path.isEmpty else { throw invalid(pathNode, "a field path is empty") }
                        guard let spelled = typeNode.scalar?.string else { throw invalid(typeNode, "the type of \(path) must be a word") }
                        let isOptional = spelled.hasSuffix("?")
                        guard let fieldType = FieldType(isOptional ? String(spelled.dropLast()) : spelled) else {
                            throw invalid(typeNode, "\(quoted(typeNode)) is not a type: use string, bool, number, array, object, any, reference, reference(Type) or one-of(a, b), with ? when optional")
                        }
                        fields.append(.init(path: path, type: fieldType, isOptional: isOptional))
                    }
                    schemas[type, default: [:]][version] = PayloadSchema(eventType: type, version: version, fields: fields)
                }
            }
        }

        // MARK: - Rules

        private static let actionKeys = ["create", "pend", "resume", "cancel", "note", "raise", "amend", "supply", "ignore"]
        private static let ruleKeys: Set<String> = ["type", "schema", "when", "correlate", "if-no-task"]

        func rule(_ node: Node) throws(RoutesError) -> RouteRule {
            guard let members = node.mapping else { throw invalid(node, "a rule is a mapping with 'type' and one action") }
            let line = node.mark?.line ?? 0
            var type: String?
            var versions: Set<Int>?
            var conditions: [RouteCondition] = []
            var correlate: TextTemplate?
            var whenNoTask = RouteRule.WhenNoTask.park
            var action: (key: Node, value: Node)?
            for (key, value) in members {
                let name = key.scalar?.string ?? ""
                if Self.actionKeys.contains(name) {
                    if let first = action {
                        throw invalid(key, "a rule has one action; this one has \(first.key.scalar?.string ?? "") and \(name)")
                    }
                    action = (key, value)
                    continue
                }
                guard Self.ruleKeys.contains(name) else {
                    throw invalid(key, "unknown key \(quoted(key)) (a rule has type, schema, when, correlate, if-no-task and one of \(Self.actionKeys.joined(separator: ", ")))")
                }
                switch name {
                case "type":
                    guard let text = value.scalar?.string, schemas[text] != nil else {
                        throw invalid(value, "type \(quoted(value)) has no schema: declare it under 'schemas' first")
                    }
                    type = text
                case "schema":
                    let items = value.sequence.map(Array.init) ?? [value]
                    var set: Set<Int> = []
                    for item in items {
                        guard let text = item.scalar?.string, text.hasPrefix("v"), let number = Int(text.dropFirst()) else {
                            throw invalid(item, "\(quoted(item)) is not a version: write v1 or [v1, v2]")
                        }
                        set.insert(number)
                    }
                    versions = set
                case "when": conditions = try self.conditions(value)
                case "correlate": correlate = try template(value)
                default:
                    guard let policy = value.scalar.flatMap({ RouteRule.WhenNoTask(rawValue: $0.string) }) else {
                        throw invalid(value, "if-no-task is park (wait for the task, then dead-letter) or ignore")
                    }
                    whenNoTask = policy
                }
            }
            guard let type else { throw invalid(node, "the rule has no 'type'") }
            guard let action else { throw invalid(node, "the rule for \(type) has no action: give one of \(Self.actionKeys.joined(separator: ", "))") }
            let rule = RouteRule(line: line, eventType: type, versions: versions, conditions: conditions, correlate: correlate,
                                 action: try self.action(action.key, action.value), whenNoTask: whenNoTask)
            try check(rule, node: node)
            return rule
        }

        /// Every path the rule reads must be declared by each schema version it applies to.
        private func check(_ rule: RouteRule, node: Node) throws(RoutesError) {
            let versions = schemas[rule.eventType] ?? [:]
            let applicable = rule.versions ?? Set(versions.keys)
            for version in applicable.sorted() {
                guard let schema = versions[version] else {
                    throw invalid(node, "\(rule.eventType) has no schema v\(version)")
                }
                let hasMissing = rule.conditions.contains { if case .missingAny = $0 { true } else { false } }
                for path in rule.paths where !(path == "missing" && hasMissing) && !schema.declares(path) {
                    throw invalid(node, "'\(path)' is not a field of \(rule.eventType) v\(version) (declared: \(schema.fields.map(\.path).joined(separator: ", ")))")
                }
            }
        }

        private func conditions(_ node: Node) throws(RoutesError) -> [RouteCondition] {
            guard let members = node.mapping else { throw invalid(node, "'when' maps fields to values, e.g. { decision: denied }") }
            var result: [RouteCondition] = []
            for (key, value) in members {
                guard let path = key.scalar?.string else { throw invalid(key, "a condition names a field") }
                if path == "missing-any" {
                    guard let list = value.sequence, !list.isEmpty else { throw invalid(value, "missing-any takes a list of fields") }
                    result.append(.missingAny(try list.map { (item) throws(RoutesError) -> String in try word(item) }))
                } else {
                    guard let scalar = value.scalar else { throw invalid(value, "compare \(path) with one value (true, false or a word)") }
                    let compared: JSONValue = switch scalar.string {
                    case "true": .bool(true)
                    case "false": .bool(false)
                    default: .string(scalar.string)
                    }
                    result.append(.equals(path: path, value: compared))
                }
            }
            return result
        }

        private func action(_ key: Node, _ value: Node) throws(RoutesError) -> RouteRule.Action {
            switch key.scalar?.string {
            case "create": return .create(try task(value))
            case "pend": return .pend(reason: try template(value))
            case "resume": return .resume
            case "cancel": return .cancel(reason: try template(value))
            case "note": return .note(try template(value))
            case "raise":
                let members = try mapping(value, ["code", "context"], required: ["code"])
                return .raise(code: try code(members["code"]!), context: try context(members["context"]))
            case "amend":
                let members = try mapping(value, ["note", "reopen"], required: ["note"])
                return .amend(note: try template(members["note"]!), reopen: try members["reopen"].map { (node) throws(RoutesError) in try task(node) })
            case "supply":
                let members = try mapping(value, ["fields", "context"], required: ["fields", "context"])
                guard let list = members["fields"]!.sequence, !list.isEmpty else { throw invalid(members["fields"]!, "fields takes a list") }
                return .supply(fields: try list.map { (item) throws(RoutesError) -> String in try word(item) },
                               contextKey: try word(members["context"]!))
            default:
                return .ignore(value.scalar?.string ?? "ignored by rule")
            }
        }

        private func task(_ node: Node) throws(RoutesError) -> TaskTemplate {
            let members = try mapping(node, ["queue", "kind", "title", "priority", "subject", "display", "focus", "exception", "context"],
                                      required: ["queue", "kind", "title", "priority"])
            let kind = try word(members["kind"]!)
            guard kind.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw invalid(members["kind"]!, "kind '\(kind)': use lower-case letters, digits and '-', e.g. lab-review")
            }
            if members["context"] != nil, members["exception"] == nil {
                throw invalid(members["context"]!, "context belongs to exception tasks: add 'exception: CODE'")
            }
            return TaskTemplate(
                queue: try word(members["queue"]!), kind: kind, title: try template(members["title"]!),
                priority: try priority(members["priority"]!),
                subject: try members["subject"].map { (node) throws(RoutesError) in try template(node) },
                display: try members["display"].map { (node) throws(RoutesError) in try template(node) },
                focus: try members["focus"].map { (node) throws(RoutesError) in try template(node) },
                exceptionCode: try members["exception"].map { (node) throws(RoutesError) in try code(node) },
                context: try context(members["context"])
            )
        }

        private func priority(_ node: Node) throws(RoutesError) -> TaskTemplate.PriorityRule {
            func parsePriority(_ node: Node) throws(RoutesError) -> Priority {
                guard let priority = node.scalar.flatMap({ Priority(rawValue: $0.string) }) else {
                    throw invalid(node, "\(quoted(node)) is not a priority: routine, urgent, asap or stat")
                }
                return priority
            }
            if let scalar = node.scalar {
                let text = try template(node)
                if text.paths.isEmpty { _ = try parsePriority(node) }
                _ = scalar
                return .text(text)
            }
            guard let members = node.mapping else { throw invalid(node, "priority is a word, a {field}, or { flag: priority, …, else: priority }") }
            var flags: [(path: String, priority: Priority)] = []
            var otherwise: Priority?
            for (key, value) in members {
                let path = try word(key)
                if path == "else" { otherwise = try parsePriority(value) } else { flags.append((path, try parsePriority(value))) }
            }
            guard let otherwise else { throw invalid(node, "priority by flags needs 'else: PRIORITY' for when no flag is true") }
            return .flags(flags, otherwise: otherwise)
        }

        private func context(_ node: Node?) throws(RoutesError) -> [String: TextTemplate] {
            guard let node else { return [:] }
            guard let members = node.mapping else { throw invalid(node, "context maps keys to text, e.g. { missing: \"{missing}\" }") }
            var result: [String: TextTemplate] = [:]
            for (key, value) in members { result[try word(key)] = try template(value) }
            return result
        }

        private func mapping(_ node: Node, _ allowed: [String], required: [String]) throws(RoutesError) -> [String: Node] {
            guard let members = node.mapping else { throw invalid(node, "expected a mapping with \(allowed.joined(separator: ", "))") }
            var result: [String: Node] = [:]
            for (key, value) in members {
                let name = key.scalar?.string ?? ""
                guard allowed.contains(name) else {
                    throw invalid(key, "unknown key \(quoted(key)) (allowed here: \(allowed.joined(separator: ", ")))")
                }
                result[name] = value
            }
            for name in required where result[name] == nil { throw invalid(node, "'\(name)' is required here") }
            return result
        }

        private func template(_ node: Node) throws(RoutesError) -> TextTemplate {
            guard let text = node.scalar?.string else { throw invalid(node, "expected text") }
            switch TextTemplate.parse(text) {
            case let .success(template): return template
            case let .failure(problem): throw invalid(node, problem.description)
            }
        }

        private func word(_ node: Node) throws(RoutesError) -> String {
            guard let text = node.scalar?.string, !text.isEmpty, !text.contains(where: \.isWhitespace) else {
                throw invalid(node, "expected a single word, got \(quoted(node))")
            }
            return text
        }

        private func code(_ node: Node) throws(RoutesError) -> String {
            let text = try word(node)
            guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                throw invalid(node, "code '\(text)': use lower-case letters, digits and '_', e.g. missing_demographics")
            }
            return text
        }

        private func isEventType(_ text: String) -> Bool {
            !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
            }
        }
    }

    private static func quoted(_ node: Node) -> String { YAMLSyntax.quoted(node) }
}

/// A routes file that cannot be used; the description names the file, the line when known, and the problem.
public enum RoutesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `line` counts from 1.
    case invalid(file: String, line: Int?, problem: String)

    public var description: String {
        switch self {
        case let .invalid(file, line, problem): YAMLSyntax.message(file: file, line: line, problem: problem)
        }
    }
}
