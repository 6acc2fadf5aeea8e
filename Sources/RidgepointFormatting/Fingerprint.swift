/// Stable, non-cryptographic fingerprints (FNV-1a, 64 bit) for change detection.
public enum Fingerprint {
    /// The fingerprint of a string's UTF-8 bytes as 16 hex digits.
    public static func hex(_ s: String) -> String {
        var h = Hasher64()
        var s = s
        s.withUTF8 { h.combine(UnsafeRawBufferPointer($0)) }
        return h.hex
    }
}

/// FNV-1a over bytes, fed in pieces (a file as it is written or read).
public struct Hasher64: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}

    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        value = h
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let t = String(value, radix: 16)
        return String(repeating: "0", count: 16 - t.count) + t
    }
}
