import Foundation
import HandoffApp
import HandoffCore
import HandoffTestSupport
import Testing

/// Theme files: the shipped ones, errors in broken ones, lookup by name, and where themes are found.
struct ThemeLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shippedFolder = repository.appendingPathComponent("Themes").path
    static let shippedNames = ["colorblind", "default", "high-contrast", "light", "monochrome"]
    let shipped = ThemeLoader(directories: [Self.shippedFolder])

    // MARK: - Shipped themes

    @Test func theShippedThemesAreListed() {
        #expect(shipped.availableNames() == Self.shippedNames)
    }

    @Test(arguments: shippedNames)
    func everyShippedThemeLoadsAndGivesEveryRole(name: String) throws {
        let theme = try shipped.load(named: name)
        #expect(theme.name == name)
        // Missing roles would silently come from the built-in default, so look at the file itself.
        let text = try String(contentsOfFile: Self.shippedFolder + "/" + name + ".yaml", encoding: .utf8)
        let keys = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.count < line.count, let colon = trimmed.firstIndex(of: ":") else { return nil }
            return String(trimmed[..<colon])
        }
        #expect(keys == ThemeRole.allCases.map(\.rawValue).filter { keys.contains($0) }, "roles are in the documented order")
        for role in ThemeRole.allCases {
            #expect(keys.filter { $0 == role.rawValue }.count == 1, "\(name).yaml gives \(role.rawValue) once")
        }
    }

    @Test(arguments: shippedNames)
    func everyIndexedColourInAShippedThemeDeclaresItsFallback(name: String) throws {
        let theme = try shipped.load(named: name)
        for role in ThemeRole.allCases {
            let style = theme.style(for: role, colors: 256)
            if case .indexed = style.foreground { #expect(style.foregroundFallback != nil, "\(name) \(role.rawValue)") }
            if case .indexed = style.background { #expect(style.backgroundFallback != nil, "\(name) \(role.rawValue)") }
        }
    }

    @Test func theBuiltInDefaultIsTheDefaultFile() throws {
        #expect(try shipped.load(named: "default") == Theme.builtInDefault)
    }

    @Test func theMonochromeThemeHasNoColours() throws {
        let theme = try shipped.load(named: "monochrome")
        for role in ThemeRole.allCases {
            let style = theme.style(for: role, colors: 256)
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault, "\(role.rawValue)")
            #expect(style == theme.style(for: role, colors: 0), "\(role.rawValue) already stands out without colour")
        }
    }

    @Test func theColourBlindThemeUsesTheOkabeItoPaletteAndNeverColourAlone() throws {
        let theme = try shipped.load(named: "colorblind")
        let okabeIto: Set<UInt8> = [16, 178, 74, 35, 221, 25, 166, 175, 231]
        for role in ThemeRole.allCases {
            let style = theme.style(for: role, colors: 256)
            for color in [style.foreground, style.background] {
                if case let .indexed(index) = color { #expect(okabeIto.contains(index), "\(role.rawValue) uses \(index)") }
            }
        }
        let goodAndBad: [(ThemeRole, ThemeRole)] = [(.slaOK, .slaWarning), (.slaOK, .slaBreached), (.stateInProgress, .stateException)]
        for (good, bad) in goodAndBad {
            #expect(theme.style(for: good, colors: 0) != theme.style(for: bad, colors: 0), "\(good) and \(bad) differ without colour")
            let colours = [theme.style(for: good, colors: 8).foreground, theme.style(for: bad, colors: 8).foreground]
            #expect(colours != [.basic(.green), .basic(.red)], "\(good) and \(bad) are not green against red")
        }
    }

    // MARK: - Colours in files

    @Test func eightColourFallbacksComeFromTheFileOrTheNearestColour() throws {
        let directory = TemporaryDirectory()
        try write("""
            roles:
              header: { fg: 208, bg: 175, bg8: 5 }
              title: { fg: 21, fg8: default, bg: 46, bg8: cyan }
            """, to: directory.file("t.yaml"))
        let theme = try ThemeLoader(directories: [directory.path]).load(named: "t")
        #expect(theme.style(for: .header, colors: 8) == ThemeStyle(foreground: .basic(.yellow), background: .basic(.magenta)))
        #expect(theme.style(for: .title, colors: 8) == ThemeStyle(foreground: .terminalDefault, background: .basic(.cyan)))
        #expect(theme.style(for: .header, colors: 256)
            == ThemeStyle(foreground: .indexed(208), background: .indexed(175), backgroundFallback: .basic(.magenta)))
    }

    // MARK: - Broken files

    @Test(arguments: [
        ("name: broken\nroles:\n  title: { fg: red, bg: blue\n  header: { fg: red }\n", 4, "not valid YAML"),
        ("roles:\n  title: { fg: red }\n   header: { fg: red }\n", 3, "not valid YAML"),
        ("roles:\n  title: { fg: red }\n  header: { fg: \u{01}red }\n", 3, "not valid YAML: control characters are not allowed"),
        ("roles:\n  title: { fg: red }\n  header: {}\n  title: { fg: blue }\n", 4, "'title' is given again (first on line 2): keep one"),
        ("roles:\n  title: { fg: red }\n  headr: { fg: red }\n", 3, "unknown role 'headr' (roles: title, header,"),
        ("# a comment\nname: broken\nroles:\n  title: { fg: red }\n\n  status: {}\n  header:\n    fg: purplish\n", 8,
         "unknown colour 'purplish' for role 'header' (use black, red, green, yellow, blue, magenta, cyan, white, default or 0–255)"),
        ("roles:\n  header: { fg: 300 }\n", 2, "colour 300 for role 'header' is out of range (use black,"),
        ("roles:\n  header: { fg: -1 }\n", 2, "colour -1 for role 'header' is out of range"),
        ("roles:\n  header: { fg: [red] }\n", 2, "fg for role 'header' must be one colour"),
        ("roles:\n  status: { attrs: [bold,\n     blink] }\n", 3, "unknown attribute 'blink' for role 'status' (use bold, dim, reverse, underline, standout)"),
        ("roles:\n  status: { attrs: bold }\n", 2, "attrs for role 'status' must be a list"),
        ("roles:\n  status: { forground: red }\n", 2, "unknown key 'forground' for role 'status' (use fg, bg, fg8, bg8, attrs)"),
        ("roles:\n  status: { fg: red, fg8: blue }\n", 2, "fg8 for role 'status' is only used when fg is a number 0–255"),
        ("roles:\n  status: { bg: 17, bg8: 17 }\n", 2, "bg8 for role 'status' must be one of the 8 basic colours"),
        ("roles:\n  status: red\n", 2, "role 'status' must be a mapping"),
        ("roles: [title]\n", 1, "'roles' must be a mapping"),
        ("name: default\nroles: {}\n", 1, "name 'default' does not match the file name: write 'name: broken'"),
        ("colours:\n  title: red\n", 1, "unknown key 'colours' (use name and roles)"),
        ("name: broken\n", 1, "no 'roles' mapping"),
        ("roles:\n  title: { fg: \"\\e[2J\" }\n", 2, "unknown colour '\\x1b[2J'"),
    ] as [(String, Int, String)])
    func brokenFilesAreReportedWithFileLineAndProblem(text: String, line: Int, problem: String) throws {
        let directory = TemporaryDirectory()
        let file = directory.file("broken.yaml")
        try write(text, to: file)
        let error = #expect(throws: ThemeError.self) { try ThemeLoader(directories: [directory.path]).load(named: "broken") }
        #expect(error?.description.hasPrefix("\(file):\(line): ") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.contains(problem) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func anEmptyFileIsReportedWithoutALine() throws {
        let directory = TemporaryDirectory()
        try write("# nothing here\n", to: directory.file("empty.yaml"))
        #expect(throws: ThemeError.invalid(file: directory.file("empty.yaml"), line: nil,
                                           problem: "the file is empty: give a 'roles' mapping (see Themes/README.md)")) {
            try ThemeLoader(directories: [directory.path]).load(named: "empty")
        }
    }

    @Test func aFileThatIsNotTextIsUnreadable() throws {
        let directory = TemporaryDirectory()
        try Data([0x72, 0x6F, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: directory.file("binary.yaml")))
        try FileManager.default.createDirectory(atPath: directory.file("folder.yaml"), withIntermediateDirectories: false)
        let loader = ThemeLoader(directories: [directory.path])
        #expect(throws: ThemeError.unreadable(file: directory.file("binary.yaml"), reason: "it is not UTF-8 text")) {
            try loader.load(named: "binary")
        }
        #expect(throws: ThemeError.unreadable(file: directory.file("folder.yaml"), reason: "it is not a regular file")) {
            try loader.load(named: "folder")
        }
    }

    // MARK: - Names and directories

    @Test func anUnknownNameListsTheAvailableThemes() {
        let error = #expect(throws: ThemeError.self) { try shipped.load(named: "purple") }
        #expect(error == .notFound(name: "purple", available: Self.shippedNames, searched: [Self.shippedFolder]))
        #expect(error?.description
            == "no theme named 'purple'; available: colorblind, default, high-contrast, light, monochrome — or add purple.yaml to \(Self.shippedFolder)")
    }

    @Test(arguments: ["../outside", "../../etc/passwd", "/etc/passwd", ".hidden", "..", "", "sub/theme", "out\0side"])
    func namesThatCouldLeaveTheThemeFoldersAreRefused(name: String) throws {
        let directory = TemporaryDirectory()
        let themes = directory.file("themes")
        try FileManager.default.createDirectory(atPath: themes + "/sub", withIntermediateDirectories: true)
        for file in [directory.file("outside.yaml"), themes + "/.hidden.yaml", themes + "/sub/theme.yaml", themes + "/out.yaml"] {
            try write("roles: {}\n", to: file)
        }
        #expect(throws: ThemeError.invalidName(name)) { try ThemeLoader(directories: [themes]).load(named: name) }
        #expect(ThemeLoader(directories: [themes]).availableNames() == ["out"])
    }

    @Test func aUserThemeHidesTheShippedThemeOfTheSameName() throws {
        let user = TemporaryDirectory()
        try write("name: default\nroles:\n  title: { fg: red, bg: default, attrs: [underline] }\n", to: user.file("default.yaml"))
        try write("roles:\n  title: { fg: green }\n", to: user.file("mine.yaml"))
        let loader = ThemeLoader(directories: [user.path, Self.shippedFolder])
        let theme = try loader.load(named: "default")
        #expect(theme.style(for: .title, colors: 256) == ThemeStyle(foreground: .basic(.red), attributes: [.underline]))
        #expect(theme.style(for: .header, colors: 256) == Theme.builtInDefault.style(for: .header, colors: 256))
        #expect(try loader.load(named: "light") == shipped.load(named: "light"))
        #expect(loader.availableNames() == ["colorblind", "default", "high-contrast", "light", "mine", "monochrome"])
    }

    @Test func userThemesLiveInTheConfigurationDirectory() {
        let binary = Self.repository.appendingPathComponent(".build/debug/handoff").path
        #expect(ThemeLoader.standardDirectories(environment: ["HOME": "/home/cora"], executable: binary)
            == ["/home/cora/.config/handoff/themes", Self.shippedFolder])
        #expect(ThemeLoader.standardDirectories(environment: ["HOME": "/home/cora", "XDG_CONFIG_HOME": "/cfg"], executable: binary)
            == ["/cfg/handoff/themes", Self.shippedFolder])
        #expect(ThemeLoader.standardDirectories(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "relative"], executable: binary).first
            == "/h/.config/handoff/themes")
    }

    @Test func anInstalledBinaryUsesTheThemesInstalledBesideIt() throws {
        let prefix = TemporaryDirectory()
        let installed = prefix.file("share/handoff/Themes")
        try FileManager.default.createDirectory(atPath: installed, withIntermediateDirectories: true)
        try write("roles: {}\n", to: installed + "/default.yaml")
        let directories = ThemeLoader.standardDirectories(environment: ["HOME": "/h"], executable: prefix.file("bin/handoff"))
        #expect(directories == ["/h/.config/handoff/themes", installed])
    }

    @Test func noColorTurnsColourOffWhenSetToAnything() {
        #expect(ThemeLoader.colorsAllowed(environment: [:]))
        #expect(ThemeLoader.colorsAllowed(environment: ["NO_COLOR": ""]))
        #expect(!ThemeLoader.colorsAllowed(environment: ["NO_COLOR": "1"]))
        #expect(!ThemeLoader.colorsAllowed(environment: ["NO_COLOR": "0"]))
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
