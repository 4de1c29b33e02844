import Foundation
import HandoffTUI
import Yams

/// The user's key bindings: `$XDG_CONFIG_HOME/handoff/keys.yaml` (default `~/.config/handoff/keys.yaml`),
/// a map from command to key, e.g. `claim: C` or `next: N`.
public enum KeyBindingsFile {
    /// Where the file is looked for.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        Locations(environment: environment).configurationDirectory + "/keys.yaml"
    }

    /// The bindings from `path`, the defaults when it does not exist, or an error naming the file.
    public static func load(from path: String) -> Result<KeyBindings, KeyBindingsFileError> {
        guard (try? Privilege.asInvokingUser { FileManager.default.fileExists(atPath: path) }) == true else { return .success(.defaults) }
        let text: String
        do {
            // The person's own file, read with their rights only.
            text = String(decoding: try UserFile.read(path, maximumSize: 64 * 1024), as: UTF8.self)
        } catch {
            return .failure(KeyBindingsFileError(path: path, problem: "cannot read it (\(error))"))
        }
        let overrides: [String: String]
        do {
            overrides = try YAMLDecoder().decode([String: String].self, from: text)
        } catch {
            return .failure(KeyBindingsFileError(path: path, problem: "not a map of command: key (\(error))"))
        }
        return KeyBindings.with(overrides).mapError { KeyBindingsFileError(path: path, problem: $0.description) }
    }
}

/// A key-bindings file that cannot be used; the console falls back to the defaults.
public struct KeyBindingsFileError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem); using the default keys" }
}
