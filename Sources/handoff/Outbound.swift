import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync

/// `handoff outbound`: the events Handoff sends back to the integration layer.
struct Outbound: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver the outbound events of task changes to the integration layer, or show and steer that delivery.",
        discussion: """
            Every task change writes one CloudEvents 1.0 event (task.created, task.assigned, task.completed, …) to the \
            database's outbox in the change's own transaction. The publisher delivers them, in order, as *.ndjson files \
            in the outbound spool, each written under a temporary name and moved to its own when complete. Delivery is at least \
            once: after a crash some events may be delivered again, with the same ids.
            """,
        subcommands: [OutboundPublish.self, OutboundStatus.self, OutboundReplay.self, OutboundSource.self, OutboundEmit.self])
}

/// `handoff outbound publish`: the publisher in the foreground.
struct OutboundPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Deliver outbound events to the outbound spool, as they are written.",
        discussion: """
            Only a user with the service role may run the publisher (in production, the account a systemd unit runs \
            it as). One publisher per database works at a time. SIGTERM or SIGINT finish the current file and stop. \
            Logs go to stderr: file names, counts and sequence numbers, never payloads.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var logging: LogLevelOption
    @Option(name: .customLong("to"), help: ArgumentHelp("The outbound spool ($HANDOFF_OUTBOUND, else ~/.local/share/handoff/outbound).", valueName: "dir"))
    var directory: String?
    @Flag(help: "Deliver what is waiting now, then exit.") var once = false
    @Flag(help: "If another publisher runs on this database, wait for it to end instead of exiting.") var wait = false
    @Option(help: ArgumentHelp("How often to look for new events when idle, e.g. 1s.", valueName: "duration")) var poll = "1s"
    @Option(help: ArgumentHelp("The most events in one file.", valueName: "n")) var batch = 1_000
    @Option(help: ArgumentHelp("How long a smaller batch may wait for more events, so a trickle makes fewer files, e.g. 1s; 0s sends at once.",
                               valueName: "duration"))
    var linger = "1s"
    @Option(help: ArgumentHelp("How long after their change delivered events stay in the database for 'outbound replay', e.g. 7d; 'forever' keeps them.", valueName: "duration"))
    var keep = "7d"

    func validate() throws {
        guard let seconds = DurationText.seconds(poll), seconds > 0 else { throw ValidationError("--poll: '\(poll)' is not a positive duration like 1s or 5s") }
        guard (1...100_000).contains(batch) else { throw ValidationError("--batch: \(batch) is not between 1 and 100000") }
        guard DurationText.seconds(linger).map({ $0 >= 0 }) == true else {
            throw ValidationError("--linger: '\(linger)' is not a duration like 1s or 0s")
        }
        guard keep == "forever" || DurationText.seconds(keep).map({ $0 > 0 }) == true else {
            throw ValidationError("--keep: '\(keep)' is neither a positive duration like 7d nor 'forever'")
        }
    }

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeWorker(session.actor, job: "the outbound publisher")
        // Installed, the outbound spool is the configuration's: never a directory a person names, where
        // files would be created with the group's rights.
        try InstalledRules.refuseInstalled("--to", directory)
        let lock = try WorkerLock(database: session.store.path, job: .outbound, wait: wait)
        defer { lock.release() }
        logging.logToStandardError()
        let publisher = try OutboundPublisher(store: session.store, directory: directory ?? Locations.current.defaultOutbound,
                                              batchSize: batch, retention: keep == "forever" ? nil : DurationText.seconds(keep),
                                              linger: DurationText.seconds(linger) ?? 1)
        try publisher.prepare()
        if once {
            let delivered = try publisher.drain()
            try publisher.prune()
            try publisher.heartbeat(status: "stopped after --once")
            print("delivered \(delivered) outbound event\(delivered == 1 ? "" : "s") to \(publisher.spool.directory)")
            return
        }
        let stop = StopSignal()
        SyncLoop(job: publisher, poll: DurationText.seconds(poll) ?? 1)
            .run(stopRequested: { stop.requested }, wait: { stop.wait(seconds: $0) })
    }
}

/// `handoff outbound status`.
struct OutboundStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the outbound backlog, the last file delivered and the publisher's liveness.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeOutbound(session.actor)
        let report = try session.store.read { try OutboundStatusReport.read($0, now: session.now) }
        switch format {
        case .table: print(report.lines(now: session.now).joined(separator: "\n"))
        case .json: print(try JSONOutput.render(report))
        }
    }
}

/// `handoff outbound replay --since TIME`.
struct OutboundReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Deliver the events of changes since a time again, with their original ids (for a consumer that lost files).")

    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Changes since this time: RFC 3339, or a duration back from now (2h, 3d).", valueName: "time"))
    var since: String

    func validate() throws {
        guard AuditCommand.Log.time(since, now: Date()) != nil else {
            throw ValidationError("--since: '\(since)' is neither an RFC 3339 time nor a duration like 2h")
        }
    }

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeOutbound(session.actor)
        let start = AuditCommand.Log.time(since, now: session.now) ?? session.now
        let count = try session.store.write { db -> Int in
            let count = try db.rewindOutbound(to: start, at: session.now)
            try db.setConfiguration([:], change: "outbound.replay", detail: ["since": Timestamp.format(start), "events": String(count)],
                                   by: session.actor, at: session.now)
            return count
        }
        print(count == 0 ? "no delivered events since \(Timestamp.format(start)); nothing to deliver again"
              : "\(count) event\(count == 1 ? "" : "s") since \(Timestamp.format(start)) will be delivered again by the publisher, with their original ids")
    }
}

/// `handoff outbound source [URI]`.
struct OutboundSource: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Show or set the CloudEvents source naming this Handoff instance in its outbound events.",
        discussion: "Set it once, before consumers see events: (source, id) is what they deduplicate on.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("The new source, a URI such as urn:hospital:handoff:north.", valueName: "uri")) var uri: String?

    func validate() throws {
        if let uri {
            guard !uri.isEmpty, uri.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }), URL(string: uri) != nil else {
                throw ValidationError("'\(DisplayText.sanitize(uri))' is not a URI (printable ASCII, no spaces), e.g. urn:hospital:handoff:north")
            }
        }
    }

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeOutbound(session.actor)
        guard let uri else {
            print(DisplayText.sanitize(try session.store.read { try $0.outboundSource() }))
            return
        }
        try session.store.write { db in
            try db.setConfiguration(["outbound.source": uri], change: "outbound.source", detail: ["source": uri], by: session.actor, at: session.now)
        }
        print("outbound events now name their source \(uri)")
    }
}

/// `handoff outbound emit [on|off]`.
struct OutboundEmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Show whether task changes emit outbound events, or turn that on or off (admins, audited).",
        discussion: """
            On by default. Turn it off where no consumer reads the outbound spool, so the outbox does not grow: \
            changes made while it is off never send events, even after it is turned on again.
            """)

    enum Setting: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("on or off.", valueName: "setting")) var setting: Setting?

    func run() throws {
        let session = try Session.open(options)
        try Integration.authorizeOutbound(session.actor)
        guard let setting else {
            print(try session.store.read { try $0.outboundSettings() }.emitting ? "on" : "off")
            return
        }
        try session.store.write { db in
            try db.setConfiguration(["outbound.emit": setting.rawValue], change: "outbound.emit", detail: ["emit": setting.rawValue],
                                    by: session.actor, at: session.now)
        }
        print(setting == .on ? "task changes now emit outbound events" : "task changes no longer emit outbound events")
    }
}
