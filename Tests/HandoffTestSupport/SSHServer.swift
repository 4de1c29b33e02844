import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private OpenSSH server for end-to-end tests: `sshd -D` on 127.0.0.1 and a free port, with its own host
/// key, configuration, pid file and log in a temporary directory, and OS users logging in with keys.
///
/// Only members of `allowGroups` may log in. sshd's strict modes stay on: each user's key is in
/// `~/.ssh/authorized_keys` in a home of their own (``OSUsers/add(_:homeUnder:groups:)`` with ``homes``),
/// owned by them and writable by nobody else, as sshd checks. Connections started by the test end with
/// their clients; ``stop()`` kills the listening server.
public final class SSHServer: @unchecked Sendable {
    static let sshd = "/usr/sbin/sshd", ssh = "/usr/bin/ssh", keygen = "/usr/bin/ssh-keygen"

    /// Whether this process can run a private sshd: root, with the OpenSSH server and client installed.
    public static var available: Bool {
        getuid() == 0 && [sshd, ssh, keygen].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The directory of the host key, configuration, log and the users' client keys.
    let directory = TemporaryDirectory("handoff-sshd")
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let process: SpawnedProcess

    /// Where to create the homes of users who log in (a directory only root may write).
    public var homes: String { directory.file("home") }
    /// What sshd logged (`LogLevel VERBOSE`), for failure messages.
    public var log: String { (try? String(contentsOfFile: directory.file("sshd.log"), encoding: .utf8)) ?? "" }

    /// Starts sshd with a configuration letting members of `allowGroups` in by key only, followed by
    /// `configuration` (e.g. `Match` blocks), and waits until it accepts connections.
    public init(allowGroups: [String], configuration: String) throws {
        try FileManager.default.createDirectory(atPath: directory.file("home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("client"), withIntermediateDirectories: true)
        // sshd's privilege-separation directory; a clean machine has none until the service first starts.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try Self.generateKey(at: directory.file("host_ed25519_key"))
        port = try Self.freePort()
        let text = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory.file("host_ed25519_key"))
            PidFile \(directory.file("sshd.pid"))
            AuthorizedKeysFile .ssh/authorized_keys
            AllowGroups \(allowGroups.joined(separator: " "))
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin no
            UsePAM no
            PrintMotd no
            PrintLastLog no
            LogLevel VERBOSE

            """ + configuration + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory.file("sshd_config")))
        process = try SpawnedProcess(Self.sshd, ["-D", "-f", directory.file("sshd_config"), "-E", directory.file("sshd.log")],
                                     environment: ["PATH": "/usr/sbin:/usr/bin:/bin"],
                                     outputPath: directory.file("sshd.out"), errorPath: directory.file("sshd.err"))
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(port: port) {
            if let ended = process.exited() {
                throw SSHServerError(description: "sshd ended (\(ended)): \(process.errorOutput)\n\(log)")
            }
            guard Date() < deadline else {
                process.kill()
                throw SSHServerError(description: "sshd did not accept connections on port \(port) within 20 s:\n\(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit { stop() }

    /// Kills the listening server (idempotent).
    public func stop() { process.kill() }

    /// Gives `user` a new key pair: the public key goes into their `~/.ssh/authorized_keys`; returns the
    /// private key's path (readable by root only, as ssh requires).
    public func authorize(_ user: String) throws -> String {
        guard let entry = getpwnam(user), let directory = entry.pointee.pw_dir else {
            throw SSHServerError(description: "no user \(user)")
        }
        let home = String(cString: directory), uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        let key = self.directory.file("client/" + user)
        try Self.generateKey(at: key)
        let dotSSH = home + "/.ssh", authorized = dotSSH + "/authorized_keys"
        try FileManager.default.createDirectory(atPath: dotSSH, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: key + ".pub", toPath: authorized)
        for (path, mode) in [(dotSSH, 0o700), (authorized, 0o600)] as [(String, mode_t)] {
            guard chown(path, uid, gid) == 0, chmod(path, mode) == 0 else {
                throw SSHServerError(description: "cannot hand \(path) to \(user): \(String(cString: strerror(errno)))")
            }
        }
        return key
    }

    /// The `ssh` command line logging in as `user` with `key`, asking for `command` (none: what the login
    /// gives by default), with a terminal when `terminal` is set. Host keys are neither checked nor kept,
    /// and no configuration of this machine's root is read.
    public func client(_ user: String, key: String, command: String? = nil, terminal: Bool = false) -> [String] {
        [Self.ssh, "-F", "/dev/null", "-i", key, "-p", String(port),
         "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20"]
            + (terminal ? ["-tt"] : ["-T"]) + ["\(user)@127.0.0.1"] + (command.map { [$0] } ?? [])
    }

    /// Logs in as `user` with `key`, runs `command` (none: the login's default) without a terminal, and
    /// returns its result: the remote command's exit status, output and errors.
    public func run(_ user: String, key: String, command: String? = nil) throws -> CommandResult {
        let line = client(user, key: key, command: command)
        return try CommandRun.run(line[0], Array(line.dropFirst()), environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
    }

    // MARK: - Helpers

    private static func generateKey(at path: String) throws {
        let result = try CommandRun.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "handoff-test", "-f", path])
        guard result.status == 0 else { throw SSHServerError(description: "ssh-keygen: \(result)") }
    }

    /// A port nobody listens on now: the one the kernel picks for 127.0.0.1:0.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SSHServerError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw SSHServerError(description: "cannot bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

struct SSHServerError: Error, CustomStringConvertible {
    let description: String
}
