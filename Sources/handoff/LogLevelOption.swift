import ArgumentParser
import Logging

/// `--log-level`: how much the sync worker logs. At every level it logs ids, types, references and trace ids,
/// never payloads.
struct LogLevelOption: ParsableArguments {
    @Option(name: .customLong("log-level"),
            help: ArgumentHelp("How much the worker logs; at every level ids, types and trace ids, never payloads.", valueName: "level"))
    var level: Logger.Level = .info

    /// Sends every logger's output to standard error at ``level``: for the background jobs run in the foreground.
    func logToStandardError() {
        let level = level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
