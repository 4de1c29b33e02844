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
