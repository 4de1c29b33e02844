import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (`flock`) held while a database is opened and migrated,
/// so processes opening a brand-new database at once do not both create its schema.
///
/// Locks the database's directory rather than the file: closing any descriptor of the
/// database file would drop SQLite's own POSIX locks held by this process.
struct FileLock: ~Copyable {
    private let descriptor: Int32

    /// Blocks until the lock on `directory` is held.
    init(directory: String) throws(StoreError) {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotCreate(path: directory, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                Glibc.close(fd)
                throw .cannotCreate(path: directory, reason: reason)
            }
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }
}
