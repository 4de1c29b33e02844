import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started in the background with `posix_spawn` that a test can kill at any instant.
///
/// It runs in a process group of its own, with standard input from `/dev/null` and its output in
/// files (a pipe nobody reads would stall it). Killing sends `SIGKILL` to the whole group and reaps
/// the child; releasing the value does the same, so a failed expectation leaves nothing running.
public final class SpawnedProcess: @unchecked Sendable {
    /// How a process ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case let .exited(code): "exit \(code)"
            case let .signalled(signal): "killed by signal \(signal)"
            }
        }
    }

    /// The child's process id (also its process group id).
    public let pid: pid_t
    /// Where its standard output and standard error go.
    public let outputPath: String
    public let errorPath: String

    private let lock = NSLock()
    private var ended: Termination?

    /// Starts `executable` with `arguments` and exactly `environment`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String],
                outputPath: String, errorPath: String) throws {
        self.outputPath = outputPath
        self.errorPath = errorPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw CommandError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        pid = child
    }

    deinit { kill() }

    /// How it ended, if it has (reaping it then); `nil` while it runs.
    public func exited() -> Termination? {
        lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            guard result == pid else { return nil }
            ended = Self.termination(status)
            return ended
        }
    }

    /// Waits up to `timeout` seconds for it to end by itself; `nil` if it is still running then.
    public func waitForExit(timeout: TimeInterval) -> Termination? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let ended = exited() { return ended }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Kills its process group with `SIGKILL` and reaps it; does nothing once it has been reaped.
    @discardableResult
    public func kill() -> Termination {
        lock.withLock {
            if let ended { return ended }
            _ = Glibc.kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let termination = Self.termination(status)
            ended = termination
            return termination
        }
    }

    /// What it wrote to standard output and standard error so far.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    private static func termination(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
