import HandoffCore
import Testing

struct DurationTextTests {
    @Test(arguments: [("2d3h", 183_600.0), ("45m", 2_700), ("1d", 86_400), ("-6h", -21_600), ("13d21h5m", 1_199_100), ("90s", 90), ("1m30s", 90)])
    func parses(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "-", "3", "h", "3h2d", "2x", "1d1d", "5s1m"])
    func refuses(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }
}
