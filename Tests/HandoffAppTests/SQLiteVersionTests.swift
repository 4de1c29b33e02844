import HandoffApp
import Testing

/// SQLite versions compare as numbers, part by part.
struct SQLiteVersionTests {
    @Test(arguments: [
        ("3.9", "3.40"), ("3.40.1", "3.51.3"), ("3.51.2", "3.51.3"), ("3.51.3", "3.52.0"), ("3.51.3", "3.51.10"), ("2.99.99", "3.0"),
    ])
    func comparesNumerically(older: String, newer: String) throws {
        let old = try #require(SQLiteVersion(older)), new = try #require(SQLiteVersion(newer))
        #expect(old < new)
        #expect(!(new < old))
    }

    @Test func missingPartsCountAsZero() throws {
        #expect(SQLiteVersion("3.51") == SQLiteVersion("3.51.0"))
        #expect(try #require(SQLiteVersion("3.51")) < SQLiteVersion.walResetFix)
    }

    @Test(arguments: ["", "3..1", "3.40.1-beta", "v3.40", "3.-1"])
    func refusesWhatIsNotDottedNumbers(text: String) {
        #expect(SQLiteVersion(text) == nil)
    }
}
