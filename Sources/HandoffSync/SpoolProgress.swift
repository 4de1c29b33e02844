import Foundation
import HandoffCore

/// How far the worker got in one spool file, stored in the sync state under `spool:NAME#INODE`.
///
/// A file is known by its name and inode; since a deleted file's inode can be reused by a new file of the
/// same name, the progress also holds a fingerprint of the file's first bytes (those already consumed,
/// which never change): a file whose head differs is a new file and is read from its start.
struct SpoolProgress: Equatable {
    /// Bytes consumed (NDJSON) or elements consumed (a JSON batch); `nil` when the file is finished.
    var position: Int?
    /// How many leading bytes the fingerprint covers.
    var headLength: Int
    var headHash: UInt64

    /// The most leading bytes fingerprinted.
    static let headLimit = 256

    init(position: Int?, head: Data) {
        self.position = position
        headLength = head.count
        headHash = Fingerprint.fnv1a(head)
    }

    /// Reads a stored value, e.g. `1200 256 9f1c…` or `done 256 9f1c…`.
    init?(stored: String) {
        let parts = stored.split(separator: " ")
        guard parts.count == 3, let length = Int(parts[1]), let hash = UInt64(parts[2], radix: 16) else { return nil }
        if parts[0] == "done" {
            position = nil
        } else if let value = Int(parts[0]) {
            position = value
        } else {
            return nil
        }
        headLength = length
        headHash = hash
    }

    var stored: String { "\(position.map(String.init) ?? "done") \(headLength) \(String(headHash, radix: 16))" }

    /// Whether `file` (open for reading) still is the file this progress describes.
    func describes(_ file: FileHandle) -> Bool {
        guard (try? file.seek(toOffset: 0)) != nil, let head = try? file.read(upToCount: headLength) ?? Data() else { return false }
        return head.count == headLength && Fingerprint.fnv1a(head) == headHash
    }
}
