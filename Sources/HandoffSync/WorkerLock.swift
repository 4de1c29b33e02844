import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one-worker-per-database lock of a background job: an exclusive `flock` on `DATABASE.sync-lock`
/// (the sync worker) or `DATABASE.outbound-lock` (the outbound publisher), holding the process id.
/// The kernel drops it when the process dies, however it dies, so a job killed without warning is
/// taken over cleanly by the next one.
public final class WorkerLock: @unchecked Sendable {
    /// The background jobs that run one per database.
    public enum Job: String, Sendable {
        case sync
        case outbound

        /// How the job is named in messages.
        public var title: String {
            switch self {
            case .sync: "sync worker"
            case .outbound: "outbound publisher"
            }
        }
    }

    private let descriptor: Int32
    public let path: String

    /// The lock file of `job` on the database at `databasePath`.
    public static func path(for databasePath: String, job: Job = .sync) -> String { databasePath + ".\(job.rawValue)-lock" }

    /// Takes the lock of `job`; when another process holds it, waits if `wait` is set, else throws
    /// ``SyncError/anotherWorker(job:pid:database:)``.
    public init(database: String, job: Job = .sync, wait: Bool) throws(SyncError) {
        path = Self.path(for: database, job: job)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .spool("cannot open the \(job.title) lock \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let holder = Self.holder(fd)
            close(fd)
            throw .anotherWorker(job: job.title, pid: holder, database: database)
        }
        // One fixed-width write replaces the previous holder's pid whole: a reader never sees half of one.
        let pid = Data(String(getpid()).padding(toLength: Self.pidWidth - 1, withPad: " ", startingAt: 0).utf8 + [0x0A])
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, pid.count, 0) }
        descriptor = fd
    }

    /// Gives the lock up.
    public func release() {
        flock(descriptor, LOCK_UN)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The lock file holds the pid in this many bytes (padded), written with one `pwrite`.
    static let pidWidth = 16

    /// The pid of the worker holding the lock. Right after taking the lock a worker has not written its
    /// pid yet (or the file still names its dead predecessor), so this looks again, briefly, until the
    /// file names a live process.
    private static func holder(_ fd: Int32) -> String {
        var text = ""
        for _ in 0..<50 {
            var buffer = [UInt8](repeating: 0, count: pidWidth)
            let count = pread(fd, &buffer, buffer.count, 0)
            text = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let pid = pid_t(text), kill(pid, 0) == 0 || errno == EPERM { return text }
            usleep(2_000)
        }
        return text.isEmpty ? "unknown" : text
    }
}
