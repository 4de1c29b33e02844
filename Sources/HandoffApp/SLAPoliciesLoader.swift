import Foundation
import HandoffCore
import Yams

/// Reads an SLA policies file (work calendars and each queue's goals, paused states, thresholds and
/// escalation actions) into ``SLAPolicies``, refusing any error with the file, the line and the problem.
/// The file's `default` policy goes under ``SLAPolicies/defaultKey``. The format is documented in `docs/SLA.md`.
public enum SLAPoliciesLoader {
    /// Reads and checks the policies file at `file`; with `knownQueues`, every queue it names (a policy
    /// or a `move-to` target) must be one of them.
    public static func load(file: String, knownQueues: Set<String>? = nil) throws(SLAPoliciesError) -> SLAPolicies {
        let data: Data
        do { data = try UserFile.read(file) } catch {
            throw .invalid(file: file, line: nil, problem: "cannot read it (\(UserFileError.reason(of: error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(file: file, line: nil, problem: "it is not UTF-8 text")
        }
        return try parse(text, file: file, knownQueues: knownQueues)
    }

    /// Parses the text of a policies file; `file` is only for messages. With `knownQueues`, every queue
    /// it names (a policy or a `move-to` target) must be one of them.
    public static func parse(_ text: String, file: String, knownQueues: Set<String>? = nil) throws(SLAPoliciesError) -> SLAPolicies {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            let problem = YAMLSyntax.problem(in: error)
            throw .invalid(file: file, line: problem.line, problem: problem.text)
        }
        guard let document else {
            throw .invalid(file: file, line: nil, problem: "the file is empty: give 'calendars' and 'policies' (see docs/SLA.md)")
        }
        var parser = Parser(file: file, knownQueues: knownQueues)
        guard let top = document.mapping else {
            throw parser.invalid(document, "a policies file is a mapping with 'calendars', 'policies' and optionally 'default'")
        }
        var sections: [String: Node] = [:]
        for (key, value) in top {
            let name = key.scalar?.string ?? ""
            guard ["calendars", "policies", "default"].contains(name) else {
                throw parser.invalid(key, "unknown key \(quoted(key)) (use calendars, policies and default)")
            }
            sections[name] = value
        }
        // Calendars first: policies may come before them in the file.
        if let calendars = sections["calendars"] { try parser.calendars(calendars) }
        var policies: [String: SLAPolicy] = [:]
        if let policiesNode = sections["policies"] {
            guard let members = policiesNode.mapping else {
                throw parser.invalid(policiesNode, "'policies' maps queue names to policies, e.g. 'lab-results: { goals: [ … ] }'")
            }
            for (key, value) in members {
                let queue = try parser.queue(key.scalar?.string ?? "", at: key)
                policies[queue] = try parser.policy(value, queue: queue)
            }
        }
        if let defaultNode = sections["default"] {
            policies[SLAPolicies.defaultKey] = try parser.policy(defaultNode, queue: SLAPolicies.defaultKey)
        }
        guard !policies.isEmpty else {
            throw parser.invalid(document, "no policies: give 'policies' with a policy per queue, or a 'default' (see docs/SLA.md)")
        }
        return SLAPolicies(calendars: parser.calendars, policies: policies)
    }

    private struct Parser {
        let file: String
        let knownQueues: Set<String>?
        var calendars: [String: WorkCalendar] = [WorkCalendar.always.name: .always]

        init(file: String, knownQueues: Set<String>?) {
            self.file = file
            self.knownQueues = knownQueues
        }

        func invalid(_ node: Node, _ problem: String) -> SLAPoliciesError {
            .invalid(file: file, line: node.mark?.line, problem: problem)
        }

        // MARK: - Calendars

        mutating func calendars(_ node: Node) throws(SLAPoliciesError) {
            guard let members = node.mapping else {
                throw invalid(node, "'calendars' maps names to calendars, e.g. 'office: { time-zone: America/Chicago, hours: { … } }'")
            }
            for (key, value) in members {
                let name = key.scalar?.string ?? ""
                guard name != WorkCalendar.always.name else {
                    throw invalid(key, "'\(name)' is predefined (round the clock): give this calendar another name")
                }
                guard isName(name) else {
                    throw invalid(key, "calendar name \(quoted(key)): use lower-case letters, digits and '-', e.g. office")
                }
                calendars[name] = try calendar(value, name: name, key: key)
            }
        }

