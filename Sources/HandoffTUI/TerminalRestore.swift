import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back as it was, even when the process dies of a crash signal.
///
/// Only async-signal-safe calls run in the crash handler: `tcsetattr`, `write`, `signal`, `raise`.
enum TerminalRestore {
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var hasSaved = false

    /// Remembers the terminal's settings before curses changes them.
    static func save() {
        hasSaved = tcgetattr(STDIN_FILENO, &saved) == 0
    }

    /// Restores the remembered settings.
    static func restore() {
        guard hasSaved else { return }
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved)
    }

    /// On a crash: leave the alternate screen, show the cursor, restore the modes, then die as before.
    static func installCrashHandlers() {
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            Glibc.signal(signal) { number in
                TerminalRestore.restoreFromSignal()
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    private static func restoreFromSignal() {
        if hasSaved { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        let reset: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
        _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
    }
}
