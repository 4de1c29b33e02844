import Foundation
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// `handoff install`: the deployment model in which people reach the data only through `handoff`.
///
/// As `crontab` does: a system group nobody is a member of; the binary owned by root and set-group-id to
/// it; the data directory and database owned by that group with no access for others; a root-owned
/// configuration naming the database. Run as root; safe to run again (an existing configuration and
/// database are kept, their ownership and modes put right).
public struct Installer {
    /// Where the binary (`bin/handoff`), configuration (`etc/handoff/handoff.conf`) and shipped data
    /// (`share/handoff`) go.
    public var prefix: String
    /// The private data directory (by default `PREFIX/var/lib/handoff`).
    public var dataDirectory: String
    /// The system group the binary runs as (by default `handoff`).
    public var group: String
    /// The operating-system user made the first admin of a new database.
    public var admin: String?
    /// The binary to install: the running one.
    public var binary: String = Locations.runningBinary

    public init(prefix: String, dataDirectory: String? = nil, group: String = "handoff", admin: String? = nil) {
        self.prefix = prefix
        self.dataDirectory = dataDirectory ?? prefix + "/var/lib/handoff"
        self.group = group
        self.admin = admin
    }

    /// What was done, one line each; warnings start with `warning:`.
    public func run() throws -> [String] {
        guard geteuid() == 0 else { throw InstallationError.notRoot }
        var done: [String] = []
        let gid = try systemGroup(&done)
        for directory in [prefix + "/bin", prefix + "/etc/handoff", prefix + "/share/handoff"] {
            try makeDirectory(directory, owner: 0, group: 0, mode: 0o755)
        }
        try installBinary(gid: gid, &done)
        try installShipped(&done)
        try makeDirectory(dataDirectory, owner: 0, group: gid, mode: 0o2770)
        try makeDirectory(dataDirectory + "/spool", owner: 0, group: gid, mode: 0o2770)
        try makeDirectory(dataDirectory + "/outbound", owner: 0, group: gid, mode: 0o2770)
        let configuration = try installConfiguration(&done)
        try installDatabase(configuration.database, gid: gid, &done)
        if Self.loadsSwiftRuntimeDynamically() {
            done.append("warning: this binary loads the Swift runtime as shared libraries; build the one you install with "
                + "'swift build -c release --static-swift-stdlib' (scripts/install.sh does) so a set-group-id binary "
                + "depends on no library outside the system's")
        }
        return done
    }

    // MARK: - Steps

    private func systemGroup(_ done: inout [String]) throws -> gid_t {
        if let entry = getgrnam(group) { return entry.pointee.gr_gid }
        let groupadd = Process()
        groupadd.executableURL = URL(fileURLWithPath: "/usr/sbin/groupadd")
        groupadd.arguments = ["--system", group]
        try groupadd.run()
        groupadd.waitUntilExit()
        guard groupadd.terminationStatus == 0, let entry = getgrnam(group) else {
            throw InstallationError.failed(step: "creating the system group \(group)", reason: "groupadd exited \(groupadd.terminationStatus)")
        }
        done.append("created the system group \(group) (nobody is to be a member of it)")
        return entry.pointee.gr_gid
    }

    private func installBinary(gid: gid_t, _ done: inout [String]) throws {
        let target = prefix + "/bin/handoff"
        let staging = prefix + "/bin/.handoff.installing"
        unlink(staging)
        try step("copying \(binary) to \(target)") { try FileManager.default.copyItem(atPath: binary, toPath: staging) }
        // Owner first: changing the owner clears the set-group-id bit.
        try check(chown(staging, 0, gid), "setting the owner of \(target)")
        try check(chmod(staging, 0o2755), "making \(target) set-group-id")
        try check(rename(staging, target), "moving \(target) into place")
        done.append("installed \(target): root:\(group), mode 2755 (set-group-id \(group))")
    }

    private func installShipped(_ done: inout [String]) throws {
        for (name, marker) in [("SampleData", "users.yaml"), ("Themes", "default.yaml")] {
            guard let source = Locations.shippedFolder(name, containing: marker, executable: binary, besideBinaryOnly: true) else { continue }
            let target = prefix + "/share/handoff/" + name
            guard URL(fileURLWithPath: source).standardized.path != URL(fileURLWithPath: target).standardized.path else { continue }
            try? FileManager.default.removeItem(atPath: target)
            try step("copying \(source) to \(target)") { try FileManager.default.copyItem(atPath: source, toPath: target) }
            try ownAll(target, owner: 0, group: 0, fileMode: 0o644, directoryMode: 0o755)
            done.append("installed \(target)")
        }
    }

