import Foundation
import RidgepointFormatting

/// `ridgepoint calibrate` output: per GPU the fitted factors, how many points, the fit's error,
/// the worst point and the leave-one-out error; JSON and CSV carry the same fields.
public enum CalibrationReport {
    static func pct(_ x: Double?) -> String { x.map { Fmt.g($0, 3) + " %" } ?? "–" }

    public static func table(_ fits: [Calibration.Fit]) -> String {
        var out = ""
        let header = ["gpu", "engine", "compute", "memory", "overhead ms", "per seq. µs", "points", "mape", "held out", "worst point"]
        let rows = fits.map { f -> [String] in
            [f.gpu.id, f.engine.isEmpty ? "all" : f.engine, Fmt.g(f.efficiency.compute, 3), Fmt.g(f.efficiency.memory, 3), Fmt.g(f.efficiency.overhead * 1000, 3),
             Fmt.g(f.efficiency.overheadPerSequence * 1e6, 3), "\(f.points)",
             pct(f.mape), pct(f.leaveOneOutMape), "\(Fmt.g(f.worst.error, 3)) % \(f.worst.metric) at \(f.worst.origin)"]
        }
        out += TextTable.aligned(header, rows, right: [2, 3, 4, 5, 6, 7, 8])
        for f in fits where !f.kept.isEmpty {
            for k in f.kept.keys.sorted() { out += "\(f.gpu.id)\(f.engine.isEmpty ? "" : " (\(f.engine))"): \(k) kept at its default (\(f.kept[k] ?? ""))\n" }
        }
        out += "\nmape: mean absolute error of the fitted model over every measured TPOT, TTFT and throughput;\n"
            + "held out: the same for each point predicted by a fit made without it (leave-one-out; 5-fold above 40 points):\n"
            + "how well the fit generalises. A GPU measured with several engines is fitted per engine.\n"
        return out
    }

    /// `{"fits": [{gpu, engine, factors, errors, default_factors, worst, kept, source,
    /// "comparisons": [{measured and model values per point}…]}…]}`: one member per line down to
    /// each fit's fields, each comparison on one line.
    public static func json(_ fits: [Calibration.Fit]) -> String {
        func n(_ x: Double?) -> JSONValue { x.map { .significant($0, 6) } ?? .null }
        func pair(_ measured: Double?, _ model: Double?) -> JSONValue { .object([("measured", n(measured)), ("model", n(model))]) }
        let items = fits.map { f -> JSONValue in
            let a = Calibration.adoption(f)
            let comparisons = f.comparisons.map { c -> JSONValue in
                let m = c.measurement, p = c.predicted
                return .object([
                    ("origin", .string(m.origin)), ("source", .string(m.source)), ("gpus", .integer(m.gpus)), ("batch", .integer(m.batch)),
                    ("input_tokens", .integer(m.inputTokens)), ("output_tokens", .integer(m.outputTokens)),
                    ("tpot_ms", pair(m.tpotMs, p.tpotMs)), ("ttft_ms", pair(m.ttftMs, p.ttftMs)),
                    ("output_tokens_per_s", pair(m.outputTokensPerSecond, p.outputTokensPerSecond)),
                ])
            }
            return .object([
                ("gpu", .string(f.gpu.id)), ("engine", f.engine.isEmpty ? .null : .string(f.engine)),
                ("compute", n(f.efficiency.compute)), ("memory", n(f.efficiency.memory)),
                ("overhead_ms", n(f.efficiency.overhead * 1000)), ("overhead_per_sequence_us", n(f.efficiency.overheadPerSequence * 1e6)),
                ("points", .integer(f.points)), ("mape", n(f.mape)), ("leave_one_out_mape", n(f.leaveOneOutMape)),
                ("default_factors", .object([("adopted", .bool(a.adopted)), ("reason", .string(a.reason))])),
                ("worst", .object([("error_pct", n(f.worst.error)), ("origin", .string(f.worst.origin)), ("metric", .string(f.worst.metric))])),
                ("kept", .array(f.kept.keys.sorted().map { .object([("factor", .string($0)), ("reason", .string(f.kept[$0] ?? ""))]) })),
                ("source", .string(f.efficiency.source)),
                ("comparisons", .array(comparisons)),
            ])
        }
        return JSONValue.object([("fits", .array(items))]).rendered(JSONLayout(expandedDepth: 3, expandedKeys: ["comparisons"])) + "\n"
    }

    public static func csv(_ fits: [Calibration.Fit]) -> String {
        var lines = ["gpu,engine,compute,memory,overhead_ms,points,mape,leave_one_out_mape,worst_error_pct,worst_origin,worst_metric,kept,overhead_per_sequence_us"]
        for f in fits {
            lines.append([f.gpu.id, f.engine, Fmt.g(f.efficiency.compute, 6), Fmt.g(f.efficiency.memory, 6), Fmt.g(f.efficiency.overhead * 1000, 6), "\(f.points)",
                          Fmt.g(f.mape, 4), f.leaveOneOutMape.map { Fmt.g($0, 4) } ?? "", Fmt.g(f.worst.error, 4), f.worst.origin, f.worst.metric,
                          f.kept.keys.sorted().joined(separator: " "), Fmt.g(f.efficiency.overheadPerSequence * 1e6, 6)].map(CSVReader.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
