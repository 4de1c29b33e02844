import Foundation

/// The most memory this process has held resident so far (`VmHWM` in `/proc/self/status`), in bytes;
/// `nil` where the kernel does not say.
public func peakResidentMemory(status: String = "/proc/self/status") -> Int? {
    guard let text = try? String(contentsOfFile: status, encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    guard fields.count >= 3, fields[2] == "kB", let kilobytes = Int(fields[1]) else { return nil }
    return kilobytes * 1_024
}

/// Nanoseconds on the system's monotonic clock, which every process on the machine shares: one
/// process can note a moment and another measure from it.
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
