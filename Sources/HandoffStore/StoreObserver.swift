/// Hooks for watching the store's behaviour under contention (metrics and tests).
public struct StoreObserver: Sendable {
    /// Called each time a connection finds the database locked by another writer, with the try count.
    public var busy: (@Sendable (Int) -> Void)?

    public init(busy: (@Sendable (Int) -> Void)? = nil) {
        self.busy = busy
    }
}
