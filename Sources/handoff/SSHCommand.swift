import ArgumentParser
import Foundation
import HandoffApp
#if canImport(Glibc)
import Glibc
#endif

/// `handoff ssh-command`: sshd's `ForceCommand` for logins confined to Handoff (docs/SSH.md).
struct SSHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh-command",
        abstract: "The forced command for SSH logins that may only use Handoff (sshd's ForceCommand; see docs/SSH.md).",
        discussion: """
            Without a command from the client ($SSH_ORIGINAL_COMMAND unset or blank), opens the console. \
            Otherwise splits $SSH_ORIGINAL_COMMAND into words (quotes and backslashes as in a shell, but no shell \
            runs) and runs it if it is an allowed handoff command: the console, the task actions and read-only \
            commands, without --db or --as. Anything else is refused with exit 1 and a list of what is allowed.
            """)

    func run() throws {
        let invoked = CommandLine.arguments[0]
        let binary = Locations.runningBinary
        let gate = SSHCommandGate(programNames: ["handoff", invoked, binary])
        let arguments = try gate.arguments(for: ProcessInfo.processInfo.environment["SSH_ORIGINAL_COMMAND"])
        // Become `handoff ARGUMENTS` with the same environment (SSH_CONNECTION stays, so the audit records the client).
        let argv = ([invoked] + arguments).map { strdup($0) } + [nil]
        execv("/proc/self/exe", argv)
        throw CommandFailure("cannot run \(binary) again: \(String(cString: strerror(errno)))")
    }
}
