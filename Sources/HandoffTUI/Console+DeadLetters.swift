import Foundation
import HandoffCore

/// The integration screen: dead letters for admins to read, replay after a fix, or discard.
extension Console {
    /// The dead letter under the cursor.
    var selectedLetter: DeadLetterItem? {
        letters.indices.contains(letterIndex) ? letters[letterIndex] : nil
    }

    /// Shows the dead letters, to admins only.
    func openDeadLetters() {
        guard data.actor.has(.admin) else {
            return show("dead letters are for integration support (the admin role)", isError: true)
        }
        switchScreen(.deadLetters)
    }

    func loadDeadLetters() throws {
        let keep = selectedLetter?.id
        letters = try data.deadLetters()
        syncPanel = try data.syncPanel()
        rows = []
        total = letters.count
        letterIndex = keep.flatMap { id in letters.firstIndex { $0.id == id } } ?? min(letterIndex, max(letters.count - 1, 0))
    }

    /// Handles a key meant for the dead-letter list; `false` leaves it to the console.
    func handleDeadLetterKey(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): letterIndex = max(letterIndex - 1, 0)
        case .down, .character("j"): letterIndex = min(letterIndex + 1, max(letters.count - 1, 0))
        case .pageUp: letterIndex = max(letterIndex - pageSize, 0)
        case .pageDown: letterIndex = min(letterIndex + pageSize, max(letters.count - 1, 0))
        case .home, .character("g"): letterIndex = 0
        case .end, .character("G"): letterIndex = max(letters.count - 1, 0)
        case .character("r"):
            guard let letter = selectedLetter else { show("no dead letter selected", isError: true); return true }
            guard !options.readOnly else { show("read-only console: no actions", isError: true); return true }
            input = .form(Form(title: "Replay dead letter \(letter.id) with the current routes",
                               fields: [.init(label: "apply it now", kind: .confirm)]) { _ in .success(.replayDeadLetter(letter.id)) })
        case .character("D"):
            guard let letter = selectedLetter else { show("no dead letter selected", isError: true); return true }
            guard !options.readOnly else { show("read-only console: no actions", isError: true); return true }
            input = .form(Form(title: "Discard dead letter \(letter.id)", fields: [
                .init(label: "why", kind: .text(required: true)),
                .init(label: "it will not be applied", kind: .confirm),
            ]) { .success(.discardDeadLetter(letter.id, reason: $0[0])) })
        default:
            return false
        }
        return true
    }
}
