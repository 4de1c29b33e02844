import Foundation
import HandoffCore

/// A user as listed by `handoff users list`.
public struct UserInfo: Hashable, Sendable {
    public var name: String
    public var displayName: String
    public var roles: Set<Role>
    public var isDisabled: Bool
    public var createdAt: Date
}
