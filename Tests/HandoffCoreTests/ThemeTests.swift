import HandoffCore
import Testing

/// The theme model: roles, the built-in default, and adapting styles to 256, 8 and no colours.
struct ThemeTests {
    @Test func roleNamesAreTheThemeFileKeys() {
        #expect(ThemeRole.allCases.map(\.rawValue) == [
            "title", "header", "status", "selection", "marked", "changed", "error", "muted",
            "priority-routine", "priority-urgent", "priority-asap", "priority-stat",
            "state-queued", "state-assigned", "state-in-progress", "state-pending", "state-review",
            "state-completed", "state-cancelled", "state-exception",
            "sla-ok", "sla-warning", "sla-breached",
        ])
    }

    @Test func everyPriorityAndStateHasItsRole() {
        for priority in Priority.allCases {
            #expect(ThemeRole.priority(priority).rawValue == "priority-" + priority.rawValue)
        }
        for state in TaskState.allCases {
            #expect(ThemeRole.state(state).rawValue == "state-" + state.rawValue)
        }
    }

    @Test func fullColourTerminalsGetTheStyleAsWritten() {
        let selection = ThemeStyle(foreground: .indexed(231), background: .indexed(25), attributes: [.bold],
                                   foregroundFallback: .basic(.white), backgroundFallback: .basic(.blue))
        #expect(Theme.builtInDefault.style(for: .selection, colors: 256) == selection)
        #expect(Theme.builtInDefault.style(for: .selection, colors: 16_777_216) == selection)
    }

    @Test func missingRolesComeFromTheBuiltInDefault() {
        let title = ThemeStyle(foreground: .basic(.red), attributes: [.underline])
        let theme = Theme(name: "partial", styles: [.title: title])
        #expect(theme.style(for: .title, colors: 256) == title)
        #expect(theme.style(for: .header, colors: 256) == Theme.builtInDefault.style(for: .header, colors: 256))
        #expect(theme != Theme.builtInDefault)
    }

    @Test func everyIndexedColourOfTheBuiltInDefaultDeclaresItsFallback() {
        for role in ThemeRole.allCases {
            let style = Theme.builtInDefault.style(for: role, colors: 256)
            if case .indexed = style.foreground { #expect(style.foregroundFallback != nil, "\(role)") }
            if case .indexed = style.background { #expect(style.backgroundFallback != nil, "\(role)") }
        }
    }

    // MARK: - Fewer than 256 colours

    @Test(arguments: [8, 16, 88, 255])
    func eightColourTerminalsGetTheDeclaredFallbacks(colors: Int) {
        // 175 is nearest to white, so magenta can only come from the fallback.
        let theme = Theme(name: "t", styles: [
            .header: ThemeStyle(foreground: .indexed(175), background: .indexed(25), attributes: [.bold],
                                foregroundFallback: .basic(.magenta), backgroundFallback: .terminalDefault),
        ])
        #expect(theme.style(for: .header, colors: colors)
            == ThemeStyle(foreground: .basic(.magenta), background: .terminalDefault, attributes: [.bold]))
        #expect(Theme.builtInDefault.style(for: .selection, colors: colors)
            == ThemeStyle(foreground: .basic(.white), background: .basic(.blue), attributes: [.bold]))
    }

    @Test(arguments: [
        (0, BasicColor.black), (1, .red), (7, .white), (9, .red), (12, .blue), (15, .white),
        (16, .black), (21, .blue), (46, .green), (51, .cyan), (59, .black), (102, .white), (196, .red),
        (201, .magenta), (208, .yellow), (226, .yellow), (231, .white), (232, .black), (243, .black), (244, .white), (255, .white),
    ] as [(UInt8, BasicColor)])
    func withoutAFallbackAnIndexedColourBecomesTheNearestBasicColour(index: UInt8, nearest: BasicColor) {
        let theme = Theme(name: "t", styles: [.header: ThemeStyle(foreground: .indexed(index), background: .indexed(index))])
        #expect(theme.style(for: .header, colors: 8) == ThemeStyle(foreground: .basic(nearest), background: .basic(nearest)))
    }

    @Test func basicAndDefaultColoursStayOnEightColourTerminals() {
        let style = ThemeStyle(foreground: .basic(.yellow), background: .terminalDefault, attributes: [.underline],
                               foregroundFallback: .basic(.red))
        let theme = Theme(name: "t", styles: [.header: style])
        #expect(theme.style(for: .header, colors: 8)
            == ThemeStyle(foreground: .basic(.yellow), background: .terminalDefault, attributes: [.underline]))
    }

    @Test func anIndexedFallbackIsItselfReducedToItsNearestBasicColour() {
        let theme = Theme(name: "t", styles: [.header: ThemeStyle(foreground: .indexed(175), foregroundFallback: .indexed(196))])
        #expect(theme.style(for: .header, colors: 8).foreground == .basic(.red))
    }

    // MARK: - No colours

    @Test(arguments: [0, -1])
    func monochromeDropsEveryColourAndKeepsTheAttributes(colors: Int) {
        for role in ThemeRole.allCases {
            let written = Theme.builtInDefault.style(for: role, colors: 256)
            let plain = Theme.builtInDefault.style(for: role, colors: colors)
            #expect(plain.foreground == .terminalDefault, "\(role)")
            #expect(plain.background == .terminalDefault, "\(role)")
            #expect(plain.foregroundFallback == nil && plain.backgroundFallback == nil, "\(role)")
            #expect(plain.attributes.isSuperset(of: written.attributes), "\(role)")
        }
    }

    @Test func monochromeKeepsTheDefaultThemesAlertsStandingOut() {
        let theme = Theme.builtInDefault
        #expect(theme.style(for: .selection, colors: 0).attributes == [.bold, .reverse])
        #expect(theme.style(for: .error, colors: 0).attributes == [.bold])
        #expect(theme.style(for: .marked, colors: 0).attributes == [.bold])
        #expect(theme.style(for: .slaBreached, colors: 0).attributes == [.bold])
        #expect(theme.style(for: .priorityStat, colors: 0).attributes == [.bold])
        #expect(theme.style(for: .muted, colors: 0).attributes == [.dim])
    }

    @Test func monochromeMakesAlertsThatRelyOnColourStandOut() {
        let colourOnly = ThemeStyle(foreground: .basic(.red), background: .basic(.white), attributes: [.dim])
        let theme = Theme(name: "colour-only", styles: Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, colourOnly) }))
        #expect(theme.style(for: .selection, colors: 0).attributes == [.dim, .reverse])
        #expect(theme.style(for: .error, colors: 0).attributes == [.dim, .reverse])
        #expect(theme.style(for: .slaBreached, colors: 0).attributes == [.dim, .reverse])
        #expect(theme.style(for: .marked, colors: 0).attributes == [.dim, .bold])
        #expect(theme.style(for: .priorityStat, colors: 0).attributes == [.dim, .bold])
        #expect(theme.style(for: .stateQueued, colors: 0).attributes == [.dim])
        #expect(theme.style(for: .selection, colors: 256).attributes == [.dim])
    }

    @Test func aSelectionShownOnlyByUnderlineGainsReverseWithoutColour() {
        let theme = Theme(name: "t", styles: [.selection: ThemeStyle(background: .basic(.blue), attributes: [.underline])])
        #expect(theme.style(for: .selection, colors: 0).attributes == [.underline, .reverse])
        let standout = Theme(name: "t", styles: [.selection: ThemeStyle(attributes: [.standout])])
        #expect(standout.style(for: .selection, colors: 0).attributes == [.standout])
    }
}
