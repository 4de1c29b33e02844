import Foundation
import HandoffApp
import HandoffCore
import HandoffStore

/// An opened database and the person acting on it: the wiring every command shares.
struct Session {
    let store: HandoffStore
    let actor: Actor

    /// Opens the database and identifies the acting user from the operating system.
    static func open(_ options: GlobalOptions) throws -> Session {
        try open(path: options.databasePath(), actAs: options.actAs)
    }

    static func open(path: String, actAs: String?) throws -> Session {
        try InstalledRules.checkActingAs(actAs)
        let store = try SLASettings.measuring(HandoffStore.open(at: path))
        let origin = SystemIdentity.origin()
        let me = try SystemIdentity.currentUserName()
        let actor = try store.read { session -> Actor in
            let invoking = try session.actor(named: me, origin: origin)
            guard let other = actAs, other != me else { return invoking }
            guard try session.isDemo() else {
                throw CommandFailure("--as works only on a demo database (handoff demo); here you act as yourself (\(me))")
            }
            return try session.actor(named: other, origin: origin)
        }
        return Session(store: store, actor: actor)
    }

    /// The current wall-clock time: the one place the command line reads the clock.
    var now: Date { Date() }

    /// Applies directory changes as the acting user, in one audited transaction.
    func apply(_ changes: DirectoryChange...) throws {
        try store.write { db in
            for change in changes { try db.apply(change, by: actor, at: now) }
        }
    }
}
