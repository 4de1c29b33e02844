import Foundation
import HandoffCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs a console in a terminal until the user quits, a quit signal arrives, the terminal
/// goes away, or the session is idle too long; the terminal is restored in every case.
public enum ConsoleSession {
    /// Why the session ended.
    public enum Ending: Equatable, Sendable {
        case quit
        case signal(String)
        case terminalGone
        case idle
    }

    /// How often the background thread asks whether the database changed.
    static let watchInterval: Duration = .milliseconds(250)

    /// Runs `console` on `terminal` from the UI thread. `changed` is asked from a background
    /// thread whether the database changed; `theme` loads a theme by name for `:theme`.
    public static func run(
        _ console: Console, on terminal: Terminal, changed: @escaping @Sendable () -> Bool,
        theme: (String) -> Result<Theme, any Error>, colorsAllowed: Bool
    ) -> Ending {
        let wake = WakePipe()
        wake.catchQuitSignals()
        let watcher = Watcher(wake: wake, changed: changed)
        watcher.start()
        defer { watcher.stop() }

        console.reload()
        redraw(console, terminal)
        let clock = ContinuousClock()
        var lastKey = clock.now
        var silentReads = 0
        while true {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, 250)
            if ready < 0, errno != EINTR { return .terminalGone }
            var dirty = false
            if fds[1].revents & Int16(POLLIN) != 0 {
                for reason in wake.drain() {
                    switch reason {
                    case .databaseChanged:
                        console.databaseChanged()
                        dirty = true
                    case .interrupt: return .signal("interrupt")
                    case .terminate: return .signal("terminate")
                    case .hangup: return .signal("hangup")
                    }
                }
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .terminalGone }
            let keys = terminal.readKeys()
            if fds[0].revents & Int16(POLLIN) != 0, keys.isEmpty {
                // Readable but nothing to read: end of file on a dropped connection.
                silentReads += 1
                if silentReads >= 3 { return .terminalGone }
            } else {
                silentReads = 0
            }
            for key in keys {
                lastKey = clock.now
                console.handle(key)
                dirty = true
            }
            if let name = console.themeRequest {
                console.themeRequest = nil
                switch theme(name) {
                case let .success(loaded):
                    terminal.apply(loaded, colorsAllowed: colorsAllowed)
                    console.notify("theme \(loaded.name)", isError: false)
                case let .failure(error):
                    console.notify(String(describing: error), isError: true)
                }
                dirty = true
            }
            if console.tick() { dirty = true }
            if console.wantsToQuit { return .quit }
            if clock.now - lastKey >= console.options.idleTimeout {
                terminal.clear()
                return .idle
            }
            if dirty { redraw(console, terminal) }
        }
    }

    private static func redraw(_ console: Console, _ terminal: Terminal) {
        let size = terminal.size
        terminal.draw(console.render(width: size.width, height: size.height, now: console.options.now()))
    }
}

/// The background thread that watches for other sessions' commits and wakes the UI.
private final class Watcher: @unchecked Sendable {
    private let wake: WakePipe
    private let changed: @Sendable () -> Bool
    private let lock = NSLock()
    private var running = true
    private var thread: Thread?

    init(wake: WakePipe, changed: @escaping @Sendable () -> Bool) {
        self.wake = wake
        self.changed = changed
    }

    func start() {
        let thread = Thread { [self] in
            while isRunning {
                Thread.sleep(forTimeInterval: Double(ConsoleSession.watchInterval.components.attoseconds) / 1e18)
                if isRunning, changed() { wake.wake(.databaseChanged) }
            }
        }
        thread.name = "handoff-watcher"
        thread.start()
        self.thread = thread
    }

    private var isRunning: Bool { lock.withLock { running } }

    func stop() { lock.withLock { running = false } }
}
