import Foundation
import HandoffTestSupport

/// Checks `condition` every 10 ms until it holds (true) or `timeout` passes (false). Fails at once if
/// `process` ends meanwhile, naming `what` was awaited.
func poll(_ what: String, timeout: TimeInterval, while process: SpawnedProcess?, until condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if let process, let ended = process.exited() {
            throw UnexpectedResult(description: "the process ended (\(ended)) while waiting for \(what)\n\(process.output)\(process.errorOutput)")
        }
        if Date() >= deadline { return false }
        usleep(10_000)
    }
}
