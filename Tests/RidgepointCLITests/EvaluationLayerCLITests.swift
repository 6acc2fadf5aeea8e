import Foundation
import Testing

/// `ridgepoint eval` with the evaluation layer's request phase, schema and warnings, on the built
/// binary; and the repository-wide rule that only the evaluation layer computes step physics.
@Suite struct EvaluationLayerCLITests {
    /// Splits one CSV line into fields (RFC 4180 quoting; no line breaks inside fields here).
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { cur.append("\""); chars.removeFirst() } else { quoted = false } } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }
    static func csv(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map(String.init)
        let header = fields(lines[0])
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) }
    }

    /// `--phase request --input-tokens N --output-tokens M` with `--batch` as concurrent requests.
    @Test func requestPhaseFromTheCommandLine() throws {
        let r = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3.1-8b", "--batch", "1,64", "--gpus-per-replica", "1",
                                "--phase", "request", "--input-tokens", "1000", "--output-tokens", "250", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.csv(r.stdout)
        #expect(rows.count == 2)
        for row in rows {
            #expect(row["phase"] == "request" && row["input_tokens"] == "1000" && row["output_tokens"] == "250")
            #expect(row["workload"] == "1,000 in / 250 out")
            let ttft = Double(row["ttft_s"] ?? "") ?? 0, tpot = Double(row["tpot_s"] ?? "") ?? 0, e2e = Double(row["e2e_s"] ?? "") ?? 0
            #expect(abs(e2e - (ttft + 249 * tpot)) <= 1e-5 * e2e)
            let rps = Double(row["requests_per_s"] ?? "") ?? 0, usd = Double(row["usd_per_request"] ?? "") ?? 0
            #expect(abs(usd - 2.5 / 3600 / rps) <= 1e-5 * usd)
            #expect(Double(row["usd_per_mtok_input"] ?? "") != nil && Double(row["usd_per_mtok_output"] ?? "") != nil)
        }
        let table = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3.1-8b", "--batch", "8", "--gpus-per-replica", "1",
                                    "--input-tokens", "1000", "--output-tokens", "250"])
        #expect(table.stdout.contains("TTFT") && table.stdout.contains("$/request") && table.stdout.contains("1,000 in / 250 out"))
        let half = try ridgepoint(["eval", "--input-tokens", "1000"])
        #expect(half.status == 1 && half.stderr.contains("--output-tokens"))
    }

    /// A context beyond the model's maximum: evaluated, flagged, one warning line on stderr.
    @Test func beyondMaxContextWarnsOnce() throws {
        let r = try ridgepoint(["eval", "--gpu", "h100,h200", "--model", "llama-3-8b", "--batch", "1,8", "--context", "16384,32768",
                                "--phase", "decode", "--gpus-per-replica", "1", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stderr == "warning: llama-3-8b supports 8192 tokens of context; rows up to 32768 tokens are evaluated and flagged beyond_max_context=true\n")
        #expect(Self.csv(r.stdout).allSatisfy { $0["beyond_max_context"] == "true" })
    }

    /// `--columns` lists the schema; JSON carries the same columns, and every row every key.
    @Test func columnsAreDeclaredOnce() throws {
        let list = try ridgepoint(["eval", "--columns", "--format", "csv"])
        #expect(list.status == 0)
        let names = list.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",").first ?? "") }
        let r = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3.1-8b", "--batch", "8", "--context", "1024",
                                "--phase", "all", "--gpus-per-replica", "1", "--format", "csv"])
        let header = r.stdout.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(header == names)
        #expect(header.count >= 48)
        #expect(Array(header.prefix(21)) == ["gpu", "model", "phase", "batch", "context", "gpus", "weights", "kv", "flops", "bytes",
                                              "intensity", "ridge", "bound", "step_s", "tokens_per_s", "weight_bytes",
                                              "kv_bytes_per_token", "memory_bytes", "capacity_bytes", "fits", "usd_per_mtok"])
        let j = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3.1-8b", "--batch", "8", "--context", "1024",
                                "--phase", "all", "--gpus-per-replica", "1", "--format", "json"])
        let obj = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        let cols = (obj?["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(cols == names)
        let rows = obj?["rows"] as? [[String: Any]] ?? []
        // Decode and prefill at the one context, and one request row per workload of the default spec.
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { Set($0.keys) == Set(names) })
        #expect(rows.map { $0["phase"] as? String } == ["decode", "prefill", "request", "request", "request"])
        #expect(rows.map { $0["workload"] as? String } == [nil, nil, "chat", "retrieval", "long document"])
        #expect(rows[0]["ttft_s"] is NSNull && rows[2]["ttft_s"] is Double)
        // Markdown shows the request columns when request rows are present.
        let md = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3.1-8b", "--batch", "8", "--context", "1024",
                                 "--phase", "all", "--gpus-per-replica", "1", "--format", "md"])
        #expect(md.stdout.hasPrefix("| GPU | model | phase |") && md.stdout.contains("TTFT") && md.stdout.contains("$/request"))
    }

    /// README documents every column of the schema.
    @Test func readmeDocumentsEveryColumn() throws {
        let list = try ridgepoint(["eval", "--columns", "--format", "csv"])
        let names = list.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",").first ?? "") }
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for n in names { #expect(readme.contains("`\(n)`"), "README does not document the column \(n)") }
    }

    /// Only RidgepointCore's Physics and Evaluation folders compute a step: no other source file
    /// spells out the FLOPs of a token, a weight read over bandwidth or a compute roof.
    @Test func noSecondStepFormula() throws {
        let forbidden = ["2 * m.activeParams", "2 * model.activeParams", "totalParams * 2", "peakFlops / (2",
                         "/ dep.bandwidth", "/ d.bandwidth", "decodeTerms", "weightBytes / dep.bandwidth"]
        let sources = packageRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        for f in files {
            let rel = f.path.replacingOccurrences(of: sources.path + "/", with: "")
            if rel.hasPrefix("RidgepointCore/Physics/") || rel.hasPrefix("RidgepointCore/Evaluation/") { continue }
            let text = try String(contentsOf: f, encoding: .utf8)
            for pattern in forbidden { #expect(!text.contains(pattern), "\(rel) computes physics outside the evaluation layer: \(pattern)") }
        }
    }
}
