import Foundation

/// Where Handoff keeps its files, following the XDG base directory conventions; installed, where its
/// root-owned configuration says, whatever the environment.
public struct Locations: Sendable {
    let environment: [String: String]
    /// The installed configuration, which alone decides the database, spool and routes when present.
    let installed: InstalledConfiguration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        installed = nil
    }

    /// The locations an installed `handoff` uses: its configuration's, the environment ignored.
    public init(installed configuration: InstalledConfiguration) {
        environment = [:]
        installed = configuration
    }

    /// The running binary, as the kernel knows it (`/proc/self/exe`), never the caller-chosen `argv[0]`.
    public static var runningBinary: String {
        let resolved = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return resolved == "/proc/self/exe" ? CommandLine.arguments[0] : resolved
    }

    /// The locations of this process's ``RunMode``.
    public static var current: Locations {
        if case let .success(.installed(configuration, _)) = RunMode.current { return Locations(installed: configuration) }
        return Locations()
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    /// The database used when no `--db` is given: `$HANDOFF_DB`, else `$XDG_DATA_HOME/handoff/handoff.db`
    /// (by default `~/.local/share/handoff/handoff.db`).
    public var defaultDatabase: String {
        if let installed { return installed.database }
        if let path = environment["HANDOFF_DB"], !path.isEmpty { return path }
        return base("XDG_DATA_HOME", fallback: ".local/share") + "/handoff/handoff.db"
    }

    /// The demo database: `$XDG_STATE_HOME/handoff/demo.db` (by default `~/.local/state/handoff/demo.db`).
    public var demoDatabase: String {
        base("XDG_STATE_HOME", fallback: ".local/state") + "/handoff/demo.db"
    }

    /// The spool directory the sync worker reads by default: `$HANDOFF_SPOOL`, else
    /// `$XDG_DATA_HOME/handoff/spool` (by default `~/.local/share/handoff/spool`).
    public var defaultSpool: String {
        if let installed { return installed.spool ?? (installed.database as NSString).deletingLastPathComponent + "/spool" }
        if let path = environment["HANDOFF_SPOOL"], !path.isEmpty { return path }
        return base("XDG_DATA_HOME", fallback: ".local/share") + "/handoff/spool"
    }

    /// The outbound spool the publisher delivers to by default: installed, the configuration's
    /// (`outbound =`, else `outbound/` beside the database); otherwise `$HANDOFF_OUTBOUND`, else
    /// `$XDG_DATA_HOME/handoff/outbound` (by default `~/.local/share/handoff/outbound`).
    public var defaultOutbound: String {
        if let installed { return installed.outbound ?? (installed.database as NSString).deletingLastPathComponent + "/outbound" }
        if let path = environment["HANDOFF_OUTBOUND"], !path.isEmpty { return path }
        return base("XDG_DATA_HOME", fallback: ".local/share") + "/handoff/outbound"
    }

    /// The demo's outbound spool, where the demo's publisher delivers the events of the demo's changes.
    public var demoOutbound: String {
        base("XDG_STATE_HOME", fallback: ".local/state") + "/handoff/demo-outbound"
    }

    /// The demo's spool, which the demo's simulated integration layer writes into.
    public var demoSpool: String {
        base("XDG_STATE_HOME", fallback: ".local/state") + "/handoff/demo-spool"
    }

    /// The routes file: `$HANDOFF_ROUTES`, else `$XDG_CONFIG_HOME/handoff/routes.yaml` when it exists,
    /// else the sample routes shipped in `SampleData/routes.yaml`.
    public func routesFile(executable: String = Locations.runningBinary) -> String? {
        if let installed { return installed.routes ?? sampleData(executable: executable).map { $0 + "/routes.yaml" } }
        if let path = environment["HANDOFF_ROUTES"], !path.isEmpty { return path }
        let configured = configurationDirectory + "/routes.yaml"
        if FileManager.default.fileExists(atPath: configured) { return configured }
        return sampleData(executable: executable).map { $0 + "/routes.yaml" }
    }

    /// The user's Handoff configuration: `$XDG_CONFIG_HOME/handoff` (by default `~/.config/handoff`).
    public var configurationDirectory: String {
        base("XDG_CONFIG_HOME", fallback: ".config") + "/handoff"
    }

    private func base(_ variable: String, fallback: String) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return home + "/" + fallback
    }

    /// Finds the sample data: `$HANDOFF_SAMPLE_DATA`, `share/handoff/SampleData` beside an installed
    /// binary, or a `SampleData` folder in a directory above the binary or the working directory.
    public func sampleData(executable: String = Locations.runningBinary) -> String? {
        if installed != nil { return Self.shippedFolder("SampleData", containing: "users.yaml", executable: executable, installedOnly: true) }
        if let path = environment["HANDOFF_SAMPLE_DATA"], FileManager.default.fileExists(atPath: path + "/users.yaml") {
            return path
        }
        return Self.shippedFolder("SampleData", containing: "users.yaml", executable: executable)
    }

    /// A folder shipped with Handoff (`SampleData`, `Themes`), recognised by a file it contains:
    /// `share/handoff/NAME` beside an installed binary, or `NAME` in a directory above the binary
    /// or the working directory.
    /// `installedOnly` looks in `share/handoff` beside the binary only (an installed `handoff` never reads
    /// the working directory's); `besideBinaryOnly` also above the binary, never the working directory.
    public static func shippedFolder(_ name: String, containing marker: String, executable: String, installedOnly: Bool = false,
                                     besideBinaryOnly: Bool = false) -> String? {
        let contains = { (path: String) in FileManager.default.fileExists(atPath: path + "/" + marker) }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = binary.deletingLastPathComponent().appendingPathComponent("share/handoff/" + name).path
        if contains(installed) { return installed }
        if installedOnly { return nil }
        let starts = besideBinaryOnly ? [binary] : [binary, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var directory = start
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent(name).path
                if contains(candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }
}
