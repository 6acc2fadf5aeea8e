import Foundation
import RidgepointCore
import Testing

/// The whole loop as a user runs it: measurements in a CSV, `ridgepoint calibrate`, then
/// `--efficiency fitted` (flags) and `efficiency: fitted` (spec) on eval and render.
@Suite struct CalibrateCommandTests {
    /// A CSV of points the model itself produces at e_c 0.55, e_m 0.7, overhead 3 ms.
    static func syntheticCSV() throws -> String {
        let catalog = try Catalog.builtIn()
        let truth = Efficiency(name: "truth", compute: 0.55, memory: 0.7, interconnect: 0.77, overhead: 0.003, source: "synthetic")
        var lines = [MeasurementReader.requiredColumns.joined(separator: ",") + ",engine"]
        for b in [1, 4, 16, 64, 200] {
            for input in [512, 3000] {
                let m = MeasuredPoint(gpu: catalog.gpu("h200")!, model: catalog.model("llama-3.1-8b")!, gpus: 1, batch: b,
                                      inputTokens: input, outputTokens: 300, source: "synthetic, \"quoted\"")
                let p = Calibration.predict(m, efficiency: truth, spec: Spec(catalog: catalog))
                lines.append("h200,llama-3.1-8b,1,\(b),\(input),300,\(p.tpotMs!),\(p.ttftMs!),\(p.outputTokensPerSecond),\"synthetic, \"\"quoted\"\"\",vllm")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func calibrateThenUseTheFittedFactors() throws {
        let dir = tempDir()
        let csv = dir.appendingPathComponent("runs.csv")
        try Self.syntheticCSV().write(to: csv, atomically: true, encoding: .utf8)

        let r = try ridgepoint(["calibrate", csv.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let fit = try #require((json["fits"] as? [[String: Any]])?.first)
        #expect(fit["gpu"] as? String == "h200" && fit["points"] as? Int == 10)
        #expect(abs((fit["compute"] as? Double ?? 0) / 0.55 - 1) < 0.03)
        #expect(abs((fit["memory"] as? Double ?? 0) / 0.7 - 1) < 0.03)
        #expect(abs((fit["overhead_ms"] as? Double ?? 0) / 3 - 1) < 0.06)
        #expect((fit["mape"] as? Double ?? 100) < 1 && (fit["leave_one_out_mape"] as? Double ?? 100) < 2)
        let table = try ridgepoint(["calibrate", csv.path])
        #expect(table.status == 0 && table.stdout.hasPrefix("gpu ") && table.stdout.contains("h200"))

        // The flags: eval states the fitted factors and where they came from.
        let e = try ridgepoint(["eval", "--gpu", "h200", "--model", "llama-3.1-8b", "--batch", "16", "--input-tokens", "512",
                                "--output-tokens", "300", "--measurements", csv.path, "--efficiency", "fitted", "--format", "md"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(e.stdout.contains("**Efficiency (fitted)**") && e.stdout.contains("fitted to 10 measured points (synthetic, \"quoted\")"))
        #expect(e.stdout.contains("| h200 | llama-3.1-8b | 512 in / 300 out | 16 | 1 |"))

        // The spec: measurements relative to the spec file.
        try """
        title: Fitted
        formats: [md, svg]
        template: wiki
        gpus: [h200, h100]
        models: [llama-3.1-8b]
        efficiency: fitted
        measurements: [runs.csv]
        batch_sizes: [1, 16]
        contexts: [2048]
        """.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let render = try ridgepoint(["render", "s.yaml", "-o", out.path, "--quiet"], cwd: dir)
        #expect(render.status == 0, "\(render.stderr)")
        let md = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(md.contains("Model and measurements") && md.contains("charts/parity.svg"), "\(md.prefix(500))")
        #expect(md.contains("The efficiency model fitted to the measurements of each GPU"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("charts/parity.svg").path))

        // Errors: fitted without measurements, a broken file.
        try "gpus: [h200]\nmodels: [llama-3.1-8b]\n".write(to: dir.appendingPathComponent("bare.yaml"), atomically: true, encoding: .utf8)
        let none = try ridgepoint(["eval", dir.appendingPathComponent("bare.yaml").path, "--efficiency", "fitted"])
        #expect(none.status == 1 && none.stderr.contains("fitted efficiency needs measurements"))
        try "gpu,model\nh200,llama-3.1-8b\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try ridgepoint(["calibrate", dir.appendingPathComponent("bad.csv").path])
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv:1: error: gpus: missing column 'gpus'"), "\(bad.stderr)")
    }
}
