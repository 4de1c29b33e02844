import Foundation
import HandoffTestSupport
import Testing

/// `handoff demo`: created once from SampleData, shared by later runs, recreated on --reset.
@Suite(.serialized)
struct DemoTests {
    let state = TemporaryDirectory("handoff-demo")
    var environment: [String: String] { ["XDG_STATE_HOME": state.path, "HOME": state.path] }
    var demo: String { state.file("handoff/demo.db") }

    @Test func createsTheDemoOnceAndShowsItAsAnySampleUser() throws {
        let first = try expectSuccess(CommandRun.handoff(["demo", "--print"], environment: environment))
        #expect(first.stdout.contains("Created the demo at \(demo)"))
        #expect(first.stdout.contains("lab-results"))
        #expect(first.stdout.contains("(admin)"))
        #expect(FileManager.default.fileExists(atPath: demo))

        let again = try expectSuccess(CommandRun.handoff(["demo", "--print", "--as", "nina"], environment: environment))
        #expect(!again.stdout.contains("Created the demo"))
        #expect(again.stdout.contains("you are nina (nurse)"))
        #expect(again.stdout.contains("Your work"))
        #expect(!again.stdout.contains("prior-auth"), "nina does not belong to prior-auth")

        // A change made in one session is there for the next: the demo is one shared file.
        try expectSuccess(CommandRun.handoff(["task", "note", "T-1", "Checked with the lab", "--db", demo, "--as", "ada"], environment: environment))
        let shown = try expectSuccess(CommandRun.handoff(["task", "show", "T-1", "--db", demo, "--as", "ada"], environment: environment))
        #expect(shown.stdout.contains("Checked with the lab"))
        #expect(shown.stdout.contains("Ada Lindqvist (ada)"))
    }

    @Test func resetRecreatesItAndUnknownSampleUsersAreRefused() throws {
        try expectSuccess(CommandRun.handoff(["demo", "--print"], environment: environment))
        try expectSuccess(CommandRun.handoff(["task", "note", "T-1", "Before reset", "--db", demo, "--as", "ada"], environment: environment))
        let reset = try expectSuccess(CommandRun.handoff(["demo", "--print", "--reset"], environment: environment))
        #expect(reset.stdout.contains("Created the demo"))
        let shown = try expectSuccess(CommandRun.handoff(["task", "show", "T-1", "--db", demo, "--as", "ada"], environment: environment))
        #expect(!shown.stdout.contains("Before reset"))

        let unknown = try CommandRun.handoff(["demo", "--print", "--as", "nobody"], environment: environment)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown user 'nobody'"))
    }

    @Test func withoutATerminalTheConsolePointsToTheSubcommands() throws {
        for environment in [environment, environment.merging(["TERM": "dumb"]) { $1 }] {
            let result = try CommandRun.handoff(["demo"], environment: environment)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("handoff: the console"), "\(result)")
            #expect(result.stderr.contains("handoff --help"))
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func escapeSequencesInStoredTextArePrintedAsPlainText() throws {
        try expectSuccess(CommandRun.handoff(["demo", "--print"], environment: environment))
        try expectSuccess(CommandRun.handoff(["task", "create", "--queue", "lab-results", "--title", "Evil \u{1B}]0;pwned\u{07}\u{1B}[2J title",
                                              "--db", demo, "--as", "ada"], environment: environment))
        let list = try expectSuccess(CommandRun.handoff(["task", "list", "--queue", "lab-results", "--db", demo, "--as", "ada"], environment: environment))
        #expect(!list.stdout.contains("\u{1B}"))
        #expect(list.stdout.contains("Evil \\x1b]0;pwned\\x07\\x1b[2J title"))
    }
}
