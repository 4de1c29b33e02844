import Foundation

/// Nanoseconds on the system's monotonic clock, which every process on the machine shares: one
/// process can note a moment and another measure from it.
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