        /// The calendar `name` (written at `key`) from its mapping `node`.
        private func calendar(_ node: Node, name: String, key: Node) throws(SLAPoliciesError) -> WorkCalendar {
            let members = try mapping(node, ["time-zone", "hours", "holidays"], required: [], what: "calendar \(name)")
            guard let hoursNode = members["hours"] else {
                if let holidays = members["holidays"] {
                    throw invalid(holidays, "calendar \(name) has no hours, so it is 24x7 and has no holidays: add 'hours'")
                }
                let timeZone = try members["time-zone"].map { (node) throws(SLAPoliciesError) in try self.timeZone(node) }
                return WorkCalendar(name: name, timeZone: timeZone ?? WorkCalendar.always.timeZone)
            }
            guard let zoneNode = members["time-zone"] else {
                throw invalid(key, "calendar \(name) has hours but no 'time-zone': give an IANA zone, e.g. America/Chicago")
            }
            return WorkCalendar(name: name, timeZone: try timeZone(zoneNode), week: try week(hoursNode, calendar: name),
                                holidays: try members["holidays"].map { (node) throws(SLAPoliciesError) in try holidays(node) } ?? [])
        }

        private func timeZone(_ node: Node) throws(SLAPoliciesError) -> TimeZone {
            guard let text = node.scalar?.string, let zone = TimeZone(identifier: text) else {
                throw invalid(node, "\(quoted(node)) is not a known IANA time zone, e.g. America/Chicago or Europe/London")
            }
            return zone
        }

        /// Working intervals by `Calendar` weekday (1 = Sunday); a day may be named by several keys
        /// (`mon-fri` and `fri`), as long as its intervals do not overlap.
        private func week(_ node: Node, calendar: String) throws(SLAPoliciesError) -> [Int: [WorkCalendar.Interval]] {
            guard let members = node.mapping, !members.isEmpty else {
                throw invalid(node, "hours of \(calendar) map days to intervals, e.g. 'mon-fri: [\"09:00-17:00\"]' (leave hours out for 24x7)")
            }
            var week: [Int: [(interval: WorkCalendar.Interval, line: Int)]] = [:]
            for (key, value) in members {
                let days = try weekdays(key)
                let items = value.sequence.map(Array.init) ?? [value]
                guard !items.isEmpty else { throw invalid(value, "give \(key.scalar?.string ?? "the days") at least one interval, e.g. \"09:00-17:00\"") }
                for item in items {
                    let interval = try self.interval(item)
                    let line = item.mark?.line ?? 0
                    for day in days {
                        if let other = week[day, default: []].first(where: { interval.start < $0.interval.end && $0.interval.start < interval.end }) {
                            let dayName = Self.weekdayNames[(day + 5) % 7]
                            throw invalid(item, "\(clock(interval)) overlaps \(clock(other.interval)) (line \(other.line)) on \(dayName): intervals of a day must not overlap")
                        }
                        week[day, default: []].append((interval, line))
                    }
                }
            }
            return week.mapValues { $0.map(\.interval) }
        }

        /// Monday first, as people write weeks.
        private static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

        /// `Calendar` weekday numbers (1 = Sunday) for `mon`, …, `sun` or a range such as `mon-fri`.
        private func weekdays(_ node: Node) throws(SLAPoliciesError) -> [Int] {
            let text = node.scalar?.string ?? ""
            let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { Self.weekdayNames.firstIndex(of: String($0)) }
            guard (ends.count == 1 || ends.count == 2), let first = ends.first!, let last = ends.last! else {
                throw invalid(node, "unknown day \(quoted(node)): use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri")
            }
            guard first <= last else {
                throw invalid(node, "the range \(quoted(node)) runs backwards: write it from mon towards sun, e.g. mon-fri or sat-sun")
            }
            return (first...last).map { ($0 + 1) % 7 + 1 }
        }

