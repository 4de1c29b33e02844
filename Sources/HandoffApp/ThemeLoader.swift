import Foundation
import HandoffCore
import Yams

/// Finds colour theme files and reads them into themes.
///
/// A theme is a YAML file `NAME.yaml` in one of the directories; the format is described in `Themes/README.md`.
public struct ThemeLoader: Sendable {
    /// The directories searched, in order: a theme in an earlier one hides one of the same name in a later one.
    public let directories: [String]

    /// A loader searching `directories` in order (typically the user's directory, then the shipped one).
    public init(directories: [String]) {
        self.directories = directories
    }

    /// Loads the theme called `name` (its file name without `.yaml`) from the first directory that has it.
    public func load(named name: String) throws(ThemeError) -> Theme {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        for directory in directories {
            let file = directory + "/" + name + ".yaml"
            // Looked for with the person's own rights, as it is read: no peeking into the group's directories.
            // A link that leads nowhere they may go is still their theme file, and says so when read.
            guard (try? Privilege.asInvokingUser { () -> Bool in
                var info = stat()
                return lstat(file, &info) == 0
            }) == true else { continue }
            return try Self.parse(Self.read(file), name: name, file: file)
        }
        throw .notFound(name: name, available: availableNames(), searched: directories)
    }

    /// The names of the themes in all the directories, sorted, each once.
    public func availableNames() -> [String] {
        var names: Set<String> = []
        for directory in directories {
            let files = (try? Privilege.asInvokingUser { try FileManager.default.contentsOfDirectory(atPath: directory) }) ?? []
            for file in files where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(".yaml".count))
                if Self.isValidName(name) { names.insert(name) }
            }
        }
        return names.sorted()
    }

    /// Where themes are looked for: the user's `$XDG_CONFIG_HOME/handoff/themes` (by default
    /// `~/.config/handoff/themes`), then the shipped themes — `share/handoff/Themes` beside an installed binary,
    /// or else a `Themes` folder in a directory above the binary or the working directory.
    ///
    /// The user's directory is listed even when it does not exist yet; a shipped folder is recognised by its
    /// `default.yaml`, and only the first one found is listed.
    public static func standardDirectories(environment: [String: String] = ProcessInfo.processInfo.environment,
                                           executable: String = Locations.runningBinary) -> [String] {
        [Locations(environment: environment).configurationDirectory + "/themes"] + (shippedDirectory(executable: executable).map { [$0] } ?? [])
    }

    /// Whether the console may use colour: not when `NO_COLOR` is set to anything but the empty string
    /// (https://no-color.org).
    public static func colorsAllowed(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }

    // MARK: - Finding and reading files

    /// A theme name is a plain file name: nothing that could reach outside the theme directories.
    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }

    private static func shippedDirectory(executable: String) -> String? {
        Locations.shippedFolder("Themes", containing: "default.yaml", executable: executable)
    }

    /// Theme files are small; anything larger is not one.
    private static let maximumFileSize = 64 * 1024

    private static func read(_ file: String) throws(ThemeError) -> String {
        // Read with the person's own rights: a theme can never be a way to read what only the group may.
        let data: Data
        do { data = try UserFile.read(file, maximumSize: maximumFileSize) } catch {
            throw .unreadable(file: file, reason: UserFileError.reason(of: error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: file, reason: "it is not UTF-8 text")
        }
        return text
    }

    // MARK: - Parsing

    private static let roleKeys = ["fg", "bg", "fg8", "bg8", "attrs"]
    private static let colourHelp = "use black, red, green, yellow, blue, magenta, cyan, white, default or 0–255"
    private static let fallbackHelp = "use black, red, green, yellow, blue, magenta, cyan, white, default or 0–7"

    /// Reads the text of a theme file; `file` is only for messages.
    private static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            throw syntaxError(error, file: file)
        }
        guard let document else {
            throw .invalid(file: file, line: nil, problem: "the file is empty: give a 'roles' mapping (see Themes/README.md)")
        }
        guard let top = document.mapping else {
            throw invalid(file, document, "a theme is a mapping with 'name' and 'roles' (see Themes/README.md)")
        }
        var styles: [ThemeRole: ThemeStyle]?
        for (key, value) in top {
            switch key.scalar?.string {
            case "name":
                guard value.scalar?.string == name else {
                    throw invalid(file, value, "name \(quoted(value)) does not match the file name: write 'name: \(name)' or remove the line")
                }
            case "roles":
                styles = try roles(value, file: file)
            default:
                throw invalid(file, key, "unknown key \(quoted(key)) (use name and roles)")
            }
        }
        guard let styles else {
            throw invalid(file, document, "no 'roles' mapping: give each role a style, e.g. 'roles: { title: { fg: black, bg: cyan } }'")
        }
        return Theme(name: name, styles: styles)
    }

    private static func roles(_ node: Node, file: String) throws(ThemeError) -> [ThemeRole: ThemeStyle] {
        guard let mapping = node.mapping else {
            throw invalid(file, node, "'roles' must be a mapping from role names to styles")
        }
        var styles: [ThemeRole: ThemeStyle] = [:]
        for (key, value) in mapping {
            guard let role = key.scalar.flatMap({ ThemeRole(rawValue: $0.string) }) else {
                let known = ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid(file, key, "unknown role \(quoted(key)) (roles: \(known))")
            }
            styles[role] = try style(value, role: role.rawValue, file: file)
        }
        return styles
    }

    private static func style(_ node: Node, role: String, file: String) throws(ThemeError) -> ThemeStyle {
        guard let mapping = node.mapping else {
            throw invalid(file, node, "role '\(role)' must be a mapping, e.g. { fg: red, bg: default, attrs: [bold] }")
        }
        var style = ThemeStyle()
        var foreground8: Node?
        var background8: Node?
        for (key, value) in mapping {
            switch key.scalar?.string {
            case "fg": style.foreground = try color(value, key: "fg", role: role, file: file)
            case "bg": style.background = try color(value, key: "bg", role: role, file: file)
            case "fg8":
                style.foregroundFallback = try fallback(value, key: "fg8", role: role, file: file)
                foreground8 = value
            case "bg8":
                style.backgroundFallback = try fallback(value, key: "bg8", role: role, file: file)
                background8 = value
            case "attrs": style.attributes = try attributes(value, role: role, file: file)
            default:
                throw invalid(file, key, "unknown key \(quoted(key)) for role '\(role)' (use \(roleKeys.joined(separator: ", ")))")
            }
        }
        try requireIndexed(style.foreground, for: foreground8, key: "fg", role: role, file: file)
        try requireIndexed(style.background, for: background8, key: "bg", role: role, file: file)
        return style
    }

    /// A fallback given for a colour that needs none is a mistake: it would never show.
    private static func requireIndexed(_ color: ThemeColor, for fallback: Node?, key: String, role: String,
                                       file: String) throws(ThemeError) {
        guard let fallback else { return }
        if case .indexed = color { return }
        throw invalid(file, fallback, "\(key)8 for role '\(role)' is only used when \(key) is a number 0–255: remove it")
    }

    private static func color(_ node: Node, key: String, role: String, file: String) throws(ThemeError) -> ThemeColor {
        guard let text = node.scalar?.string else {
            throw invalid(file, node, "\(key) for role '\(role)' must be one colour (\(colourHelp))")
        }
        if text == "default" { return .terminalDefault }
        if let basic = BasicColor.allCases.first(where: { "\($0)" == text }) { return .basic(basic) }
        guard let number = Int(text) else {
            throw invalid(file, node, "unknown colour \(quoted(node)) for role '\(role)' (\(colourHelp))")
        }
        guard let index = UInt8(exactly: number) else {
            throw invalid(file, node, "colour \(number) for role '\(role)' is out of range (\(colourHelp))")
        }
        return .indexed(index)
    }

    /// An 8-colour fallback: a basic colour (by name or 0–7) or the terminal's default.
    private static func fallback(_ node: Node, key: String, role: String, file: String) throws(ThemeError) -> ThemeColor {
        switch try color(node, key: key, role: role, file: file) {
        case let .indexed(index) where index < 8: return .basic(BasicColor(rawValue: Int(index))!)
        case .indexed: throw invalid(file, node, "\(key) for role '\(role)' must be one of the 8 basic colours (\(fallbackHelp))")
        case let other: return other
        }
    }

    private static func attributes(_ node: Node, role: String, file: String) throws(ThemeError) -> Set<ThemeAttribute> {
        let known = ThemeAttribute.allCases.map(\.rawValue).joined(separator: ", ")
        guard let list = node.sequence else {
            throw invalid(file, node, "attrs for role '\(role)' must be a list, e.g. [bold, underline] (attributes: \(known))")
        }
        var attributes: Set<ThemeAttribute> = []
        for item in list {
            guard let attribute = item.scalar.flatMap({ ThemeAttribute(rawValue: $0.string) }) else {
                throw invalid(file, item, "unknown attribute \(quoted(item)) for role '\(role)' (use \(known))")
            }
            attributes.insert(attribute)
        }
        return attributes
    }

    // MARK: - Errors

    private static func invalid(_ file: String, _ node: Node, _ problem: String) -> ThemeError {
        .invalid(file: file, line: node.mark?.line, problem: problem)
    }

    private static func syntaxError(_ error: any Error, file: String) -> ThemeError {
        let problem = YAMLSyntax.problem(in: error)
        return .invalid(file: file, line: problem.line, problem: problem.text)
    }

    /// A value from the file, quoted for a message: control characters escaped and long text cut, so a
    /// message never replays a file's bytes to the terminal.
    private static func quoted(_ node: Node) -> String {
        quoted(node.scalar?.string ?? "…")
    }

    private static func quoted(_ text: String) -> String {
        let safe = DisplayText.sanitize(text)
        return "'" + (safe.count > 40 ? safe.prefix(39) + "…" : safe) + "'"
    }
}

// MARK: - ThemeError

/// A theme could not be found or read; the description names the file, the line when known, and the problem.
public enum ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The name is not a plain file name (it is empty, contains `/` or starts with `.`).
    case invalidName(String)
    /// No directory has a theme of this name.
    case notFound(name: String, available: [String], searched: [String])
    /// The theme file exists but cannot be read as text.
    case unreadable(file: String, reason: String)
    /// The file is not valid YAML or not a valid theme; `line` counts from 1.
    case invalid(file: String, line: Int?, problem: String)

    public var description: String {
        switch self {
        case let .invalidName(name):
            return "'\(DisplayText.sanitize(name))' is not a theme name: give a theme's file name without '.yaml' (no '/', not starting with '.')"
        case let .notFound(name, available, searched):
            let name = DisplayText.sanitize(name)
            let choices = available.isEmpty ? "no themes are installed" : "available: " + available.joined(separator: ", ")
            let place = searched.first.map { " — or add \(name).yaml to \($0)" } ?? ""
            return "no theme named '\(name)'; \(choices)\(place)"
        case let .unreadable(file, reason):
            return "\(file): cannot read this theme: \(reason)"
        case let .invalid(file, line, problem):
            return line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)"
        }
    }
}
