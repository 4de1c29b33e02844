import ArgumentParser
import Logging

/// `--log-level`: how much the sync worker logs. At every level it logs ids, types, references and trace ids,
/// never payloads.
struct LogLevelOption: ParsableArguments {
    @Option(name: .customLong("log-level"),
            help: ArgumentHelp("How much the worker logs; at every level ids, types and trace ids, never payloads.", valueName: "level"))
    var level: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
