import Foundation
import HandoffApp
import HandoffCore
import HandoffTestSupport
import Testing

/// SLA policies files: the shipped sample, the format read into policies, and errors in broken files.
struct SLAPoliciesLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sampleFile = repository.appendingPathComponent("SampleData/sla.yaml").path
    static let sampleFolder = repository.appendingPathComponent("SampleData").path

    /// An instant written in ISO 8601 with its offset.
    static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    // MARK: - The shipped sample

    @Test func theSampleGivesEverySampleQueueAPolicy() throws {
        let queues = try SampleData.load(from: Self.sampleFolder).queues.map(\.name)
        #expect(queues.count == 6)
        let policies = try SLAPoliciesLoader.load(file: Self.sampleFile, knownQueues: Set(queues))
        #expect(Set(policies.policies.keys) == Set(queues))
        for queue in queues {
            let policy = try #require(policies.policies[queue])
            #expect(policy.queue == queue)
            #expect(policy.goals.last?.priority == nil, "\(queue) ends with a catch-all")
            #expect(policy.thresholds.map(\.name) == ["warning", "breach"], "\(queue)")
            #expect(policy.thresholds.map(\.fraction) == [0.75, 1], "\(queue)")
            #expect(policy.pausedStates == [.pending], "\(queue)")
        }
        #expect(policies.policies["referral-intake"]?.thresholds.last?.actions == [.flag, .moveTo(queue: "escalations")])
        #expect(policies.policies["care-followup"]?.thresholds.last?.actions == [.flag, .raisePriority(to: nil)])
    }

    @Test func routineLabWorkAcrossTheSpringDaylightSavingChangeIsDueOnTheLabsWallClock() throws {
        let policies = try SLAPoliciesLoader.load(file: Self.sampleFile)
        let lab = try #require(policies.calendars["lab"])
        #expect(lab.timeZone.identifier == "America/Chicago")
        #expect(lab.businessDay == 12 * 3_600, "07:00-19:00 every day")
        // Saturday 7 March 2026 18:30 CST; Chicago moves to CDT early on Sunday.
        let start = Self.instant("2026-03-07T18:30:00-06:00")
        let routine = try #require(policies.clock(queue: "lab-results", priority: .routine, start: start, pauses: [], ending: nil))
        // Half an hour on Saturday, then 11.5 hours from Sunday 07:00: Sunday 18:30 CDT.
        #expect(routine.due(at: start) == Self.instant("2026-03-08T18:30:00-05:00"))
        let stat = try #require(policies.clock(queue: "lab-results", priority: .stat, start: start, pauses: [], ending: nil))
        #expect(stat.due(at: start) == start.addingTimeInterval(3_600), "stat is one hour round the clock")
    }

    @Test func referralsOverThanksgivingSkipTheHolidayTheWeekendAndLunch() throws {
        let policies = try SLAPoliciesLoader.load(file: Self.sampleFile)
        // Wednesday 25 November 2026, 15:00 in Chicago; Thursday is Thanksgiving.
        let start = Self.instant("2026-11-25T15:00:00-06:00")
        let routine = try #require(policies.clock(queue: "referral-intake", priority: .routine, start: start, pauses: [], ending: nil))
        #expect(routine.target == 16 * 3_600, "two business days of 8 hours")
        // Wednesday 2 h, Friday 8 h, Monday 08:00-12:00 and 13:00-15:00.
        #expect(routine.due(at: start) == Self.instant("2026-11-30T15:00:00-06:00"))
        let urgent = try #require(policies.clock(queue: "referral-intake", priority: .urgent, start: start, pauses: [], ending: nil))
        #expect(urgent.due(at: start) == Self.instant("2026-11-27T15:00:00-06:00"))
        // Pending from Friday 12:00 to Monday 08:00: Friday afternoon's 4 working hours move to Tuesday.
        let pause = SLAClock.Pause(start: Self.instant("2026-11-27T12:00:00-06:00"), end: Self.instant("2026-11-30T08:00:00-06:00"))
        let paused = try #require(policies.clock(queue: "referral-intake", priority: .routine, start: start, pauses: [pause], ending: nil))
        #expect(paused.due(at: Self.instant("2026-11-30T08:00:00-06:00")) == Self.instant("2026-12-01T10:00:00-06:00"))
    }

    // MARK: - The format

    @Test func aFileIsReadIntoCalendarsAndPolicies() throws {
        let policies = try SLAPoliciesLoader.parse("""
            policies:
              lab-results:
                pause-in: [pending, review]
                calendar: office
                goals:
                  - { priority: stat, within: 90m, calendar: 24x7 }
                  - { priority: [asap, urgent], within: 1.5 business days }
                  - { within: 2 business days, calendar: nights }
                thresholds:
                  - { at: 50%, name: early, do: [flag] }
                  - { at: 100%, name: breach, do: [raise-priority to stat, move-to escalations, assign-to-supervisor] }
                overdue: []
            default:
              goals: [{ within: 4h, calendar: round-the-clock }]
            calendars:
              office:
                time-zone: Europe/London
                hours:
                  mon-fri: ["09:00-12:30", "13:30-17:00"]
                  sat: "09:00-12:00"
                holidays: ["2026-12-25", 2026-12-28]
              nights:
                time-zone: Europe/London
                hours: { mon-sun: ["22:00-24:00", "00:00-06:00"] }
              round-the-clock: {}
            """, file: "sla.yaml")
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let morning = WorkCalendar.Interval(start: 9 * 60, end: 12 * 60 + 30), afternoon = WorkCalendar.Interval(start: 13 * 60 + 30, end: 17 * 60)
        let office = WorkCalendar(name: "office", timeZone: london,
                                  week: [2: [morning, afternoon], 3: [morning, afternoon], 4: [morning, afternoon], 5: [morning, afternoon],
                                         6: [morning, afternoon], 7: [.init(start: 9 * 60, end: 12 * 60)]],
                                  holidays: [.init(year: 2026, month: 12, day: 25), .init(year: 2026, month: 12, day: 28)])
        #expect(policies.calendars["office"] == office)
        let night: [WorkCalendar.Interval] = [.init(start: 0, end: 6 * 60), .init(start: 22 * 60, end: 24 * 60)]
        #expect(policies.calendars["nights"]?.week == Dictionary(uniqueKeysWithValues: (1...7).map { ($0, night) }))
        #expect(policies.calendars["round-the-clock"]?.isAlwaysOpen == true)
        #expect(policies.calendars["24x7"] == .always, "24x7 is predefined")
        #expect(policies.policies["lab-results"] == SLAPolicy(
            queue: "lab-results",
            goals: [.init(priority: .stat, target: .hours(1.5), calendar: "24x7"),
                    .init(priority: .asap, target: .businessDays(1.5), calendar: "office"),
                    .init(priority: .urgent, target: .businessDays(1.5), calendar: "office"),
                    .init(priority: nil, target: .businessDays(2), calendar: "nights")],
            pausedStates: [.pending, .review],
            thresholds: [.init(name: "early", fraction: 0.5, actions: [.flag]),
                         .init(name: "breach", fraction: 1, actions: [.raisePriority(to: .stat), .moveTo(queue: "escalations"), .assignToSupervisor])],
            overdueActions: []))
        #expect(policies.policies[SLAPolicies.defaultKey] == SLAPolicy(
            queue: "*", goals: [.init(priority: nil, target: .hours(4), calendar: "round-the-clock")], thresholds: []),
            "the default policy; pause-in defaults to pending and overdue to flag")
    }

    @Test func queuesAreCheckedAgainstTheKnownOnesWithTheirLines() {
        let text = """
            policies:
              lab-results:
                goals: [{ within: 4h, calendar: 24x7 }]
                thresholds:
                  - { at: 100%, name: breach, do: [flag, move-to escalation] }
              referrals:
                goals: [{ within: 4h, calendar: 24x7 }]
            """
        #expect(throws: SLAPoliciesError.invalid(file: "sla.yaml", line: 5, problem:
            "queue 'escalation' does not exist (queues: escalations, lab-results, referrals): create it with 'handoff queues add escalation' or correct the name")) {
            try SLAPoliciesLoader.parse(text, file: "sla.yaml", knownQueues: ["lab-results", "escalations", "referrals"])
        }
        let error = #expect(throws: SLAPoliciesError.self) {
            try SLAPoliciesLoader.parse(text, file: "sla.yaml", knownQueues: ["lab-results", "escalation"])
        }
        #expect(error?.description.hasPrefix("sla.yaml:6: queue 'referrals' does not exist") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect((try? SLAPoliciesLoader.parse(text, file: "sla.yaml")) != nil, "without known queues, any valid name is taken")
    }

    // MARK: - Broken files

    static let office = "calendars:\n  office:\n    time-zone: America/Chicago\n    hours:\n      mon-fri: [\"09:00-17:00\"]\n"
    static let goal = "    goals: [{ within: 4h, calendar: 24x7 }]\n"

    @Test(arguments: [
        ("calendar:\n  office: {}\n", 1, "unknown key 'calendar' (use calendars, policies and default)"),
        ("policies:\n  q:\n" + goal + "    paused: [pending]\n", 4, "unknown key 'paused' in the policy of q (allowed: calendar, pause-in,"),
        (office + "      satu: [\"09:00-12:00\"]\n", 6, "unknown day 'satu': use mon, tue, wed, thu, fri, sat, sun or a range"),
        (office + "      fri-mon: [\"09:00-12:00\"]\n", 6, "the range 'fri-mon' runs backwards"),
        (office + "      sat:\n        - \"17:00-09:00\"\n", 7, "'17:00-09:00' does not start before it ends"),
        (office + "      sat: [\"9-12\"]\n", 6, "'9-12' is not an interval: write HH:MM-HH:MM"),
        (office + "      sat: [\"09:00-12:60\"]\n", 6, "'09:00-12:60' is not an interval"),
        (office + "      fri: [\"17:00-18:00\", \"16:30-18:00\"]\n", 6, "16:30-18:00 overlaps 09:00-17:00 (line 5) on fri: intervals of a day must not overlap"),
        ("calendars:\n  office:\n    time-zone: America/Springfield\n    hours: { mon: \"09:00-17:00\" }\n", 3,
         "'America/Springfield' is not a known IANA time zone"),
        ("calendars:\n  office:\n    hours: { mon: \"09:00-17:00\" }\n", 2, "calendar office has hours but no 'time-zone'"),
        (office + "    holidays:\n      - 2026-12-25\n      - 2026-02-30\n", 8, "'2026-02-30' is not a date: write YYYY-MM-DD"),
        (office + "    holidays: [2026-12-25, 2026-12-25]\n", 6, "'2026-12-25' is already a holiday (line 6)"),
        ("calendars:\n  office: { holidays: [2026-12-25] }\n", 2, "calendar office has no hours, so it is 24x7 and has no holidays"),
        (office + "  office:\n    time-zone: UTC\n", 6, "'office' is given again (first on line 2): keep one"),
        ("calendars:\n  24x7: {}\n", 2, "'24x7' is predefined (round the clock)"),
        (office + "policies:\n  q:\n    goals:\n      - { within: 4h, calendar: lab }\n", 9,
         "calendar 'lab' is not defined (calendars: 24x7, office): define it under 'calendars'"),
        ("policies:\n  q:\n    calendar: 24x7\n", 3, "the policy of q has no 'goals'"),
        ("policies:\n  q:\n    goals:\n      - { within: 4h }\n", 4, "the goal has no calendar and the policy of q gives none"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { priority: stat, within: 1h }\n", 5,
         "goals of the policy of q have no catch-all: end with a goal without priority"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { within: 4h }\n      - { priority: stat, within: 1h }\n", 6,
         "this goal comes after the catch-all (line 5), so it never applies"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { priority: stat, within: 1h }\n      - { priority: [urgent, stat], within: 2h }\n      - { within: 4h }\n",
         6, "stat already has a goal (line 5): give each priority once"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { priority: critical, within: 1h }\n", 5, "'critical' is not a priority"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { within: 2 days }\n", 5, "'2 days' is not a duration: write e.g. 1h, 90m, 4h or 2 business days"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { within: 0h }\n", 5, "'0h' is not a duration"),
        ("policies:\n  q:\n    calendar: 24x7\n    goals:\n      - { within: 1.5.0 business days }\n", 5, "'1.5.0 business days' is not a duration"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - { at: 100%, name: breach, do: [flag] }\n      - { at: 75%, name: warning, do: [flag] }\n", 6,
         "thresholds go in increasing order: '75%' is not above 100% (breach)"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - { at: 250%, name: late, do: [flag] }\n", 5, "'250%' is not a threshold: write a percentage"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - { at: 0.75, name: warning, do: [flag] }\n", 5, "'0.75' is not a threshold"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - { at: 75%, name: warning, do: [flag, notify] }\n", 5,
         "unknown action 'notify' (use flag, raise-priority, raise-priority to PRIORITY, move-to QUEUE, assign-to-supervisor)"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - { at: 75%, name: warning, do: [] }\n", 5, "actions are a list of at least one"),
        ("policies:\n  q:\n" + goal + "    thresholds:\n      - at: 100%\n        name: breach\n        do:\n          - flag\n          - move-to\n", 9,
         "move-to needs a queue, e.g. 'move-to escalations'"),
        ("policies:\n  q:\n" + goal + "    overdue: [move-to q]\n", 4, "move-to q names the policy's own queue"),
        ("policies:\n  q:\n" + goal + "    overdue: [move-to Escalations!]\n", 4, "'Escalations!' is not a queue name"),
        ("policies:\n  q:\n" + goal + "    overdue: [raise-priority to critical]\n", 4, "raise-priority to 'critical': the priority is routine, urgent, asap or stat"),
        ("policies:\n  q:\n" + goal + "    overdue: [flag, flag]\n", 4, "flag is already among these actions (line 4)"),
        ("policies:\n  q:\n" + goal + "    pause-in: [pending, waiting]\n", 4, "'waiting' is not a state that can pause the clock"),
        ("policies:\n  q:\n" + goal + "    pause-in: [completed, pending]\n", 4, "'completed' is not a state that can pause the clock"),
        ("policies:\n  q:\n" + goal + "    pause-in: [review]\n", 4, "pause-in must include pending"),
        ("policies:\n  q:\n" + goal + "default:\n  goals: [{ within: 4h, calendar: 24x7 }]\n  thresholds: [{ at: 75%, do: [flag] }]\n", 6,
         "a threshold has no 'name'"),
        ("policies:\n  q:\n    goals: [{ within: 4h, calendar: 24x7 }\n", 4, "not valid YAML"),
        ("calendars: {}\npolicies: {}\n", 1, "no policies: give 'policies' with a policy per queue, or a 'default'"),
    ] as [(String, Int, String)])
    func brokenFilesAreRefusedWithFileLineAndProblem(text: String, line: Int, problem: String) {
        let error = #expect(throws: SLAPoliciesError.self) { try SLAPoliciesLoader.parse(text, file: "sla.yaml") }
        #expect(error?.description.hasPrefix("sla.yaml:\(line): ") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.contains(problem) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func anEmptyOrMissingFileIsRefusedWithoutALine() {
        #expect(throws: SLAPoliciesError.invalid(file: "sla.yaml", line: nil,
                                                 problem: "the file is empty: give 'calendars' and 'policies' (see docs/SLA.md)")) {
            try SLAPoliciesLoader.parse("# nothing yet\n", file: "sla.yaml")
        }
        let directory = TemporaryDirectory()
        #expect(throws: SLAPoliciesError.invalid(file: directory.file("none.yaml"), line: nil,
                                                 problem: "cannot read it (No such file or directory)")) {
            try SLAPoliciesLoader.load(file: directory.file("none.yaml"))
        }
    }
}
