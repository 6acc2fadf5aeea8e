import Foundation

extension EvalWriter {
    /// Streams the JSON of `sweep` (the same document as `json(_:)`) to `write` in chunks of
    /// about 64 KB, so that large matrices are never held in memory whole.
    public static func writeJSON(_ sweep: Sweep, to write: (String) throws -> Void) rethrows {
        let textKeys: Set<String> = ["gpu", "model", "phase", "weights", "kv", "bound", "compute_precision", "efficiency", "convention"]
        let prefixes = csvColumns.map { JSON.string($0) + ": " }
        let isText = csvColumns.map { textKeys.contains($0) }
        let fitsIndex = csvColumns.firstIndex(of: "fits") ?? -1
        var buffer = "{\n  \"assumptions\": " + Assumptions.json(for: sweep.spec, indent: "  ") + ",\n  \"rows\": ["
        buffer.reserveCapacity(1 << 17)
        var first = true
        try sweep.forEachCell { c in
            buffer += first ? "\n    {" : ",\n    {"
            first = false
            for (i, v) in csvFields(c).enumerated() {
                if i > 0 { buffer += ", " }
                buffer += prefixes[i]
                if i == fitsIndex { buffer += v } else if isText[i] { buffer += JSON.string(v) } else { buffer += v.isEmpty ? "null" : v }
            }
            buffer += "}"
            if buffer.utf8.count > 1 << 16 { try write(buffer); buffer = "" }
        }
        buffer += "\n  ]\n}\n"
        try write(buffer)
    }
}
