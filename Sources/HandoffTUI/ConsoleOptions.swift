import Foundation

/// How a console session behaves.
public struct ConsoleOptions: Sendable {
    /// A wall screen: nothing can be changed, no action is offered.
    public var readOnly: Bool
    /// After this long without a key press the console clears the screen and exits.
    public var idleTimeout: Duration
    /// The wall clock, injected so tests are deterministic.
    public var now: @Sendable () -> Date

    public init(readOnly: Bool = false, idleTimeout: Duration = .seconds(15 * 60), now: @escaping @Sendable () -> Date = { Date() }) {
        self.readOnly = readOnly
        self.idleTimeout = idleTimeout
        self.now = now
    }
}
