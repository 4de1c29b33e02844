/// A colour theme: a style for every role, adapted to what the terminal can show.
public struct Theme: Hashable, Sendable {
    /// The theme's name: its file name without `.yaml`.
    public let name: String
    /// Every role's style as written; `init` fills the roles it is not given.
    private let styles: [ThemeRole: ThemeStyle]

    /// A theme with the given styles; roles missing from `styles` take the built-in default's style.
    public init(name: String, styles: [ThemeRole: ThemeStyle]) {
        self.name = name
        self.styles = Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, styles[$0] ?? Self.defaultStyle($0)) })
    }

    /// The style to draw `role` with on a terminal with `colors` colours (curses' `COLORS`).
    ///
    /// - 256 or more: the style as written.
    /// - 1 to 255: every `.indexed` colour becomes the style's 8-colour fallback, or else its nearest basic colour.
    /// - 0 or less (no colour support, or `NO_COLOR`): the terminal's default colours, keeping the attributes.
    ///   Selection, error, marked, sla-breached and priority-stat then always stand out: a style with none of
    ///   bold, reverse, underline or standout (for selection: none of reverse or standout) gains reverse
    ///   (selection, error, sla-breached) or bold (marked, priority-stat).
    public func style(for role: ThemeRole, colors: Int) -> ThemeStyle {
        let style = styles[role]!
        if colors >= 256 { return style }
        if colors > 0 { return style.inEightColors }
        var plain = style.withoutColors
        if let emphasis = role.monochromeEmphasis, plain.attributes.isDisjoint(with: emphasis.accepted) {
            plain.attributes.insert(emphasis.added)
        }
        return plain
    }

    /// The dark default theme, the same as `Themes/default.yaml`: the console always has a theme, even when
    /// the theme files are missing or broken.
    public static let builtInDefault = Theme(name: "default", styles: [:])

    // MARK: - The default styles

    private static func defaultStyle(_ role: ThemeRole) -> ThemeStyle {
        switch role {
        case .title: ThemeStyle(foreground: .basic(.black), background: .basic(.cyan), attributes: [.bold])
        case .header: ThemeStyle(attributes: [.bold, .underline])
        case .status: ThemeStyle(foreground: .basic(.black), background: .basic(.cyan))
        case .selection: styled(231, .white, on: 25, .blue, [.bold])
        case .marked: styled(220, .yellow, [.bold])
        case .changed: styled(159, .cyan, [.underline])
        case .error: ThemeStyle(foreground: .basic(.white), background: .basic(.red), attributes: [.bold])
        case .muted: ThemeStyle(attributes: [.dim])
        case .priorityRoutine: ThemeStyle()
        case .priorityUrgent: styled(214, .yellow)
        case .priorityAsap: styled(177, .magenta, [.bold])
        case .priorityStat: styled(203, .red, [.bold])
        case .stateQueued: styled(117, .cyan)
        case .stateAssigned: styled(189, .white)
        case .stateInProgress: styled(114, .green)
        case .statePending: styled(180, .yellow)
        case .stateReview: styled(177, .magenta)
        case .stateCompleted: ThemeStyle(attributes: [.dim])
        case .stateCancelled: ThemeStyle(attributes: [.dim])
        case .stateException: styled(231, .white, on: 124, .red, [.bold])
        case .slaOK: styled(114, .green)
        case .slaWarning: styled(220, .yellow, [.bold])
        case .slaBreached: styled(231, .white, on: 160, .red, [.bold])
        }
    }

    /// A 256-colour foreground with its 8-colour fallback on the terminal's background.
    private static func styled(_ foreground: UInt8, _ foreground8: BasicColor,
                               _ attributes: Set<ThemeAttribute> = []) -> ThemeStyle {
        ThemeStyle(foreground: .indexed(foreground), attributes: attributes, foregroundFallback: .basic(foreground8))
    }

    /// 256-colour foreground and background, each with its 8-colour fallback.
    private static func styled(_ foreground: UInt8, _ foreground8: BasicColor, on background: UInt8,
                               _ background8: BasicColor, _ attributes: Set<ThemeAttribute>) -> ThemeStyle {
        ThemeStyle(foreground: .indexed(foreground), background: .indexed(background), attributes: attributes,
                   foregroundFallback: .basic(foreground8), backgroundFallback: .basic(background8))
    }
}
