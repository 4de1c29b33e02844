import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync

/// `handoff deadletter`: what the worker could not apply, and what to do about it.
struct DeadLetters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadletter", abstract: "List, show, replay or discard events the worker could not apply (admins).",
        subcommands: [DeadLetterList.self, DeadLetterShow.self, DeadLetterReplay.self, DeadLetterDiscard.self])
}

struct DeadLetterList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List open dead letters, newest first.")

    @OptionGroup var options: GlobalOptions
    @Flag(help: "Include replayed and discarded ones.") var all = false
    @Option(help: "Only this reason code, e.g. invalid_json.") var reason: String?
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeDeadLetterHandling(session.actor)
        let code = try reason.map { text in
            try DeadLetterReason(rawValue: text) ?? {
                throw ValidationError("--reason: '\(text)' is not a reason code (\(DeadLetterReason.allCases.map(\.rawValue).joined(separator: ", ")))")
            }()
        }
        let letters = try session.store.read { try $0.deadLetters(status: all ? nil : .open, reason: code) }
        switch format {
        case .json: print(try JSONOutput.render(letters.map(DeadLetterView.init)))
        case .table:
            let table = TextTable(headers: ["ID", "REASON", "TYPE", "EVENT", "FIRST SEEN", "TRIES", "STATUS", "DETAIL"], rows: letters.map {
                [String($0.id), $0.reason.rawValue, $0.type ?? "-", $0.eventID ?? "-", Timestamp.format($0.firstSeen), String($0.attempts),
                 $0.status.rawValue, $0.detail]
            })
            print(letters.isEmpty ? "no dead letters" : table.render())
        }
    }
}

struct DeadLetterShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one dead letter with its raw bytes (control characters escaped).")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The dead letter's id.") var id: Int64

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeDeadLetterHandling(session.actor)
        let letter = try session.store.read { try $0.deadLetter(id) }
        let safe = DisplayText.sanitize
        print("""
            dead letter \(letter.id) (\(letter.status.rawValue)\(letter.closedBy.map { " by \($0): \(safe(letter.closeNote ?? ""))" } ?? ""))
            reason:     \(letter.reason.rawValue) — \(safe(letter.detail))
            event:      \(safe(letter.type ?? "-")) \(safe(letter.eventID ?? "-")) from \(safe(letter.source ?? "-"))
            via:        \(safe(letter.transport))
            trace:      \(letter.traceID ?? "-")
            first seen: \(Timestamp.format(letter.firstSeen)), last seen \(Timestamp.format(letter.lastSeen)), \(letter.attempts) attempts
            raw (\(letter.raw.count) bytes):
            \(safe(String(decoding: letter.raw.prefix(16_384), as: UTF8.self)))
            """)
    }
}

struct DeadLetterReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Apply dead letters again with the current routes (after a fix); audited.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Dead letter ids.") var ids: [Int64] = []
    @Flag(name: .customLong("all-open"), help: "Every open dead letter.") var allOpen = false
    @Option(help: ArgumentHelp("The routes file.", valueName: "file")) var routes: String?
    @Option(name: .customLong("service-account"), help: ArgumentHelp("The service account the changes are attributed to.", valueName: "user"))
    var serviceAccount = "handoff-sync"

    func validate() throws {
        guard !ids.isEmpty || allOpen else { throw ValidationError("give dead letter ids, or --all-open") }
    }

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeDeadLetterHandling(session.actor)
        let file = try WorkerOptions.parse(routes.map { ["--routes", $0] } ?? []).routesFile()
        let replayer = DeadLetterReplayer(ingestor: try SyncSetup.replayIngestor(
            routesFile: file, store: session.store, serviceAccount: serviceAccount, requestedBy: session.actor))
        let targets = allOpen ? try session.store.read { try $0.deadLetters(status: .open, limit: 100_000).map(\.id).reversed() } : ids
        var failed = 0
        for id in targets {
            let result = try session.store.write { try replayer.replay(id, by: session.actor, in: $0, at: session.now) }
            print("dead letter \(id): \(DisplayText.sanitize(result.description))")
            if case .stillFailing = result { failed += 1 }
        }
        if failed > 0 { throw CommandFailure("\(failed) of \(targets.count) still fail; fix the routes or the producer, or discard them") }
    }
}

struct DeadLetterDiscard: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "discard", abstract: "Close dead letters without applying them, with a reason; audited.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Dead letter ids.") var ids: [Int64]
    @Option(help: "Why they are discarded.") var reason: String

    func run() throws {
        let session = try Session.open(options)
        try session.store.write { db in
            for id in ids { try db.closeDeadLetter(id, as: .discarded, note: reason, by: session.actor, at: session.now) }
        }
        print("discarded \(ids.count) dead letter\(ids.count == 1 ? "" : "s")")
    }
}

/// A dead letter for JSON output: raw bytes as text (escaped when shown), no payload parsing.
struct DeadLetterView: Encodable {
    let id: Int64
    let reason: String
    let detail: String
    let source: String?
    let event: String?
    let type: String?
    let transport: String
    let trace: String?
    let firstSeen: Date
    let lastSeen: Date
    let attempts: Int
    let status: String

    init(_ letter: DeadLetter) {
        id = letter.id
        reason = letter.reason.rawValue
        detail = letter.detail
        source = letter.source
        event = letter.eventID
        type = letter.type
        transport = letter.transport
        trace = letter.traceID
        firstSeen = letter.firstSeen
        lastSeen = letter.lastSeen
        attempts = letter.attempts
        status = letter.status.rawValue
    }
}
