import Foundation

/// FNV-1a, 64 bits: a fast, stable fingerprint of bytes for finding the same bytes again (always
/// confirmed by a full comparison or used where a rare collision only costs a re-read). Not cryptographic.
public enum Fingerprint {
    public static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