    private func installConfiguration(_ done: inout [String]) throws -> InstalledConfiguration {
        let file = InstalledConfiguration.path(forBinary: prefix + "/bin/handoff")
        var existing = stat()
        if lstat(file, &existing) == 0 {
            guard (existing.st_mode & S_IFMT) == S_IFREG else {
                throw InstallationError.failed(step: "keeping \(file)", reason: "it is not a regular file (a link?)")
            }
            try check(chown(file, 0, 0), "setting the owner of \(file)")
            try check(chmod(file, 0o644), "setting the mode of \(file)")
            done.append("kept the configuration \(file)")
            return try InstalledConfiguration.load(from: file)
        }
        let configuration = InstalledConfiguration(database: dataDirectory + "/handoff.db", spool: dataDirectory + "/spool",
                                                   outbound: dataDirectory + "/outbound")
        try step("writing \(file)") { try configuration.text.write(toFile: file, atomically: true, encoding: .utf8) }
        try check(chown(file, 0, 0), "setting the owner of \(file)")
        try check(chmod(file, 0o644), "setting the mode of \(file)")
        done.append("wrote the configuration \(file) (root-owned): database \(configuration.database)")
        return configuration
    }

    private func installDatabase(_ path: String, gid: gid_t, _ done: inout [String]) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        let store = try HandoffStore.openOrCreate(at: path)
        if let admin {
            guard let entry = getpwnam(admin) else {
                throw InstallationError.failed(step: "making \(admin) the first admin", reason: "there is no operating-system user \(admin)")
            }
            let gecos = entry.pointee.pw_gecos.map { String(cString: $0).split(separator: ",").first.map(String.init) ?? "" } ?? ""
            let created = try store.write { session in
                try session.bootstrapAdmin(name: admin, displayName: gecos.isEmpty ? admin : gecos, origin: SystemIdentity.origin(), at: Date())
            }
            done.append(created ? "made \(admin) the database's first admin" : "\(admin) is an admin already")
        }
        try store.close()
        done.append((existed ? "kept the database " : "created the database ") + path)
        for (file, mode) in [(path, mode_t(0o660)), (path + "-wal", 0o660), (path + "-shm", 0o660), (AuditKey.path(forDatabase: path), 0o640)]
        where FileManager.default.fileExists(atPath: file) {
            try check(chown(file, 0, gid), "setting the owner of \(file)")
            try check(chmod(file, mode), "setting the mode of \(file)")
        }
    }

    // MARK: - Helpers

    private func makeDirectory(_ path: String, owner: uid_t, group: gid_t, mode: mode_t) throws {
        try step("creating \(path)") { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        try check(chown(path, owner, group), "setting the owner of \(path)")
        try check(chmod(path, mode), "setting the mode of \(path)")
    }

    private func ownAll(_ root: String, owner: uid_t, group: gid_t, fileMode: mode_t, directoryMode: mode_t) throws {
        let items = [root] + ((FileManager.default.subpaths(atPath: root) ?? []).map { root + "/" + $0 })
        for item in items {
            // As root: never follow a link to change its target's owner or mode.
            var info = stat()
            try check(lstat(item, &info), "looking at \(item)")
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFDIR else {
                throw InstallationError.failed(step: "installing \(item)", reason: "it is not a regular file or directory (a link?)")
            }
            try check(chown(item, owner, group), "setting the owner of \(item)")
            try check(chmod(item, type == S_IFDIR ? directoryMode : fileMode), "setting the mode of \(item)")
        }
    }

    private func step(_ what: String, _ body: () throws -> Void) throws {
        do { try body() } catch { throw InstallationError.failed(step: what, reason: error.localizedDescription) }
    }

    private func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw InstallationError.failed(step: what, reason: String(cString: strerror(errno))) }
    }

    /// Whether this process mapped the Swift runtime from a shared library.
    static func loadsSwiftRuntimeDynamically() -> Bool {
        // Read to the end: /proc files report a size of 0.
        guard let maps = FileHandle(forReadingAtPath: "/proc/self/maps"), let data = try? maps.readToEnd() else { return false }
        return String(decoding: data, as: UTF8.self).contains("libswiftCore.so")
    }
}
