import Foundation
import HandoffCore

/// What the terminal the command prints to can draw.
enum OutputGlyphs {
    /// Unicode charts where the user's locale is UTF-8 (`LC_ALL`, `LC_CTYPE`, `LANG`), else ASCII.
    /// Read before the console forces a UTF-8 character type for names.
    static func current() -> Chart.Glyphs {
        setlocale(LC_CTYPE, "")
        return Chart.Glyphs(codeset: String(cString: nl_langinfo(nl_item(CODESET))))
    }
}
