import Foundation
import HandoffCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A log file only its owner can read, for a process whose terminal belongs to the console: swift-log lines
/// appended to a regular file opened with mode 0600, each line sanitised so no control character reaches it.
public final class LogFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()

    /// Opens `path` for appending, creating it with mode 0600. Refuses anything but a regular file, and a file
    /// its group or others may read or write.
    public init(path: String) throws(LogFileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notAFile(path: path)
        }
        guard info.st_mode & 0o077 == 0 else {
            close(fd)
            throw .readableByOthers(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
        self.path = path
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// A logger writing the messages at `level` and above to this file.
    public func logger(label: String, level: Logger.Level) -> Logger {
        Logger(label: label) { [self] label in
            var handler = Handler(label: label, file: self)
            handler.logLevel = level
            return handler
        }
    }

    func append(_ line: String) {
        let bytes = Array((DisplayText.sanitize(line) + "\n").utf8)
        lock.withLock {
            var written = 0
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard result > 0 || (result < 0 && errno == EINTR) else { return }
                written += max(result, 0)
            }
        }
    }

    /// `time level label: message key=value …`, metadata sorted by key.
    private struct Handler: LogHandler {
        let label: String
        let file: LogFile
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            file.append("\(Timestamp.format(Date())) \(event.level) \(label): \(event.message)\(fields)")
        }
    }
}

/// Why a log file cannot be used, worded for the person who named it.
public enum LogFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notAFile(path: String)
    case readableByOthers(path: String, mode: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open the log file \(path): \(reason)"
        case let .notAFile(path): "the log file \(path) is not a regular file: name a file"
        case let .readableByOthers(path, mode):
            "the log file \(path) has mode \(mode), so others may read it: chmod 600 \(path), or name a new file"
        }
    }
}
