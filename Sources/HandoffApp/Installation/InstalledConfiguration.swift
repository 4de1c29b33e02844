import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The configuration of an installed `handoff`: a root-owned file found relative to the installed binary
/// (`PREFIX/etc/handoff/handoff.conf` for `PREFIX/bin/handoff`; `/etc/handoff/handoff.conf` for `/usr/bin`).
///
/// Running set-group-id, `handoff` takes its database and the worker's and publisher's spools from here only: no option or
/// environment variable can point it at another (a routes file named with `--routes` is read with the
/// person's own rights).
///
/// ```
/// # key = value; '#' starts a comment
/// database = /var/lib/handoff/handoff.db
/// spool = /var/lib/handoff/spool
/// outbound = /var/lib/handoff/outbound
/// routes = /usr/local/etc/handoff/routes.yaml
/// ```
public struct InstalledConfiguration: Equatable, Sendable {
    /// The database file.
    public var database: String
    /// The spool directory the sync worker reads.
    public var spool: String?
    /// The outbound spool the publisher delivers events to.
    public var outbound: String?
    /// The routes file the sync worker applies.
    public var routes: String?

    public init(database: String, spool: String? = nil, outbound: String? = nil, routes: String? = nil) {
        self.database = database
        self.spool = spool
        self.outbound = outbound
        self.routes = routes
    }

    /// The configuration file of the binary installed at `binary` (a resolved path).
    public static func path(forBinary binary: String) -> String {
        let prefix = URL(fileURLWithPath: binary).deletingLastPathComponent().deletingLastPathComponent().path
        return prefix == "/usr" ? "/etc/handoff/handoff.conf" : prefix + "/etc/handoff/handoff.conf"
    }

    /// The configuration as the text of its file.
    public var text: String {
        var lines = ["# Handoff's installed configuration: owned by root, read by the set-group-id handoff only from here.",
                     "database = \(database)"]
        if let spool { lines.append("spool = \(spool)") }
        if let outbound { lines.append("outbound = \(outbound)") }
        if let routes { lines.append("routes = \(routes)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads configuration text; errors name the line.
    public static func parse(_ text: String, file: String) throws(InstallationError) -> InstalledConfiguration {
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw .badConfiguration(file: file, line: index + 1, problem: "expected 'key = value'")
            }
            guard ["database", "spool", "outbound", "routes"].contains(parts[0]) else {
                throw .badConfiguration(file: file, line: index + 1, problem: "unknown key '\(parts[0])' (database, spool, outbound, routes)")
            }
            guard parts[1].hasPrefix("/") else {
                throw .badConfiguration(file: file, line: index + 1, problem: "\(parts[0]) must be an absolute path")
            }
            values[parts[0]] = parts[1]
        }
        guard let database = values["database"] else { throw .badConfiguration(file: file, line: 0, problem: "no 'database = PATH' line") }
        return InstalledConfiguration(database: database, spool: values["spool"], outbound: values["outbound"], routes: values["routes"])
    }

    /// Reads the file at `path`, which must be a regular file owned by root that nobody else may write,
    /// in a directory owned by root that nobody else may write.
    public static func load(from path: String) throws(InstallationError) -> InstalledConfiguration {
        for (item, kind) in [(path, "file"), ((path as NSString).deletingLastPathComponent, "directory")] {
            var info = stat()
            guard lstat(item, &info) == 0 else { throw .missingConfiguration(file: path) }
            guard info.st_uid == 0, info.st_mode & 0o022 == 0,
                  (info.st_mode & S_IFMT) == (kind == "file" ? S_IFREG : S_IFDIR) else {
                throw .insecureConfiguration(file: path, item: item)
            }
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .missingConfiguration(file: path)
        }
        return try parse(text, file: path)
    }
}
