import ArgumentParser
import Foundation

/// Runs the command line with the documented exit codes:
/// 0 ok, 1 refused or failed (one line on stderr), 2 usage.
@main
enum EntryPoint {
    static func main() {
        do {
            if InstalledRules.isInstalled {
                // Installed set-group-id: whatever this process creates stays out of reach of others.
                umask(0o007)
            }
            var command = try Handoff.parseAsRoot()
            try InstalledRules.check(command)
            try command.run()
        } catch {
            let code = Handoff.exitCode(for: error)
            if code == .success {
                print(Handoff.fullMessage(for: error))
                exit(0)
            }
            let isUsage = code.rawValue == 64
            let message = isUsage ? Handoff.fullMessage(for: error) : oneLine(Handoff.message(for: error))
            FileHandle.standardError.write(Data(("handoff: " + message + "\n").utf8))
            exit(isUsage ? 2 : (code.rawValue == 0 ? 1 : code.rawValue))
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}
