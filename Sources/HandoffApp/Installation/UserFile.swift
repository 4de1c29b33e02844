import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files a person names on the command line or in their own configuration, opened with that person's
/// rights only (``Privilege/asInvokingUser(_:)``), never the installed group's.
public enum UserFile {
    /// The contents of the regular file at `path`, read with the invoking user's rights; `maximumSize`
    /// bounds what is read.
    public static func read(_ path: String, maximumSize: Int = 16 * 1024 * 1024) throws -> Data {
        let fd = try Privilege.asInvokingUser { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw UserFileError(path: path, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw UserFileError(path: path, reason: "it is not a regular file")
        }
        guard Int(info.st_size) <= maximumSize else {
            throw UserFileError(path: path, reason: "it is larger than \(maximumSize / 1024) KiB")
        }
        return try handle.readToEnd() ?? Data()
    }

    /// Creates the file at `path` for writing, with the invoking user's rights, so it belongs to them:
    /// a new file (mode `mode`), or an existing one of theirs emptied when `replace` is set. A symbolic
    /// link is never followed.
    public static func create(_ path: String, mode: mode_t = 0o600, replace: Bool = false) throws -> FileHandle {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (replace ? O_TRUNC : O_EXCL)
        let fd = try Privilege.asInvokingUser { Glibc.open(path, flags, mode) }
        guard fd >= 0 else { throw UserFileError(path: path, reason: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}

/// A file a person named could not be used.
public struct UserFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): \(reason)" }

    /// Why reading a named file failed, in a few words: the system's reason for a ``UserFileError``.
    public static func reason(of error: any Error) -> String {
        (error as? UserFileError)?.reason ?? String(describing: error)
    }
}
