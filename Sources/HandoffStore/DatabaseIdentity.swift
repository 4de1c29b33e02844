import Foundation
import GRDB

/// Recognises a Handoff database without writing to it.
enum DatabaseIdentity {
    /// Opens `path` read-only and checks its application id. With `allowBlank`, an empty
    /// SQLite database (no tables yet) is accepted too, so `init` can finish an interrupted start.
    static func check(path: String, allowBlank: Bool) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.journalMode = .default
        config.busyMode = .timeout(TimeInterval(HandoffStore.busyTimeout.components.seconds))
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            let (applicationID, tables) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            if applicationID == Schema.applicationID { return }
            if allowBlank, applicationID == 0, tables == 0 { return }
            throw StoreError.notHandoff(path: path)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notADatabase(path: path)
        } catch {
            throw .notHandoff(path: path)
        }
    }
}
