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

    public static func json(_ fits: [Calibration.Fit]) -> String {
        func num(_ x: Double?) -> String { x.map { JSON.number($0) } ?? "null" }
        let items = fits.map { f -> String in
            let kept = f.kept.keys.sorted().map { "{\"factor\": \(JSON.string($0)), \"reason\": \(JSON.string(f.kept[$0] ?? ""))}" }
            let points = f.comparisons.map { c -> String in
                let m = c.measurement, p = c.predicted
                return "{\"origin\": \(JSON.string(m.origin)), \"source\": \(JSON.string(m.source)), \"gpus\": \(m.gpus), \"batch\": \(m.batch), "
                    + "\"input_tokens\": \(m.inputTokens), \"output_tokens\": \(m.outputTokens), "
                    + "\"tpot_ms\": {\"measured\": \(num(m.tpotMs)), \"model\": \(num(p.tpotMs))}, "
                    + "\"ttft_ms\": {\"measured\": \(num(m.ttftMs)), \"model\": \(num(p.ttftMs))}, "
                    + "\"output_tokens_per_s\": {\"measured\": \(num(m.outputTokensPerSecond)), \"model\": \(num(p.outputTokensPerSecond))}}"
            }
            return "    {\"gpu\": \(JSON.string(f.gpu.id)), \"engine\": \(f.engine.isEmpty ? "null" : JSON.string(f.engine)), \"compute\": \(num(f.efficiency.compute)), \"memory\": \(num(f.efficiency.memory)), "
                + "\"overhead_ms\": \(num(f.efficiency.overhead * 1000)), \"overhead_per_sequence_us\": \(num(f.efficiency.overheadPerSequence * 1e6)), \"points\": \(f.points), \"mape\": \(num(f.mape)), "
                + "\"leave_one_out_mape\": \(num(f.leaveOneOutMape)), "
                + { let a = Calibration.adoption(f); return "\"default_factors\": {\"adopted\": \(a.adopted), \"reason\": \(JSON.string(a.reason))}, " }()
                + "\"worst\": {\"error_pct\": \(num(f.worst.error)), \"origin\": \(JSON.string(f.worst.origin)), \"metric\": \(JSON.string(f.worst.metric))}, "
                + "\"kept\": [\(kept.joined(separator: ", "))], \"source\": \(JSON.string(f.efficiency.source)),\n      \"comparisons\": [\n        "
                + points.joined(separator: ",\n        ") + "]}"
        }
        return "{\"fits\": [\n" + items.joined(separator: ",\n") + "\n]}\n"
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
