import ArgumentParser
import Foundation
import HandoffApp

/// `handoff install`: installs this binary set-group-id with a private data directory (as root).
struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install handoff set-group-id, with a private data directory and a root-owned configuration (as root).",
        discussion: """
            Creates the system group (nobody is to be a member of it), copies this binary to PREFIX/bin/handoff \
            owned by root and set-group-id to the group, ships SampleData and Themes to PREFIX/share/handoff, makes \
            the data directory (group read-write, nothing for others), writes PREFIX/etc/handoff/handoff.conf \
            naming the database, and creates the database with --admin as its first admin. People then run \
            PREFIX/bin/handoff, which acts as the group on their behalf; the database file itself is out of their \
            reach. Safe to run again. Build the binary with 'swift build -c release --static-swift-stdlib' first \
            (scripts/install.sh does both).
            """)

    @Option(help: ArgumentHelp("Where to install: PREFIX/bin, PREFIX/etc/handoff, PREFIX/share/handoff.", valueName: "dir"))
    var prefix: String
    @Option(help: ArgumentHelp("The data directory (default PREFIX/var/lib/handoff).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("The system group the binary runs as.", valueName: "group"))
    var group = "handoff"
    @Option(help: ArgumentHelp("The operating-system user to make the new database's first admin.", valueName: "user"))
    var admin: String?

    func validate() throws {
        guard prefix.hasPrefix("/") else { throw ValidationError("--prefix must be an absolute path") }
        if let data, !data.hasPrefix("/") { throw ValidationError("--data must be an absolute path") }
        guard !group.isEmpty, group.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ValidationError("--group: '\(group)' is not a group name")
        }
    }

    func run() throws {
        let lines = try Installer(prefix: prefix, dataDirectory: data, group: group, admin: admin).run()
        for line in lines { print(line) }
    }
}
