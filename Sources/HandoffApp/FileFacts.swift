import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The owner, group and permission bits of one file, as `stat` reports them.
public struct FileFacts: Sendable, Equatable {
    /// The path the facts were read from.
    public var path: String
    /// The owner's login name, or the user id when it has no name.
    public var owner: String
    /// The group's name, or the group id when it has no name.
    public var group: String
    public var groupID: UInt32
    /// The permission bits with set-user-id, set-group-id and sticky (`st_mode & 0o7777`).
    public var mode: UInt32

    public init(path: String, owner: String, group: String, groupID: UInt32, mode: UInt32) {
        self.path = path
        self.owner = owner
        self.group = group
        self.groupID = groupID
        self.mode = mode
    }

    /// The facts of `path` (following symbolic links), or `nil` when it does not exist or cannot be read.
    public static func of(_ path: String) -> FileFacts? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? String(info.st_uid)
        let group = getgrgid(info.st_gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } ?? String(info.st_gid)
        return FileFacts(path: path, owner: owner, group: group, groupID: info.st_gid, mode: UInt32(info.st_mode) & 0o7777)
    }

    /// Whether the set-group-id bit is set.
    public var isSetGroupID: Bool { mode & 0o2000 != 0 }

    /// The mode as `chmod` takes it, e.g. `0660` or `2755`.
    public var modeText: String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(4 - digits.count, 0)) + digits
    }

    /// `owner:group, mode 0660`.
    public var summary: String { "\(owner):\(group), mode \(modeText)" }
}
