import Foundation

/// SplitMix64 (Steele, Lea and Flood): small, fast and fully specified, so a seed gives the same
/// numbers everywhere. Each stream (the directory, each task, each patient) has its own generator.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed
        state = next() ^ (stream &* 0xD1B5_4A32_D192_ED03)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<1`.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A duration of at least `base` seconds, equally likely to fall in each of `octaves` doublings.
    mutating func spread(from base: TimeInterval, octaves: Int) -> TimeInterval {
        base * Double(1 << below(octaves)) * (1 + unit())
    }
}
