/// Stable, non-cryptographic fingerprints (FNV-1a, 64 bit) for change detection.
public enum Fingerprint {
    public static func hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        let t = String(h, radix: 16)
        return String(repeating: "0", count: 16 - t.count) + t
    }
}
