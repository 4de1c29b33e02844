import Foundation

/// A real terminal for console tests: a private tmux server (`tmux -L NAME`) with one window.
public final class TmuxSession: @unchecked Sendable {
    /// Whether tmux is installed.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    let socket = "handoff-test-\(UUID().uuidString.prefix(8))"

    /// Starts `command` (run by `sh -c`) in a new window of `width` × `height` cells.
    public init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { $1 }
        let status = try CommandRun.start("/usr/bin/tmux", [
            "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "t", command,
        ], environment: env)
        guard status == 0 else { throw TmuxError(description: "tmux new-session exited \(status)") }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> CommandResult {
        try CommandRun.run("/usr/bin/tmux", ["-L", socket] + arguments)
    }

    /// Sends tmux key names, e.g. `Enter`, `C-c`, `Down`, `q`.
    public func keys(_ names: String...) throws {
        try tmux(["send-keys", "-t", "t"] + names)
    }

    /// Types `text` literally.
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "t", "-l", text])
    }

    /// The visible screen as text.
    public func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "t"]).stdout
    }

    /// The pane's title, which a program in it can set with an escape sequence (OSC 0 or 2).
    public func paneTitle() throws -> String {
        try tmux(["display-message", "-p", "-t", "t", "#{pane_title}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds or `seconds` pass; returns the last screen.
    @discardableResult
    public func waitFor(seconds: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try screen()
        while !condition(last) {
            guard Date() < deadline else { throw TmuxError(description: "timed out waiting; screen was:\n\(last)") }
            Thread.sleep(forTimeInterval: 0.05)
            last = try screen()
        }
        return last
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    public func waitFor(_ text: String, seconds: Double = 10) throws -> String {
        try waitFor(seconds: seconds) { $0.contains(text) }
    }

    /// Resizes the window.
    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "t", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The process id of the pane's shell.
    public func panePID() throws -> Int32 {
        Int32(try tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Ends the session, as a dropped connection would.
    public func killSession() throws {
        try tmux(["kill-session", "-t", "t"])
    }

    deinit { _ = try? tmux(["kill-server"]) }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
}
