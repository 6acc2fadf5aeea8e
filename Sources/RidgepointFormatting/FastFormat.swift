import Foundation

/// Fast, deterministic, locale-independent `%g` formatting straight into bytes, for writers
/// that emit millions of numbers (`ridgepoint eval --format csv` on a large sweep).
///
/// `g(x, sig)` returns exactly what `printf(x, sig)` returns, i.e. `String(format: "%.{sig}g", x)`
/// (glibc: the exact binary value rounded to `sig` significant digits, ties to even; fixed
/// notation for decimal exponents −4 ≤ X < sig, otherwise `d.ddde±XX` with at least two
/// exponent digits; trailing zeros and a bare decimal point removed), and `0` for ±0.
///
/// How: the decimal exponent is estimated from the binary one, `|x|·10^k` is computed with a
/// single correctly rounded multiplication or division by an exact power of ten (10^0 … 10^22),
/// and rounded to an integer of `sig` digits. That product is within half an ulp of the exact
/// value, so the rounding is provably the same as glibc's unless the fraction lies within a few
/// ulps of one half; those rare cases, `sig` outside 1…9, exponents beyond the table, and
/// NaN/infinity fall back to `String(format:)`. `FastFormatTests` compares both on millions of
/// values.
public enum FastFormat {
    /// The most bytes `write(_:sig:to:)` writes (e.g. `-1.23456789e-308` is 16).
    public static let maxBytes = 32

