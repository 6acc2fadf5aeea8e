/// Renumbers cairo's process-global SVG ids (`surfaceN`, `imageN`) in first-appearance order, in
/// both `id="…"` and references (`xlink:href="#…"`, `url(#…)`), so the same drawing gives the same
/// SVG bytes however many surfaces the process created before.
enum SVGIDNormalizer {
    private static let prefixes: [[UInt8]] = [Array("surface".utf8), Array("image".utf8)]
    private static let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), paren = UInt8(ascii: ")")
    private static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    static func normalize(_ input: [UInt8]) -> [UInt8] {
        var maps: [[ArraySlice<UInt8>: Int]] = Array(repeating: [:], count: prefixes.count)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        let n = input.count
        var copied = 0   // input[..<copied] is already in `out`
        var i = 0
        while i < n {
            let b = input[i]
            i += 1
            guard b == quote || b == hash else { continue }
            for (k, prefix) in prefixes.enumerated() {
                let end = i + prefix.count
                guard end < n, input[i..<end].elementsEqual(prefix) else { continue }
                var j = end
                while j < n, input[j] >= zero, input[j] <= nine { j += 1 }
                guard j > end, j < n, input[j] == quote || input[j] == paren else { continue }
                let digits = input[end..<j]
                let number: Int
                if let known = maps[k][digits] {
                    number = known
                } else {
                    number = maps[k].count + 1
                    maps[k][digits] = number
                }
                // Copy everything up to the id in one go, then the renumbered id.
                out.append(contentsOf: input[copied..<i])
                out.append(contentsOf: prefix)
                out.append(contentsOf: Array(String(number).utf8))
                copied = j
                i = j
                break
            }
        }
        out.append(contentsOf: input[copied..<n])
        return out
    }
}
