/// Splits a command line into words as a POSIX shell would, without ever running one.
///
/// Single quotes keep everything up to the next single quote; double quotes keep everything but a
/// backslash before `"`, `\`, `$`, `` ` `` or a newline; outside quotes a backslash keeps the next
/// character and a backslash-newline joins lines. Whatever a shell would do *more* than split — chain,
/// pipe or redirect commands, expand variables or commands, match file names, start a comment, name a
/// home directory — is refused rather than taken literally, so a line never means one thing to the
/// person who typed it and another to Handoff.
public enum ShellWords {
    /// Characters refused anywhere outside quotes: operators, redirections, expansions and wildcards.
    static let refusedAnywhere: Set<Unicode.Scalar> = [";", "|", "&", "<", ">", "(", ")", "$", "`", "*", "?", "[", "\n"]
    /// Characters refused at the start of a word outside quotes: a comment, a home directory.
    static let refusedAtWordStart: Set<Unicode.Scalar> = ["#", "~"]

    /// The words of `line`, quotes and backslashes removed.
    public static func split(_ line: String) throws(ShellWordsError) -> [String] {
        let scalars = Array(line.unicodeScalars)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t":
                if inWord { words.append(String(word)) }
                word = String.UnicodeScalarView()
                inWord = false
            case "'":
                guard let close = scalars[(index + 1)...].firstIndex(of: "'") else { throw .unterminatedQuote("'") }
                word.append(contentsOf: scalars[(index + 1)..<close])
                inWord = true
                index = close
            case "\"":
                index = try doubleQuoted(scalars, from: index + 1, into: &word)
                inWord = true
            case "\\":
                guard index + 1 < scalars.count else { throw .trailingBackslash }
                index += 1
                if scalars[index] != "\n" {
                    word.append(scalars[index])
                    inWord = true
                }
            default:
                if refusedAnywhere.contains(scalar) || (!inWord && refusedAtWordStart.contains(scalar)) {
                    throw .unquoted(Character(scalar))
                }
                word.append(scalar)
                inWord = true
            }
            index += 1
        }
        if inWord { words.append(String(word)) }
        return words
    }

    /// Reads a double-quoted part starting after its opening quote into `word`; returns the closing quote's index.
    private static func doubleQuoted(_ scalars: [Unicode.Scalar], from start: Int,
                                     into word: inout String.UnicodeScalarView) throws(ShellWordsError) -> Int {
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\"":
                return index
            case "\\" where index + 1 < scalars.count && "\"\\$`\n".unicodeScalars.contains(scalars[index + 1]):
                index += 1
                if scalars[index] != "\n" { word.append(scalars[index]) }
            case "$", "`":
                throw .expansionInDoubleQuotes(Character(scalar))
            default:
                word.append(scalar)
            }
            index += 1
        }
        throw .unterminatedQuote("\"")
    }
}

/// A command line that ``ShellWords`` will not split, because a shell would read it differently.
public enum ShellWordsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character a shell would act on, outside quotes.
    case unquoted(Character)
    /// `$` or `` ` `` inside double quotes, where a shell would expand it.
    case expansionInDoubleQuotes(Character)
    /// A quote that is never closed.
    case unterminatedQuote(Character)
    /// A backslash with nothing after it.
    case trailingBackslash

    public var description: String {
        switch self {
        case let .unquoted(character):
            "\(Self.name(character)) outside quotes \(Self.effect(character)) in a shell, and no shell runs here: "
                + "put the word in single quotes if you mean it literally"
        case let .expansionInDoubleQuotes(character):
            "\(Self.name(character)) inside double quotes would expand in a shell, and no shell runs here: "
                + "use single quotes if you mean it literally"
        case let .unterminatedQuote(quote):
            "a \(quote) quote is not closed"
        case .trailingBackslash:
            "the command ends with a backslash"
        }
    }

    private static func name(_ character: Character) -> String {
        character == "\n" ? "a newline" : "'\(character)'"
    }

    private static func effect(_ character: Character) -> String {
        switch character {
        case "$", "`": "would expand"
        case "*", "?", "[": "would match file names"
        case "#": "would start a comment"
        case "~": "would name a home directory"
        default: "would chain, pipe or redirect commands"
        }
    }
}
