import HandoffCore
import Testing

struct DisplayTextTests {
    @Test func escapeSequencesAreShownNotObeyed() {
        #expect(DisplayText.sanitize("Nuñez\u{1B}[2J\u{07}") == "Nuñez\\x1b[2J\\x07")
        #expect(DisplayText.sanitize("a\u{9B}31m") == "a\\x9b31m")
        #expect(DisplayText.sanitize("line\nbreak\r") == "line\\x0abreak\\x0d")
        #expect(DisplayText.sanitize("right\u{202E}left") == "right\\u{202e}left")
        #expect(DisplayText.sanitize("王芳 Zoë") == "王芳 Zoë")
    }

    @Test func widthCountsTerminalCells() {
        #expect(DisplayText.width("王芳") == 4)
        #expect(DisplayText.width("Zoe\u{0308}") == 3)
        #expect(DisplayText.width("José Nuñez") == 10)
        #expect(DisplayText.width("김민준") == 6)
    }

    @Test func fitEscapesBeforeMeasuringSoColumnsStayAligned() {
        #expect(DisplayText.fit("a\u{1B}b", cells: 8) == "a\\x1bb  ")
        #expect(DisplayText.fit("Eve\u{1B}[2J", cells: 6) == "Eve\\x…")
        #expect(DisplayText.width(DisplayText.fit("\u{07}\u{07}\u{07}\u{07}", cells: 10)) == 10)
        #expect(DisplayText.fit(DisplayText.sanitize("x\u{1B}"), cells: 8) == DisplayText.fit("x\u{1B}", cells: 8), "escaping twice changes nothing")
    }

    @Test func fitPadsAndCutsByCells() {
        #expect(DisplayText.fit("王芳", cells: 6) == "王芳  ")
        #expect(DisplayText.fit("王芳王芳", cells: 5) == "王芳…")
        #expect(DisplayText.width(DisplayText.fit("王芳王芳", cells: 4)) == 4)
        #expect(DisplayText.fit("abcdef", cells: 4) == "abc…")
    }
}
