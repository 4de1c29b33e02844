import Foundation
import HandoffCore
import HandoffStore
#if canImport(Glibc)
import Glibc
#endif

/// `handoff backup FILE`: the copy is made and checked beside the database, then written into `FILE`,
/// created new with the rights of the person who asked (so it is theirs, and it can never be a file only
/// the installed group may write, such as the database itself).
public enum BackupDelivery {
    /// Backs `store` up into the new file `destination` as `actor`.
    public static func take(of store: HandoffStore, to destination: String, by actor: Actor, at now: Date) throws -> HandoffStore.BackupSummary {
        // Fail before copying anything when the file cannot be created.
        let output = try UserFile.create(destination)
        var delivered = false
        defer {
            if !delivered { _ = try? Privilege.asInvokingUser { unlink(destination) } }
        }
        let directory = (store.path as NSString).deletingLastPathComponent
        let staging = (directory.isEmpty ? "." : directory) + "/.backup-\(getpid())-\(UUID().uuidString.prefix(8)).db"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(staging + suffix) } }
        let summary = try store.backup(to: staging, recordedAs: destination, by: actor, at: now) { checked in
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: checked))
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
            try output.close()
        }
        delivered = true
        return summary
    }
}
