import GRDB

/// Tells whether anyone — another terminal, the sync worker, this process — has committed
/// since the last look, without re-reading any data.
///
/// Watches SQLite's `PRAGMA data_version` on one dedicated connection: GRDB's observation
/// does not see commits made by other processes.
public final class ChangeWatcher: @unchecked Sendable {
    private let connection: DatabaseQueue
    private var lastVersion: Int?

    /// Opens a dedicated read-only connection to `store`'s file and notes its current version,
    /// so every commit from now on is seen.
    public init(store: HandoffStore) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        do {
            connection = try DatabaseQueue(path: store.path, configuration: config)
        } catch {
            throw StoreError.wrap(error)
        }
        _ = try hasChanged()
    }

    /// Whether the database changed since the previous call (or since the watcher was made).
    /// Call it from one thread at a time.
    public func hasChanged() throws(StoreError) -> Bool {
        let version: Int
        do {
            version = try connection.inDatabase { try Int.fetchOne($0, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            throw StoreError.wrap(error)
        }
        defer { lastVersion = version }
        return lastVersion.map { $0 != version } ?? false
    }
}
