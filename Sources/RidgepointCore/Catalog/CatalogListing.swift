import Foundation
import RidgepointFormatting

/// `ridgepoint catalog gpus|models` output.
public enum CatalogListing {
    static func render(_ header: [String], _ rows: [[String]], format: EvalFormat, right: Set<Int>) -> String {
        switch format {
        case .csv:
            return ([header] + rows).map { $0.map(CSVReader.quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .md:
            return TextTable.markdown(header, rows, right: right)
        case .json:
            let objs = rows.map { r in "  {" + zip(header, r).map { "\(JSON.string($0)): \(JSON.string($1))" }.joined(separator: ", ") + "}" }
            return "[\n" + objs.joined(separator: ",\n") + "\n]\n"
        case .table:
            return TextTable.aligned(header, rows, right: right)
        }
    }

    public static func gpus(_ c: Catalog, format: EvalFormat) -> String {
        let header = ["id", "name", "bf16 TFLOPS", "bf16 sparse", "fp8 TFLOPS", "TB/s", "GB", "ridge", "link GB/s", "W", "$/h", "price as of", "aliases", "source"]
        let rows = c.gpus.map { g -> [String] in
            let p = g.peaks[.bf16] ?? g.peaks[.fp16]
            return [g.id, g.name, p.map { Fmt.g($0.dense / 1e12, 5) } ?? "", p?.sparse.map { Fmt.g($0 / 1e12, 5) } ?? "",
                    g.peaks[.fp8].map { Fmt.g($0.dense / 1e12, 5) } ?? "", Fmt.g(g.bandwidth / 1e12, 4),
                    Fmt.g(g.memoryBytes / 1e9, 4), g.ridge(g.peaks[.bf16] != nil ? .bf16 : .fp16).map { Fmt.fixed($0, 0) } ?? "",
                    Fmt.g(g.interconnectBandwidth / 1e9, 4), g.tdpWatts.map { Fmt.g($0, 4) } ?? "",
                    Fmt.fixed(g.price.usdPerHour, 2), g.price.asOf, g.aliases.joined(separator: " "),
                    format == .table ? String((g.sources["compute"] ?? "").prefix(60)) : (g.sources["compute"] ?? "")]
        }
        return render(header, rows, format: format, right: [2, 3, 4, 5, 6, 7, 8, 9, 10])
    }

    public static func models(_ c: Catalog, format: EvalFormat) -> String {
        let header = ["id", "name", "L", "d_model", "h_q", "h_kv", "d_h", "d_ff", "vocab", "attention", "experts", "N (B)", "A (B)", "published N (B)", "KV B/token (bf16)", "aliases", "source"]
        let rows = c.models.map { m -> [String] in
            [m.id, m.name, String(m.layers), String(m.hiddenSize), String(m.attentionHeads), String(m.kvHeads), String(m.headDim),
             String(m.intermediateSize), String(m.vocabSize), m.attentionKind.rawValue,
             m.moe.map { "\($0.expertsPerToken)/\($0.experts)" } ?? "", Fmt.fixed(m.totalParams / 1e9, 2),
             Fmt.fixed(m.activeParams / 1e9, 2), m.publishedParams.map { Fmt.g($0 / 1e9, 5) } ?? "",
             Fmt.grouped(Int(m.kvBytesPerToken(2))), m.aliases.joined(separator: " "),
             format == .table ? String(m.source.prefix(60)) : m.source]
        }
        return render(header, rows, format: format, right: [2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14])
    }
}
