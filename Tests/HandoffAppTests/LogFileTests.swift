import Foundation
import HandoffApp
import HandoffTestSupport
import Logging
import Testing

/// The demo worker's log file: its owner's only, the chosen level and above, no control characters.
struct LogFileTests {
    @Test func aNewFileIsCreatedForItsOwnerOnlyAndHoldsTheChosenLevelAndAbove() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("worker.log")
        let logger = try LogFile(path: path).logger(label: "handoff.test", level: .debug)
        logger.trace("too fine")
        logger.debug("batch", metadata: ["event": "evt-1", "trace": "0af7651916cd43dd8448eb211c80319c"])
        logger.notice("dead\u{1B}]0;pwned\u{07}")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines[0].hasSuffix("debug handoff.test: batch event=evt-1 trace=0af7651916cd43dd8448eb211c80319c"))
        #expect(lines[1].hasSuffix("notice handoff.test: dead\\x1b]0;pwned\\x07"), "control characters are written escaped")
    }

    @Test func aFileOthersMayReadIsRefusedAndLeftAlone() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("shared.log")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("kept\n".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(throws: LogFileError.readableByOthers(path: path, mode: "644")) { try LogFile(path: path) }
        #expect(throws: LogFileError.notAFile(path: "/dev/null")) { try LogFile(path: "/dev/null") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept\n")
    }
}
