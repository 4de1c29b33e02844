import Foundation
import HandoffCore
import HandoffStore

/// Where the SLA policies live: in the database itself (metadata `sla.policies`, the policies file's text),
/// so every session and the worker on one database measure against the same rules. An admin sets them
/// with `handoff sla set FILE`.
public enum SLASettings {
    static let textKey = "sla.policies"
    static let fileKey = "sla.policies.file"

    /// The policies stored in the database (none when none were set).
    public static func policies(in store: HandoffStore) throws -> SLAPolicies {
        let (text, file) = try store.read { (try $0.meta(textKey), try $0.meta(fileKey)) }
        guard let text else { return .none }
        return try SLAPoliciesLoader.parse(text, file: "\(store.path) (sla.policies, from \(file ?? "a file"))")
    }

    /// Checks the policies file at `file` against the database's queues and stores it, audited as `actor`'s change.
    @discardableResult
    public static func set(file: String, in store: HandoffStore, by actor: Actor, at now: Date) throws -> SLAPolicies {
        guard let data = try? UserFile.read(file), let text = String(data: data, encoding: .utf8) else {
            throw SLAPoliciesError.invalid(file: file, line: nil, problem: "cannot read it as UTF-8 text")
        }
        let queues = Set(try store.read { try $0.queues() }.map(\.name))
        let policies = try SLAPoliciesLoader.parse(text, file: file, knownQueues: queues)
        try store.write { session in
            try Self.store(text, file: (file as NSString).lastPathComponent,
                           detail: ["queues": policies.policies.keys.sorted().joined(separator: ",")], in: session, by: actor, at: now)
        }
        return policies
    }

    /// Stores `text`, a policies file named `file` that was already checked, in `session`'s transaction,
    /// audited as `actor`'s change with `detail` besides the file's name.
    public static func store(_ text: String, file: String, detail: [String: String] = [:], in session: StoreSession,
                             by actor: Actor, at now: Date) throws {
        try session.setConfiguration([textKey: text, fileKey: file], change: "sla.set",
                                     detail: detail.merging(["file": file]) { _, name in name }, by: actor, at: now)
    }

    /// The store measuring task changes against the policies it holds. Stored policies that no longer
    /// read (e.g. a time zone this host lacks) are reported on stderr and left out, so an admin can
    /// still reach the database to set new ones.
    public static func measuring(_ store: HandoffStore) throws -> HandoffStore {
        do {
            return store.measuring(try policies(in: store))
        } catch let error as SLAPoliciesError {
            FileHandle.standardError.write(Data("handoff: SLA policies left out: \(error) — set them again with 'handoff sla set FILE'\n".utf8))
            return store
        }
    }
}