        /// `"HH:MM-HH:MM"` on the local wall clock, ending at `24:00` at the latest.
        private func interval(_ node: Node) throws(SLAPoliciesError) -> WorkCalendar.Interval {
            let text = node.scalar?.string ?? ""
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]) else {
                throw invalid(node, "\(quoted(node)) is not an interval: write HH:MM-HH:MM, e.g. \"09:00-12:30\"")
            }
            guard start < end else {
                throw invalid(node, "\(quoted(node)) does not start before it ends: an interval lies within one day (split a night into 22:00-24:00 and 00:00-06:00)")
            }
            return WorkCalendar.Interval(start: start, end: end)
        }

        /// Minutes after midnight of `HH:MM` (`24:00` is the end of the day).
        private func minutes(_ text: Substring) -> Int? {
            let text = text.trimmingCharacters(in: .whitespaces)
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
            return hour * 60 + minute
        }

        private func clock(_ interval: WorkCalendar.Interval) -> String {
            func time(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
            return time(interval.start) + "-" + time(interval.end)
        }

        private func holidays(_ node: Node) throws(SLAPoliciesError) -> Set<WorkCalendar.Day> {
            guard let items = node.sequence else { throw invalid(node, "holidays is a list of dates, e.g. [\"2026-12-25\"]") }
            var days: [WorkCalendar.Day: Int] = [:]
            for item in items {
                let day = try date(item)
                if let line = days[day] { throw invalid(item, "\(quoted(item)) is already a holiday (line \(line)): give each date once") }
                days[day] = item.mark?.line ?? 0
            }
            return Set(days.keys)
        }

        /// A real date written `YYYY-MM-DD`.
        private func date(_ node: Node) throws(SLAPoliciesError) -> WorkCalendar.Day {
            let parts = (node.scalar?.string ?? "").split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, zip(parts, [4, 2, 2]).allSatisfy({ $0.count == $1 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                  DateComponents(year: year, month: month, day: day).isValidDate(in: Calendar(identifier: .gregorian)) else {
                throw invalid(node, "\(quoted(node)) is not a date: write YYYY-MM-DD, e.g. 2026-12-25")
            }
            return WorkCalendar.Day(year: year, month: month, day: day)
        }

        // MARK: - Policies

        /// A queue named by a policy or a `move-to` (written at `node`), checked against the known queues when given.
        func queue(_ name: String, at node: Node) throws(SLAPoliciesError) -> String {
            guard Directory.isValidName(name) else {
                throw invalid(node, "'\(DisplayText.sanitize(name))' is not a queue name: use 1–32 of a-z, 0-9, '.', '_' and '-', starting with a letter")
            }
            if let knownQueues, !knownQueues.contains(name) {
                let queues = knownQueues.sorted().joined(separator: ", ")
                throw invalid(node, "queue '\(name)' does not exist (queues: \(queues)): create it with 'handoff queues add \(name)' or correct the name")
            }
            return name
        }

        func policy(_ node: Node, queue: String) throws(SLAPoliciesError) -> SLAPolicy {
            let what = queue == SLAPolicies.defaultKey ? "the default policy" : "the policy of \(queue)"
            let members = try mapping(node, ["calendar", "pause-in", "goals", "thresholds", "overdue"], required: ["goals"], what: what)
            let calendar = try members["calendar"].map { (node) throws(SLAPoliciesError) in try calendarName(node) }
            let ownQueue = queue == SLAPolicies.defaultKey ? nil : queue
            return SLAPolicy(
                queue: queue,
                goals: try goals(members["goals"]!, calendar: calendar, what: what),
                pausedStates: try members["pause-in"].map { (node) throws(SLAPoliciesError) in try pausedStates(node) } ?? [.pending],
                thresholds: try members["thresholds"].map { (node) throws(SLAPoliciesError) in try thresholds(node, ownQueue: ownQueue) } ?? [],
                overdueActions: try members["overdue"].map { (node) throws(SLAPoliciesError) in try actions(node, ownQueue: ownQueue, allowEmpty: true) } ?? [.flag]
            )
        }

        private func calendarName(_ node: Node) throws(SLAPoliciesError) -> String {
            guard let name = node.scalar?.string, calendars[name] != nil else {
                throw invalid(node, "calendar \(quoted(node)) is not defined (calendars: \(calendars.keys.sorted().joined(separator: ", "))): define it under 'calendars'")
            }
            return name
        }

        /// The goals in order: each priority at most once, and a catch-all (no priority) last.
        private func goals(_ node: Node, calendar: String?, what: String) throws(SLAPoliciesError) -> [SLAPolicy.Goal] {
            guard let items = node.sequence, !items.isEmpty else {
                throw invalid(node, "goals of \(what) is a list ending with a catch-all, e.g. [{ priority: stat, within: 1h }, { within: 2 business days }]")
            }
            var goals: [SLAPolicy.Goal] = []
            var seen: [Priority: Int] = [:]
            var catchAll: Int?
            for item in items {
                if let line = catchAll {
                    throw invalid(item, "this goal comes after the catch-all (line \(line)), so it never applies: move the catch-all last")
                }
                let members = try mapping(item, ["priority", "within", "calendar"], required: ["within"], what: "a goal")
                let target = try self.target(members["within"]!)
                guard let calendar = try members["calendar"].map({ (node) throws(SLAPoliciesError) in try calendarName(node) }) ?? calendar else {
                    throw invalid(item, "the goal has no calendar and \(what) gives none: add 'calendar: NAME' (24x7 is round the clock)")
                }
                guard let priorityNode = members["priority"] else {
                    catchAll = item.mark?.line ?? 0
                    goals.append(.init(priority: nil, target: target, calendar: calendar))
                    continue
                }
                for priorityItem in priorityNode.sequence.map(Array.init) ?? [priorityNode] {
                    guard let priority = priorityItem.scalar.flatMap({ Priority(rawValue: $0.string) }) else {
                        throw invalid(priorityItem, "\(quoted(priorityItem)) is not a priority: routine, urgent, asap or stat (or a list of them)")
                    }
                    if let line = seen[priority] {
                        throw invalid(priorityItem, "\(priority.rawValue) already has a goal (line \(line)): give each priority once")
                    }
                    seen[priority] = priorityItem.mark?.line ?? 0
                    goals.append(.init(priority: priority, target: target, calendar: calendar))
                }
            }
            guard catchAll != nil else {
                throw invalid(node, "goals of \(what) have no catch-all: end with a goal without priority, e.g. { within: 2 business days }")
            }
            return goals
        }

        /// `1h`, `1.5h`, `90m`, or `2 business days` (`1 business day`, `0.5 business days`).
        private func target(_ node: Node) throws(SLAPoliciesError) -> SLAPolicy.Target {
            let words = (node.scalar?.string ?? "").split(separator: " ")
            if words.count == 3, words[1] == "business", words[2] == "day" || words[2] == "days", let days = positive(words[0]) {
                return .businessDays(days)
            }
            if words.count == 1, let unit = words[0].last, let amount = positive(words[0].dropLast()) {
                if unit == "h" { return .hours(amount) }
                if unit == "m" { return .hours(amount / 60) }
            }
            throw invalid(node, "\(quoted(node)) is not a duration: write e.g. 1h, 90m, 4h or 2 business days (more than zero)")
        }

        /// A number more than zero written with digits and at most one decimal point.
        private func positive(_ text: Substring) -> Double? {
            let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count), pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let value = Double(text), value > 0 else { return nil }
            return value
        }

        private func pausedStates(_ node: Node) throws(SLAPoliciesError) -> Set<TaskState> {
            guard let items = node.sequence else { throw invalid(node, "pause-in is a list of states, e.g. [pending, review]") }
            var states: Set<TaskState> = []
            for item in items {
                guard let state = item.scalar.flatMap({ TaskState(rawValue: $0.string) }), state.isActive else {
                    let open = TaskState.allCases.filter(\.isActive).map(\.rawValue).joined(separator: ", ")
                    throw invalid(item, "\(quoted(item)) is not a state that can pause the clock: use \(open)")
                }
                states.insert(state)
            }
            guard states.contains(.pending) else {
                throw invalid(node, "pause-in must include pending: the clock always stands still while a task waits for external data")
            }
            return states
        }

        /// Thresholds in strictly increasing order, each above 0 % and at most 200 %, with a unique name.
        private func thresholds(_ node: Node, ownQueue: String?) throws(SLAPoliciesError) -> [SLAPolicy.Threshold] {
            guard let items = node.sequence else {
                throw invalid(node, "thresholds is a list, e.g. [{ at: 75%, name: warning, do: [flag] }]")
            }
            var thresholds: [SLAPolicy.Threshold] = []
            var names: [String: Int] = [:]
            for item in items {
                let members = try mapping(item, ["at", "name", "do"], required: ["at", "name", "do"], what: "a threshold")
                let atNode = members["at"]!
                let fraction = try percentage(atNode)
                if let previous = thresholds.last, fraction <= previous.fraction {
                    throw invalid(atNode, "thresholds go in increasing order: \(quoted(atNode)) is not above \(percent(previous.fraction)) (\(previous.name))")
                }
                let nameNode = members["name"]!
                guard let name = nameNode.scalar?.string, isName(name) else {
                    throw invalid(nameNode, "threshold name \(quoted(nameNode)): use lower-case letters, digits and '-', e.g. warning")
                }
                if let line = names[name] { throw invalid(nameNode, "threshold '\(name)' is already defined (line \(line)): give each name once") }
                names[name] = nameNode.mark?.line ?? 0
                thresholds.append(.init(name: name, fraction: fraction, actions: try actions(members["do"]!, ownQueue: ownQueue, allowEmpty: false)))
            }
            return thresholds
        }

        /// `75%` as 0.75; more than 0 % and at most 200 %.
        private func percentage(_ node: Node) throws(SLAPoliciesError) -> Double {
            let text = node.scalar?.string ?? ""
            guard text.hasSuffix("%"), let value = positive(text.dropLast()), value <= 200 else {
                throw invalid(node, "\(quoted(node)) is not a threshold: write a percentage of the target above 0% and at most 200%, e.g. 75%")
            }
            return value / 100
        }

        private func percent(_ fraction: Double) -> String {
            let value = fraction * 100
            return (value == value.rounded() ? String(Int(value)) : String(value)) + "%"
        }

        private static let actionNames = "flag, raise-priority, raise-priority to PRIORITY, move-to QUEUE, assign-to-supervisor"

        /// Actions in the order they run; each kind at most once.
        private func actions(_ node: Node, ownQueue: String?, allowEmpty: Bool) throws(SLAPoliciesError) -> [EscalationAction] {
            guard let items = node.sequence, allowEmpty || !items.isEmpty else {
                throw invalid(node, "actions are a list\(allowEmpty ? "" : " of at least one"), e.g. [flag, move-to escalations] (use \(Self.actionNames))")
            }
            var actions: [EscalationAction] = []
            var kinds: [String: Int] = [:]
            for item in items {
                let words = (item.scalar?.string ?? "").split(separator: " ").map(String.init)
                let kind = words.first ?? ""
                if let line = kinds[kind] { throw invalid(item, "\(kind) is already among these actions (line \(line)): give it once") }
                switch (kind, words.count) {
                case ("flag", 1): actions.append(.flag)
                case ("assign-to-supervisor", 1): actions.append(.assignToSupervisor)
                case ("raise-priority", 1): actions.append(.raisePriority(to: nil))
                case ("raise-priority", 3) where words[1] == "to":
                    guard let priority = Priority(rawValue: words[2]) else {
                        throw invalid(item, "raise-priority to '\(DisplayText.sanitize(words[2]))': the priority is routine, urgent, asap or stat")
                    }
                    actions.append(.raisePriority(to: priority))
                case ("move-to", 2):
                    let target = try queue(words[1], at: item)
                    if target == ownQueue { throw invalid(item, "move-to \(target) names the policy's own queue: move to another, e.g. escalations") }
                    actions.append(.moveTo(queue: target))
                case ("move-to", 1):
                    throw invalid(item, "move-to needs a queue, e.g. 'move-to escalations'")
                default:
                    throw invalid(item, "unknown action \(quoted(item)) (use \(Self.actionNames))")
                }
                kinds[kind] = item.mark?.line ?? 0
            }
            return actions
        }

        // MARK: - Helpers

        private func mapping(_ node: Node, _ allowed: [String], required: [String], what: String) throws(SLAPoliciesError) -> [String: Node] {
            guard let members = node.mapping else { throw invalid(node, "\(what) is a mapping with \(allowed.joined(separator: ", "))") }
            var result: [String: Node] = [:]
            for (key, value) in members {
                let name = key.scalar?.string ?? ""
                guard allowed.contains(name) else {
                    throw invalid(key, "unknown key \(quoted(key)) in \(what) (allowed: \(allowed.joined(separator: ", ")))")
                }
                result[name] = value
            }
            for name in required where result[name] == nil { throw invalid(node, "\(what) has no '\(name)'") }
            return result
        }

        private func isName(_ text: String) -> Bool {
            text.first?.isLetter == true && text.count <= 32
                && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        }
    }

    private static func quoted(_ node: Node) -> String { YAMLSyntax.quoted(node) }
}

/// An SLA policies file that cannot be used; the description names the file, the line when known, and the problem.
public enum SLAPoliciesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `line` counts from 1.
    case invalid(file: String, line: Int?, problem: String)

    public var description: String {
        switch self {
        case let .invalid(file, line, problem): YAMLSyntax.message(file: file, line: line, problem: problem)
        }
    }
}
