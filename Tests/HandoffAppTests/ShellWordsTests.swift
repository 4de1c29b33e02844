import HandoffApp
import Testing

/// Splitting `SSH_ORIGINAL_COMMAND` into words as a shell would, and refusing what a shell would do more.
struct ShellWordsTests {
    @Test(arguments: [
        ("", []),
        ("   \t ", []),
        ("handoff", ["handoff"]),
        ("  handoff   task\tlist  ", ["handoff", "task", "list"]),
        ("handoff task note T-1 'called the clinic'", ["handoff", "task", "note", "T-1", "called the clinic"]),
        (#"handoff task note T-1 "called the clinic""#, ["handoff", "task", "note", "T-1", "called the clinic"]),
        (#"handoff task note T-1 called\ the\ clinic"#, ["handoff", "task", "note", "T-1", "called the clinic"]),
        (#"a'b c'"d e"f"#, ["ab cd ef"]),
        ("''", [""]),
        (#"a "" b"#, ["a", "", "b"]),
        (#"'it''s'"#, ["its"]),
        (#"'say "hi"'"#, [#"say "hi""#]),
        (#""it's""#, ["it's"]),
        (#""a \"b\" \\ \$ \` \x""#, [#"a "b" \ $ ` \x"#]),
        (#"'a \ b'"#, [#"a \ b"#]),
        ("'; | & $ ` > < ( ) * ? [ # ~'", ["; | & $ ` > < ( ) * ? [ # ~"]),
        (##"\;\|\&\$\`\>\<\(\)\*\?\[\#\~"##, [##";|&$`><()*?[#~"##]),
        ("a\\\nb", ["ab"]),
        ("'line one\nline two'", ["line one\nline two"]),
        ("\"line one\\\nline two\"", ["line oneline two"]),
        ("key=value a#b a~b", ["key=value", "a#b", "a~b"]),
        ("Nuñez 佐藤", ["Nuñez", "佐藤"]),
    ] as [(String, [String])])
    func splitsLikeAShell(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: [
        ("handoff task list; id", ShellWordsError.unquoted(";")),
        ("handoff task list|sh", .unquoted("|")),
        ("handoff task list && id", .unquoted("&")),
        ("handoff task list &", .unquoted("&")),
        ("handoff task list > /tmp/x", .unquoted(">")),
        ("handoff task list </etc/shadow", .unquoted("<")),
        ("(id)", .unquoted("(")),
        ("handoff task list --queue $HOME", .unquoted("$")),
        ("handoff task list --queue `id`", .unquoted("`")),
        ("handoff task list\nid", .unquoted("\n")),
        ("handoff task list\r\nid", .unquoted("\n")),
        ("handoff task list --queue lab*", .unquoted("*")),
        ("handoff task list --queue la?", .unquoted("?")),
        ("handoff task list --queue [ab]", .unquoted("[")),
        ("handoff task list #comment", .unquoted("#")),
        ("handoff task list --queue ~root", .unquoted("~")),
        (#"handoff task note T-1 "$(id)""#, .expansionInDoubleQuotes("$")),
        (#"handoff task note T-1 "`id`""#, .expansionInDoubleQuotes("`")),
        ("handoff task note T-1 'unfinished", .unterminatedQuote("'")),
        (#"handoff task note T-1 "unfinished"#, .unterminatedQuote("\"")),
        (#"handoff task note T-1 "ends with \""#, .unterminatedQuote("\"")),
        (#"handoff task list \"#, .trailingBackslash),
    ] as [(String, ShellWordsError)])
    func refusesWhatAShellWouldReadDifferently(line: String, error: ShellWordsError) {
        #expect(throws: error) { try ShellWords.split(line) }
    }

    @Test func messagesNameTheCharacterAndTheWayOut() {
        #expect(ShellWordsError.unquoted(";").description
            == "';' outside quotes would chain, pipe or redirect commands in a shell, and no shell runs here: put the word in single quotes if you mean it literally")
        #expect(ShellWordsError.unquoted("\n").description.hasPrefix("a newline outside quotes"))
        #expect(ShellWordsError.unquoted("*").description.contains("would match file names"))
        #expect(ShellWordsError.expansionInDoubleQuotes("$").description.contains("use single quotes"))
        #expect(ShellWordsError.unterminatedQuote("'").description == "a ' quote is not closed")
    }
}
