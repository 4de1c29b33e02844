import Foundation
import GRDB

/// The single-writer commit rate of a disk, the baseline the contention benchmark is measured against.
///
/// One connection commits tiny transactions, one-row `INSERT`s into a scratch table, one after another,
/// to a scratch SQLite file opened with the store's own settings (WAL, `synchronous = FULL`) and in the
/// store's way (`BEGIN IMMEDIATE` … `COMMIT`): every commit waits for the disk, as a task change does.
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
