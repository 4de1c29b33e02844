import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is running this process, according to the operating system.
public enum SystemIdentity {
    /// The login name of the real user id: never taken from `$USER`, `$LOGNAME` or any variable.
    public static func currentUserName() throws(IdentityError) -> String {
        let uid = getuid()
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        guard status == 0, let found = result, let name = found.pointee.pw_name else {
            throw .noPasswdEntry(uid: uid)
        }
        return String(cString: name)
    }

    /// The user's full name from the GECOS field, or `nil`.
    public static func currentDisplayName() -> String? {
        guard let entry = getpwuid(getuid()), let gecos = entry.pointee.pw_gecos else { return nil }
        let name = String(cString: gecos).split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return name.trimmingCharacters(in: .whitespaces).isEmpty ? nil : name
    }

    /// Where the session comes from: `ssh ADDRESS` from the variables sshd sets, else `local`.
    public static func origin(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let connection = environment["SSH_CONNECTION"] ?? environment["SSH_CLIENT"]
        if let address = connection?.split(separator: " ").first, !address.isEmpty {
            return "ssh \(address.filter { $0.isHexDigit || $0 == "." || $0 == ":" })"
        }
        return "local"
    }
}

/// The operating system could not say who is running the process.
public enum IdentityError: Error, Hashable, Sendable, CustomStringConvertible {
    case noPasswdEntry(uid: uid_t)

    public var description: String {
        switch self {
        case let .noPasswdEntry(uid): "user id \(uid) has no entry in the system's user database"
        }
    }
}
