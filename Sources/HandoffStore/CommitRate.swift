import Foundation
import GRDB

/// The single-writer commit rate of a disk, the baseline the contention benchmark is measured against.
///
/// One connection commits tiny transactions, one-row `INSERT`s into a scratch table, one after another,
/// to a scratch SQLite file opened with the store's own settings (WAL, `synchronous = FULL`) and in the
/// store's way (`BEGIN IMMEDIATE` … `COMMIT`): every commit waits for the disk, as a task change does.
///
/// The commits are timed in the write-ahead log's steady state, as on a database in use: a log that is
/// still growing costs far more per commit (on ext4 each `fsync` that changes the file's size also
/// commits the file system's journal; on this machine that halved the rate over the first thousand
/// commits of a new file). So one untimed transaction first fills the log past its automatic
/// checkpoint; the checkpoint at its commit lets the timed commits reuse the log from its start.
public enum CommitRate {
    /// Creates the scratch file `path`, commits `commits` one-row transactions to it and returns how long
    /// the commits took. The file is removed afterwards with its `-wal` and `-shm` files; one that already
    /// exists is refused, never overwritten.
    public static func measure(scratch path: String, commits: Int) throws(StoreError) -> Duration {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path) else { throw .cannotCreate(path: path, reason: "the file already exists") }
        defer { ["", "-wal", "-shm"].forEach { try? manager.removeItem(atPath: path + $0) } }
        do {
            let pool = try HandoffStore.connect(to: path, observer: .init())
            try pool.write { try $0.execute(sql: "CREATE TABLE probe(id INTEGER PRIMARY KEY, value TEXT NOT NULL)") }
            try pool.write { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1_000
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4_096
                try db.execute(sql: "CREATE TABLE ballast(data BLOB NOT NULL)")
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO ballast(data) SELECT zeroblob(?) FROM n
                    """, arguments: [pages + 1, pageSize])
            }
            let elapsed = try ContinuousClock().measure {
                for number in 0..<commits {
                    try pool.writeWithoutTransaction { db in
                        try db.inTransaction(.immediate) {
                            try db.cachedStatement(sql: "INSERT INTO probe(value) VALUES (?)").execute(arguments: ["commit \(number)"])
                            return .commit
                        }
                    }
                }
            }
            try pool.close()
            return elapsed
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
