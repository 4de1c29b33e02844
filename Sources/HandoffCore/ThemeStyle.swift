/// How one role is drawn: colours, an optional 8-colour fallback for each, and attributes.
public struct ThemeStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Set<ThemeAttribute>
    /// What replaces an `.indexed` foreground on a terminal with fewer than 256 colours; `nil` for the nearest basic colour.
    public var foregroundFallback: ThemeColor?
    /// What replaces an `.indexed` background on a terminal with fewer than 256 colours; `nil` for the nearest basic colour.
    public var backgroundFallback: ThemeColor?

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: Set<ThemeAttribute> = [],
                foregroundFallback: ThemeColor? = nil, backgroundFallback: ThemeColor? = nil) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.foregroundFallback = foregroundFallback
        self.backgroundFallback = backgroundFallback
    }

    /// This style with only basic colours: each `.indexed` colour becomes its fallback, or its nearest basic colour.
    var inEightColors: ThemeStyle {
        ThemeStyle(foreground: foreground.inEightColors(fallback: foregroundFallback),
                   background: background.inEightColors(fallback: backgroundFallback),
                   attributes: attributes)
    }

    /// This style with the terminal's default colours and its own attributes.
    var withoutColors: ThemeStyle { ThemeStyle(attributes: attributes) }
}

// MARK: - Colours

/// A colour as a theme names it.
public enum ThemeColor: Hashable, Sendable {
    /// The terminal's own foreground or background colour (curses colour −1).
    case terminalDefault
    /// One of the eight colours every colour terminal has.
    case basic(BasicColor)
    /// A colour of the 256-colour palette: 0–15 the system colours, 16–231 a 6×6×6 cube, 232–255 greys.
    case indexed(UInt8)

    /// This colour on an 8-colour terminal: an indexed colour becomes `fallback` (itself reduced, should it be
    /// indexed) or else its nearest basic colour; other colours stay.
    func inEightColors(fallback: ThemeColor?) -> ThemeColor {
        guard case let .indexed(index) = self else { return self }
        if let fallback { return fallback.inEightColors(fallback: nil) }
        return .basic(BasicColor.nearest(toIndexed: index))
    }
}

/// The eight basic terminal colours; the raw value is the curses colour number.
public enum BasicColor: Int, CaseIterable, Sendable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white

    /// The basic colour nearest to a 256-colour palette entry.
    ///
    /// 0–7 are the basic colours themselves and 8–15 their bright variants. The cube (16–231) has six
    /// levels per channel (0, 95, 135, 175, 215, 255) and the greys (232–255) run from 8 to 238: the nearest
    /// of the eight corners of the RGB cube turns each channel on at an intensity of 128 or more, that is from
    /// cube level 2 or grey 244. The channels add up as curses numbers them: red 1, green 2, blue 4.
    static func nearest(toIndexed index: UInt8) -> BasicColor {
        let value = Int(index)
        switch value {
        case 0...7: return BasicColor(rawValue: value)!
        case 8...15: return BasicColor(rawValue: value - 8)!
        case 16...231:
            let cube = value - 16
            let (red, green, blue) = (cube / 36, cube / 6 % 6, cube % 6)
            return BasicColor(rawValue: (red >= 2 ? 1 : 0) + (green >= 2 ? 2 : 0) + (blue >= 2 ? 4 : 0))!
        default:
            return 8 + 10 * (value - 232) >= 128 ? .white : .black
        }
    }
}

// MARK: - Attributes

/// A text attribute; a style may combine several.
public enum ThemeAttribute: String, CaseIterable, Sendable {
    case bold
    case dim
    case reverse
    case underline
    case standout
}
