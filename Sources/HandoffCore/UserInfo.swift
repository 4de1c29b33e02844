import Foundation

/// A user as listed by `handoff users list`.
public struct UserInfo: Hashable, Sendable {
    public var name: String
    public var displayName: String
    public var roles: Set<Role>
    public var isDisabled: Bool
    public var createdAt: Date

    public init(name: String, displayName: String, roles: Set<Role>, isDisabled: Bool, createdAt: Date) {
        self.name = name
        self.displayName = displayName
        self.roles = roles
        self.isDisabled = isDisabled
        self.createdAt = createdAt
    }
}
