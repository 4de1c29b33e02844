import Foundation
import GRDB
import HandoffCore
#if canImport(Glibc)
import Glibc
#endif

/// The Handoff database: one SQLite file shared by many terminal sessions and a worker.
///
/// Every use case is one method and one `BEGIN IMMEDIATE` transaction. All SQL stays in this module.
public struct HandoffStore: Sendable {
    /// How long a connection waits for another process's write lock before giving up.
    public static let busyTimeout: Duration = .seconds(10)

    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// The key that seals the audit chain, from the key file beside the database.
    let auditKey: AuditKey
    /// The SLA policies every task change is measured against (none until the application sets them).
    public private(set) var slaPolicies: SLAPolicies = .none

    /// The same store, measuring task changes against `policies`.
    public func measuring(_ policies: SLAPolicies) -> HandoffStore {
        var store = self
        store.slaPolicies = policies
        return store
    }

    /// Opens an existing Handoff database, refusing anything else and leaving it untouched.
    public static func open(at path: String, observer: StoreObserver = .init()) throws(StoreError) -> HandoffStore {
        try open(at: path, create: false, auditKeyPath: AuditKey.path(forDatabase: path), observer: observer)
    }

    /// Opens the database at `path`, creating it (mode 0660) when it does not exist yet. Its audit key is
    /// the file at `auditKeyPath` (by default beside it, see ``AuditKey/path(forDatabase:)``), created
    /// with a new chain: a database built elsewhere and moved into place names its final key file here.
    public static func openOrCreate(at path: String, auditKeyPath: String? = nil, observer: StoreObserver = .init()) throws(StoreError) -> HandoffStore {
        try open(at: path, create: true, auditKeyPath: auditKeyPath ?? AuditKey.path(forDatabase: path), observer: observer)
    }

    private static func open(at path: String, create: Bool, auditKeyPath: String, observer: StoreObserver) throws(StoreError) -> HandoffStore {
        let directory = (path as NSString).deletingLastPathComponent
        guard create || FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        if create {
            try? FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        }
        let lock = try FileLock(directory: directory.isEmpty ? "." : directory)
        defer { withExtendedLifetime(lock) {} }

        var info = stat()
        if stat(path, &info) != 0 {
            guard create else { throw .missing(path: path) }
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
            guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            fchmod(fd, 0o660)
            Glibc.close(fd)
        } else if (info.st_mode & S_IFMT) != S_IFREG {
            throw .notADatabase(path: path)
        } else if info.st_size > 0 {
            try DatabaseIdentity.check(path: path, allowBlank: create)
        } else if !create {
            throw .notHandoff(path: path)
        }

        do {
            let pool = try connect(to: path, observer: observer)
            if try pool.read({ try Schema.listing.hasBeenSuperseded($0) }) { throw StoreError.newerSchema(path: path) }
            let auditKey = try auditKey(at: auditKeyPath, pool: pool)
            try Schema.migrator(sealingWith: auditKey).migrate(pool)
            return HandoffStore(path: path, pool: pool, auditKey: auditKey)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(String(describing: error))
        }
    }

    /// The database's audit key: read from its key file, or created with a new chain. A chain that
    /// exists without its key file is an error: records sealed with a lost key can no longer be verified,
    /// and a new key would hide that.
    private static func auditKey(at keyPath: String, pool: DatabasePool) throws -> AuditKey {
        if let key = try AuditKey.read(at: keyPath) { return key }
        let sealed = try pool.read { db in
            try db.tableExists("audit") && String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY seq LIMIT 1") != nil
        }
        if sealed { throw StoreError.auditKeyMissing(path: keyPath) }
        return try AuditKey.create(at: keyPath)
    }

    /// Connects to the SQLite file at `path` with the store's settings: WAL, `synchronous = FULL`, the short
    /// busy handler (``configuration(observer:)``).
    static func connect(to path: String, observer: StoreObserver) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration(observer: observer))
        try pool.writeWithoutTransaction { db in
            // GRDB sets NORMAL while enabling WAL; every commit must reach the disk.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return pool
    }

    static func configuration(observer: StoreObserver) -> Configuration {
        var config = Configuration()
        config.journalMode = .wal
        config.foreignKeysEnabled = true
        // SQLite's own busy handler sleeps in steps of up to 100 ms; short waits keep latency low.
        let limit = Int(busyTimeout.components.seconds) * 1_000_000
        config.busyMode = .callback { tries in
            observer.busy?(tries)
            let pause = tries < 20 ? 500 : 2_000
            let waited = min(tries, 20) * 500 + max(tries - 20, 0) * 2_000
            guard waited < limit else { return false }
            usleep(UInt32(pause))
            return true
        }
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 0")
        }
        return config
    }

    /// Closes every connection; the store must not be used afterwards.
    public func close() throws(StoreError) {
        do {
            // Fold the write-ahead log into the main file, so the file alone is the whole database.
            _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw StoreError.wrap(error)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all of it commits, or none.
    @discardableResult
    public func write<T>(_ body: (StoreSession) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(StoreSession(db: db, policies: slaPolicies, auditKey: auditKey))
                    return .commit
                }
                return result!
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Runs `body` in a short read transaction, never held across user input.
    public func read<T>(_ body: (StoreSession) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read { db in try body(StoreSession(db: db, policies: slaPolicies, auditKey: auditKey)) }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}

extension StoreError {
    static func wrap(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as TransitionError: .transition(error)
        case let error as DirectoryError: .directory(error)
        case let error as DatabaseError: .sqlite(error.message ?? error.description)
        default: .sqlite(String(describing: error))
        }
    }
}