    /// Exactly representable powers of ten, 10^0 … 10^22.
    @usableFromInline static let exactPowers: [Double] = (0...22).map(Decimal10.pow10)
    static let intPowers: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { a, _ in a * 10 } }

    /// `x` as `printf(x, sig)` formats it (`Fmt.g` is this).
    public static func g(_ x: Double, _ sig: Int = 6) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { buf in
            guard let p = buf.baseAddress else { return printf(x, sig) }
            let n = write(x, sig: sig, to: p)
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }
    }

    /// Appends `g(x, sig)`'s UTF-8 bytes to `bytes`.
    public static func appendG(_ x: Double, sig: Int = 6, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { buf in
            guard let p = buf.baseAddress else { bytes.append(contentsOf: printf(x, sig).utf8); return }
            let n = write(x, sig: sig, to: p)
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Writes `g(x, sig)` at `p` (room for `maxBytes` bytes) and returns the number of bytes written.
    public static func write(_ x: Double, sig: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if x == 0 { p[0] = UInt8(ascii: "0"); return 1 }
        guard x.isFinite, sig >= 1, sig <= 9 else { return fallback(x, sig, p) }
        let a = Swift.abs(x)
        // floor(e2·log10 2) ≤ floor(log10 a) ≤ that + 1.
        let estimate = Int((Double(a.exponent) * 0.301_029_995_663_981_2).rounded(.down))
        var k = sig - 1 - estimate
        guard var v = scaled(a, k) else { return fallback(x, sig, p) }
        let top = exactPowers[sig]
        if v >= top {
            k -= 1
            guard let w = scaled(a, k) else { return fallback(x, sig, p) }
            v = w
        }
        // v ≈ a·10^k ∈ [10^(sig−1), 10^sig], within half an ulp of the exact product.
        let f = v.rounded(.down)
        let frac = v - f
        let margin = top.ulp * 4
        if Swift.abs(frac - 0.5) <= margin { return fallback(x, sig, p) }
        var digits = UInt64(f) + (frac > 0.5 ? 1 : 0)
        var exponent = sig - 1 - k
        if digits >= intPowers[sig] { digits /= 10; exponent += 1 }
        return layout(negative: x < 0, digits: digits, exponent: exponent, sig: sig, to: p)
    }

    /// a·10^k with one rounding, or nil when 10^|k| is not exact.
    @inline(__always) static func scaled(_ a: Double, _ k: Int) -> Double? {
        if k >= 0 {
            guard k <= 22 else { return nil }
            return a * exactPowers[k]
        }
        guard k >= -22 else { return nil }
        return a / exactPowers[-k]
    }

    /// Lays out `digits` (exactly `sig` digits, the first non-zero) × 10^(exponent − sig + 1) as `%g`.
    static func layout(negative: Bool, digits d0: UInt64, exponent: Int, sig: Int,
                       to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if negative { p[0] = UInt8(ascii: "-"); n = 1 }
        // Drop trailing zeros: `count` significant digits remain in `d`.
        var d = d0, count = sig
        while count > 1 && d % 10 == 0 { d /= 10; count -= 1 }
        if exponent >= -4 && exponent < sig {
            if exponent >= 0 {
                let intDigits = exponent + 1
                if count <= intDigits {
                    writeDigits(d, count: count, to: p + n); n += count
                    for _ in 0..<(intDigits - count) { p[n] = UInt8(ascii: "0"); n += 1 }
                } else {
                    // Digits with a point after the first `intDigits`, written right to left.
                    var q = d
                    var i = count - 1
                    while i >= 0 {
                        let pos = n + i + (i >= intDigits ? 1 : 0)
                        p[pos] = UInt8(truncatingIfNeeded: q % 10) &+ 48
                        q /= 10
                        i -= 1
                    }
                    p[n + intDigits] = UInt8(ascii: ".")
                    n += count + 1
                }
            } else {
                p[n] = UInt8(ascii: "0"); p[n + 1] = UInt8(ascii: "."); n += 2
                for _ in 0..<(-exponent - 1) { p[n] = UInt8(ascii: "0"); n += 1 }
                writeDigits(d, count: count, to: p + n); n += count
            }
            return n
        }
        // d.ddde±XX
        if count == 1 {
            p[n] = UInt8(truncatingIfNeeded: d) &+ 48; n += 1
        } else {
            let lead = d / intPowers[count - 1]
            p[n] = UInt8(truncatingIfNeeded: lead) &+ 48
            p[n + 1] = UInt8(ascii: ".")
            writeDigits(d - lead * intPowers[count - 1], count: count - 1, to: p + n + 2)
            n += count + 1
        }
        p[n] = UInt8(ascii: "e")
        p[n + 1] = exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        n += 2
        let e = exponent < 0 ? -exponent : exponent
        let eDigits = e >= 100 ? 3 : 2
        writeDigits(UInt64(e), count: eDigits, to: p + n)
        return n + eDigits
    }

    /// Writes exactly `count` decimal digits of `value` (zero-padded on the left).
    @inline(__always) static func writeDigits(_ value: UInt64, count: Int, to p: UnsafeMutablePointer<UInt8>) {
        var q = value
        var i = count - 1
        while i >= 0 {
            p[i] = UInt8(truncatingIfNeeded: q % 10) &+ 48
            q /= 10
            i -= 1
        }
    }

    static func fallback(_ x: Double, _ sig: Int, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for b in printf(x, sig).utf8.prefix(maxBytes) { p[n] = b; n += 1 }
        return n
    }

    /// The C library's `%.{sig}g` (locale-independent: Swift's `String(format:)` uses the POSIX
    /// locale), and `0` for ±0; the reference this type reproduces.
    public static func printf(_ x: Double, _ sig: Int) -> String {
        if x == 0 { return "0" }
        return String(format: "%.\(sig)g", x)
    }

    /// Writes the decimal digits of `value` at `p` (room for 20 bytes) and returns their count.
    public static func writeInt(_ value: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        var m = value.magnitude
        if value < 0 { p[0] = UInt8(ascii: "-"); n = 1 }
        var count = 1
        var t = m
        while t >= 10 { t /= 10; count += 1 }
        var i = n + count - 1
        repeat {
            p[i] = UInt8(truncatingIfNeeded: m % 10) &+ 48
            m /= 10
            i -= 1
        } while i >= n
        return n + count
    }
}
