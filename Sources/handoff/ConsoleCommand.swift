import ArgumentParser
import Foundation
import HandoffApp
import HandoffCore
import HandoffStore
import HandoffSync
import HandoffTUI

/// `handoff` (no subcommand): the console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open the console (the default when no subcommand is given).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var console: ConsoleOptionsGroup

    func run() throws {
        try console.open(try Session.open(options))
    }
}

/// The console's options, shared by `handoff` and `handoff demo`.
struct ConsoleOptionsGroup: ParsableArguments {
    @Flag(help: "A wall screen: show work, offer no action.") var readonly = false
    @Option(help: "Colour theme: default, light, high-contrast, monochrome, colorblind, or your own.") var theme = "default"
    @Option(name: .customLong("idle-timeout"),
            help: ArgumentHelp("How long without a key press before the console clears and exits, e.g. 15m, 1h, 90s.", valueName: "duration"))
    var idleTimeout = "15m"
    @Flag(help: "Draw charts with ASCII characters only (the default where the locale is not UTF-8).") var ascii = false
    @Flag(name: .customLong("arrow-cursor"),
          help: "Mark the selected task with ▸ instead of highlighting its row: far fewer bytes per move on a slow link.")
    var arrowCursor = false

    /// The idle timeout in seconds.
    var idleSeconds: Int { Int(DurationText.seconds(idleTimeout) ?? 0) }

    func validate() throws {
        guard idleSeconds > 0 else { throw ValidationError("--idle-timeout: '\(idleTimeout)' is not a positive duration like 15m, 1h or 90s") }
    }

    /// Runs the console for `session` until it ends, and says why it ended; `sync` runs beside it
    /// (the demo's worker and feed) and is stopped when the console ends.
    func open(_ session: Session, sync: BackgroundSync? = nil) throws {
        let glyphs = ascii ? Chart.Glyphs.ascii : OutputGlyphs.current()
        let terminal = try Terminal.open()
        var notices: [String] = []
        let loader = ThemeLoader(directories: ThemeLoader.standardDirectories())
        let colorsAllowed = ThemeLoader.colorsAllowed()
        let chosen: Theme
        do {
            chosen = try loader.load(named: theme)
        } catch {
            notices.append(error.description)
            chosen = .builtInDefault
        }
        terminal.apply(chosen, colorsAllowed: colorsAllowed)
        let bindings: KeyBindings
        switch KeyBindingsFile.load(from: KeyBindingsFile.path()) {
        case let .success(loaded): bindings = loaded
        case let .failure(error):
            notices.append(error.description)
            bindings = .defaults
        }
        let data = StoreConsoleData(store: session.store, actor: session.actor, replayer: Self.replayer(for: session))
        let console = Console(data: data, options: ConsoleOptions(readOnly: readonly, idleTimeout: .seconds(idleSeconds), glyphs: glyphs,
                                                                           arrowCursor: arrowCursor),
                              bindings: bindings)
        if let notice = notices.first { console.notify(notice, isError: true) }
        let watcher = try ChangeWatcher(store: session.store)
        sync?.start()
        defer { sync?.stop() }
        let ending = ConsoleSession.run(console, on: terminal, changed: { (try? watcher.hasChanged()) ?? false },
                                        theme: { name in Result { try loader.load(named: name) } },
                                        colorsAllowed: colorsAllowed)
        terminal.close()
        switch ending {
        case .quit, .signal, .terminalGone: break
        case .idle: print("Handoff closed the console after \(idleTimeout) without a key press.")
        }
    }

    /// Dead-letter replays from the console use the routes the worker uses and the sync service account.
    static func replayer(for session: Session) -> DeadLetterReplayer? {
        guard session.actor.has(.admin), let file = Locations.current.routesFile(),
              let ingestor = try? SyncSetup.replayIngestor(routesFile: file, store: session.store, serviceAccount: "handoff-sync",
                                                          requestedBy: session.actor)
        else { return nil }
        return DeadLetterReplayer(ingestor: ingestor)
    }
}
