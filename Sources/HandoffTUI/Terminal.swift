import CNCurses
import Foundation
import HandoffCore
#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to curses. Create, use and close it on the UI thread only.
public final class Terminal {
    private let screen: OpaquePointer
    private var attributes: [ThemeRole: attr_t] = [:]
    private var closed = false
    /// How many colours the terminal offers (0 when colour is off).
    public private(set) var colors = 0

    /// Starts curses on the controlling terminal, or explains why it cannot.
    public static func open() throws(TerminalError) -> Terminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else { throw .unsupported(term: term.isEmpty ? "(unset)" : term) }
        ensureUTF8()
        TerminalRestore.save()
        // newterm returns NULL for an unknown TERM; initscr would exit the process.
        guard let screen = newterm(nil, handoff_stdout(), handoff_stdin()) else {
            throw .unsupported(term: term)
        }
        set_term(screen)
        TerminalRestore.installCrashHandlers()
        cbreak()
        noecho()
        nonl()
        keypad(handoff_stdscr(), true)
        nodelay(handoff_stdscr(), true)
        set_escdelay(25)
        curs_set(1)
        return Terminal(screen: screen)
    }

    /// Starts curses writing to `output` instead of the user's terminal, as a `width`×`height`
    /// `xterm-256color` that never sends a key: for counting the bytes a frame costs. Close it before
    /// opening another; it leaves the user's terminal alone.
    public static func offscreen(width: Int, height: Int, output: UnsafeMutablePointer<FILE>) throws(TerminalError) -> Terminal {
        ensureUTF8()
        guard let input = fopen("/dev/null", "r") else { throw .notATerminal }
        guard let screen = newterm("xterm-256color", output, input) else {
            fclose(input)
            throw .unsupported(term: "xterm-256color")
        }
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        curs_set(1)
        resizeterm(Int32(height), Int32(width))
        return Terminal(screen: screen, offscreenInput: input)
    }

    private let offscreenInput: UnsafeMutablePointer<FILE>?

    private init(screen: OpaquePointer, offscreenInput: UnsafeMutablePointer<FILE>? = nil) {
        self.screen = screen
        self.offscreenInput = offscreenInput
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(handoff_cols()), Int(handoff_lines()))
    }

    /// Sets up colour pairs for `theme`; `colorsAllowed` false (NO_COLOR) keeps attributes only.
    public func apply(_ theme: Theme, colorsAllowed: Bool) {
        if colorsAllowed, has_colors() {
            start_color()
            use_default_colors()
            colors = Int(handoff_colors())
        } else {
            colors = 0
        }
        attributes = [:]
        for (index, role) in ThemeRole.allCases.enumerated() {
            let style = theme.style(for: role, colors: colors)
            var attribute: attr_t = handoff_a_normal()
            if colors > 0, index + 1 < Int(handoff_color_pairs()) {
                init_pair(Int16(index + 1), Self.number(style.foreground), Self.number(style.background))
                attribute |= handoff_color_pair(Int32(index + 1))
            }
            for flag in style.attributes {
                switch flag {
                case .bold: attribute |= handoff_a_bold()
                case .dim: attribute |= handoff_a_dim()
                case .reverse: attribute |= handoff_a_reverse()
                case .underline: attribute |= handoff_a_underline()
                case .standout: attribute |= handoff_a_standout()
                }
            }
            attributes[role] = attribute
        }
    }

    private static func number(_ color: ThemeColor) -> Int16 {
        switch color {
        case .terminalDefault: -1
        case let .basic(basic): Int16(basic.rawValue)
        case let .indexed(index): Int16(index)
        }
    }

    /// Paints a frame; curses sends only the cells that changed since the last one.
    public func draw(_ buffer: ScreenBuffer) {
        let window = handoff_stdscr()
        werase(window)
        for row in 0..<buffer.height {
            var column = 0
            while column < buffer.width {
                let role = buffer.cells[row][column].role
                var end = column
                var text: [wchar_t] = []
                while end < buffer.width, buffer.cells[row][end].role == role {
                    text += buffer.cells[row][end].text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                    end += 1
                }
                text.append(0)
                wattrset(window, Int32(bitPattern: role.flatMap { attributes[$0] } ?? handoff_a_normal()))
                _ = text.withUnsafeBufferPointer { mvwaddwstr(window, Int32(row), Int32(column), $0.baseAddress) }
                column = end
            }
        }
        wattrset(window, Int32(bitPattern: handoff_a_normal()))
        wmove(window, Int32(buffer.cursor.row), Int32(buffer.cursor.column))
        wnoutrefresh(window)
        doupdate()
    }

    /// The keys waiting to be read (none when nothing is waiting, or when the terminal has gone away:
    /// the caller tells the two apart by what `poll` said).
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        var character: wint_t = 0
        while true {
            let status = wget_wch(handoff_stdscr(), &character)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if let key = Self.functionKey(Int32(character)) { keys.append(key) }
            } else if let key = Self.characterKey(UInt32(character)) {
                keys.append(key)
            }
        }
        return keys
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        default: nil
        }
    }

    private static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), !DisplayText.isControl(scalar) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Clears the screen (nothing left readable) without leaving curses.
    public func clear() {
        werase(handoff_stdscr())
        wnoutrefresh(handoff_stdscr())
        doupdate()
    }

    /// Restores the terminal. Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
        if let offscreenInput {
            fclose(offscreenInput)
        } else {
            TerminalRestore.restore()
        }
    }

    deinit { close() }
}

/// Why the console cannot start.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    case notATerminal
    case unsupported(term: String)

    public var description: String {
        switch self {
        case .notATerminal:
            "the console needs a terminal; use the command-line subcommands instead (handoff task list, handoff --help)"
        case let .unsupported(term):
            "the console cannot drive TERM=\(term); set TERM to e.g. xterm-256color, or use the command-line subcommands (handoff --help)"
        }
    }
}

/// Makes sure the character type is UTF-8, so wide names never garble even when `LANG` is unset.
private func ensureUTF8() {
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
        setlocale(LC_CTYPE, "C.UTF-8")
    }
}
