import Foundation
import GRDB
import HandoffCore

extension StoreSession {
    // MARK: - Identity

    /// The acting user `name`, with their current roles; refuses unknown and disabled users.
    public func actor(named name: String, origin: String) throws -> Actor {
        guard let user = try user(named: name) else { throw StoreError.unknownUser(name) }
        guard !user.isDisabled else { throw StoreError.disabledUser(name) }
        return Actor(name: user.name, roles: user.roles, origin: origin)
    }

    /// Makes `name` the first admin of a database that has no users yet.
    /// Returns `false`, changing nothing, when `name` is already an admin.
    @discardableResult
    public func bootstrapAdmin(name: String, displayName: String, origin: String, at now: Date) throws -> Bool {
        if try userCount() > 0 {
            if let user = try user(named: name), user.roles.contains(.admin), !user.isDisabled { return false }
            throw StoreError.alreadyInitialised(path: try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'") ?? "the database")
        }
        let entry = try Directory.bootstrap(admin: name, displayName: displayName, origin: origin, at: now)
        try insertUser(name: name, displayName: displayName, roles: [.admin], at: now)
        try append(entry)
        return true
    }

    /// Applies a change to users, roles, queues or memberships, audited.
    public func apply(_ change: DirectoryChange, by actor: Actor, at now: Date) throws {
        let entry = try Directory.authorize(change, by: actor, at: now)
        switch change {
        case let .addUser(name, displayName, roles):
            guard try user(named: name) == nil else { throw StoreError.userExists(name) }
            try insertUser(name: name, displayName: displayName, roles: roles, at: now)
        case let .setRoles(name, roles):
            try requireUser(name)
            try db.execute(sql: "UPDATE user SET roles = ? WHERE name = ?", arguments: [Role.format(roles), name])
        case let .disableUser(name):
            try requireUser(name)
            try db.execute(sql: "UPDATE user SET disabled = 1 WHERE name = ?", arguments: [name])
        case let .enableUser(name):
            try requireUser(name)
            try db.execute(sql: "UPDATE user SET disabled = 0 WHERE name = ?", arguments: [name])
        case let .addQueue(name, title, requiresReview):
            guard try queueExists(name) == false else { throw StoreError.queueExists(name) }
            try db.execute(sql: "INSERT INTO queue(name, title, requiresReview, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [name, title, requiresReview, now])
        case let .addMember(queue, user), let .addSupervisor(queue, user):
            try requireQueue(queue)
            try requireUser(user)
            let supervisor: Bool = if case .addSupervisor = change { true } else { false }
            try db.execute(sql: "INSERT OR IGNORE INTO queueMember(queue, user, isSupervisor) VALUES (?, ?, ?)",
                           arguments: [queue, user, supervisor])
        case let .removeMember(queue, user), let .removeSupervisor(queue, user):
            try requireQueue(queue)
            let supervisor: Bool = if case .removeSupervisor = change { true } else { false }
            try db.execute(sql: "DELETE FROM queueMember WHERE queue = ? AND user = ? AND isSupervisor = ?",
                           arguments: [queue, user, supervisor])
        }
        try append(entry)
    }

    // MARK: - Users

    /// All users, enabled and disabled, by name.
    public func users() throws -> [UserInfo] {
        try Row.fetchAll(db, sql: "SELECT * FROM user ORDER BY name").map(Self.user(from:))
    }

    /// One user, or `nil`.
    public func user(named name: String) throws -> UserInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM user WHERE name = ?", arguments: [name]).map(Self.user(from:))
    }

    /// The number of users.
    public func userCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM user") ?? 0
    }

    // MARK: - Queues

    /// Queues with their people and counts by state; only those `actor` belongs to or oversees,
    /// unless they are an admin or service account (or `actor` is `nil`).
    public func queues(visibleTo actor: Actor? = nil) throws -> [QueueInfo] {
        let visible = actor.map(Self.seesEverything) ?? true
        let rows = try Row.fetchAll(db, sql: visible ? "SELECT * FROM queue ORDER BY name" : """
            SELECT * FROM queue WHERE name IN (SELECT queue FROM queueMember WHERE user = ?) ORDER BY name
            """, arguments: visible ? [] : [actor!.name])
        let people = try Row.fetchAll(db, sql: "SELECT queue, user, isSupervisor FROM queueMember ORDER BY user")
        let counts = try Row.fetchAll(db, sql: "SELECT queue, state, tasks AS n FROM queueCount WHERE tasks > 0")
        return rows.map { row in
            let name: String = row["name"]
            var info = QueueInfo(name: name, title: row["title"], requiresReview: row["requiresReview"],
                                 members: [], supervisors: [], counts: [:])
            for person in people where person["queue"] == name {
                if person["isSupervisor"] { info.supervisors.append(person["user"]) } else { info.members.append(person["user"]) }
            }
            for count in counts where count["queue"] == name {
                if let state = TaskState(rawValue: count["state"]) { info.counts[state] = count["n"] }
            }
            return info
        }
    }

    /// How `actor` stands towards `queue`.
    public func access(of actor: Actor, to queue: String) throws -> QueueAccess {
        guard let requiresReview = try Bool.fetchOne(db.cachedStatement(sql: "SELECT requiresReview FROM queue WHERE name = ?"), arguments: [queue]) else {
            throw StoreError.unknownQueue(queue)
        }
        let relations = try Bool.fetchAll(db.cachedStatement(sql: "SELECT isSupervisor FROM queueMember WHERE queue = ? AND user = ?"),
                                          arguments: [queue, actor.name])
        return QueueAccess(queue: queue, requiresReview: requiresReview,
                           isMember: relations.contains(false), isSupervisor: relations.contains(true))
    }

    // MARK: - Helpers

    static func seesEverything(_ actor: Actor) -> Bool { actor.has(.admin) || actor.has(.service) }

    private func insertUser(name: String, displayName: String, roles: Set<Role>, at now: Date) throws {
        try db.execute(sql: "INSERT INTO user(name, displayName, roles, disabled, createdAt) VALUES (?, ?, ?, 0, ?)",
                       arguments: [name, displayName, Role.format(roles), now])
    }

    private func requireUser(_ name: String) throws {
        guard try user(named: name) != nil else { throw StoreError.unknownUser(name) }
    }

    func requireQueue(_ name: String) throws {
        guard try queueExists(name) else { throw StoreError.unknownQueue(name) }
    }

    private func queueExists(_ name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM queue WHERE name = ?", arguments: [name]) ?? false
    }

    static func user(from row: Row) throws -> UserInfo {
        let roles: String = row["roles"]
        return UserInfo(name: row["name"], displayName: row["displayName"],
                        roles: Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }),
                        isDisabled: row["disabled"], createdAt: row["createdAt"])
    }
}
