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
        let directory = (store.path as NSString).deletingLastPathComponent.isEmpty ? "." : (store.path as NSString).deletingLastPathComponent
        removeAbandonedStaging(in: directory)
        let staging = directory + "/\(stagingPrefix)\(getpid())-\(UUID().uuidString.prefix(8)).db"
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

    /// The start of a staging copy's name; the backing-up process's id follows.
    static let stagingPrefix = ".backup-"

    /// Removes the staging copies (and their journals) of backups whose process is gone — killed before
    /// its clean-up ran. Each is a whole copy of the database, kept by nobody.
    static func removeAbandonedStaging(in directory: String) {
        // Exactly the names `take` gives: `.backup-PID-XXXXXXXX.db`, and its journals.
        let staging = /^\.backup-(\d+)-[0-9A-F]{8}\.db(-wal|-shm|-journal)?$/
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let match = name.wholeMatch(of: staging), let pid = pid_t(match.1), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory + "/" + name)
        }
    }
}
