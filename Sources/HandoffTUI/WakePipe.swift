import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes the UI thread's key loop: signals and background threads write a byte, the loop reads it.
///
/// Quit signals (INT, TERM, HUP) are consumed here in one place, whatever thread receives them;
/// WINCH is left to curses, which turns it into a resize key.
final class WakePipe: @unchecked Sendable {
    /// What woke the loop.
    enum Reason: UInt8 {
        case databaseChanged = 1
        case interrupt = 2
        case terminate = 3
        case hangup = 4
    }

    nonisolated(unsafe) private static var signalFD: Int32 = -1
    let readFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create a pipe")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// Routes INT, TERM and HUP to this pipe, and makes sure this (the UI) thread receives them
    /// and WINCH: the runtime may have started the process with them blocked.
    func catchQuitSignals() {
        WakePipe.signalFD = writeFD
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&wanted, signal) }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte: UInt8 = switch number {
                case SIGINT: Reason.interrupt.rawValue
                case SIGTERM: Reason.terminate.rawValue
                default: Reason.hangup.rawValue
                }
                _ = write(WakePipe.signalFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// Wakes the loop from any thread.
    func wake(_ reason: Reason) {
        var byte = reason.rawValue
        _ = write(writeFD, &byte, 1)
    }

    /// The reasons waiting, without blocking.
    func drain() -> [Reason] {
        var reasons: [Reason] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readFD, &buffer, buffer.count)
            guard count > 0 else { break }
            reasons += buffer[0..<count].compactMap(Reason.init(rawValue:))
        }
        return reasons
    }
}
