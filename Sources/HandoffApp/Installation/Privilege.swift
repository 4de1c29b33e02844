import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The group privilege of an installed, set-group-id `handoff`: what reaches the database, and nothing a
/// user names.
///
/// Installed set-group-id, the process runs with its real ids (the person who started it) and the effective
/// group `handoff`. Every file a person names (themes, key bindings, checkpoints, exports) is opened with the
/// effective group given back to the real one, so it is opened with exactly that person's rights: never the
/// database, its audit key or anything else only the group may read or write.
public enum Privilege {
    /// Whether this process holds a group privilege its user does not have (it runs set-group-id).
    public static var isElevated: Bool { getegid() != getgid() }

    /// Runs `body` with the group privilege given up, and takes it back afterwards. The privilege is the
    /// process's: only call this while no other thread opens files (at start-up, in commands).
    public static func asInvokingUser<T>(_ body: () throws -> T) throws -> T {
        guard isElevated else { return try body() }
        let elevated = getegid()
        guard setegid(getgid()) == 0 else { throw PrivilegeError.cannotDrop(String(cString: strerror(errno))) }
        defer {
            // Taking back the saved set-group-id cannot fail; if it somehow did, carry on without it.
            _ = setegid(elevated)
        }
        return try body()
    }
}

/// The group privilege could not be given up, so the file a person named was not opened.
public enum PrivilegeError: Error, CustomStringConvertible {
    case cannotDrop(String)

    public var description: String {
        switch self {
        case let .cannotDrop(reason): "cannot give up the group privilege to open a file you named: \(reason)"
        }
    }
}
