import GRDB

/// What `handoff doctor` reads back from a connection and the database it is on.
extension StoreSession {
    /// The version of the SQLite library this process runs, e.g. `3.40.1` (from `sqlite3_libversion_number()`).
    public static var sqliteLibraryVersion: String {
        let number = Int(Database.sqliteLibVersionNumber)
        return "\(number / 1_000_000).\(number / 1_000 % 1_000).\(number % 1_000)"
    }

    /// The identifiers of the migrations this build of Handoff knows, oldest first.
    public static var knownMigrations: [String] { Schema.listing.migrations }

    /// The identifiers of the migrations applied to the database, even ones this build does not know.
    public func appliedMigrations() throws -> Set<String> {
        try Schema.listing.appliedIdentifiers(db)
    }

    /// This connection's journal mode, e.g. `wal`.
    public func journalMode() throws -> String {
        try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
    }

    /// This connection's `PRAGMA synchronous` level: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. It is a setting of the
    /// connection, not of the file: read it inside ``HandoffStore/write(_:)`` to see what commits use.
    public func synchronousLevel() throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
    }
}
