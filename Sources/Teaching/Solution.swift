import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Collects the steps and answers of a solution as it is worked.
struct Solution {
    var steps: [Step] = []
    var answers: [Quantity] = []

    /// Adds a step; when `answer` is set its result is also an answer.
    @discardableResult
    mutating func step(_ title: String, formula: String, substitution: String, key: String, label: String,
                       value: Double, unit: String, sig: Int = 4, display: String? = nil, answer: Bool = true,
                       table: StepTable? = nil, _ interpretation: String) -> Double {
        let q = Quantity.number(key, label, value, unit, sig: sig, display: display)
        steps.append(Step(title: title, formula: formula, substitution: substitution, result: q,
                          interpretation: interpretation, table: table))
        if answer { answers.append(q) }
        return value
    }

    /// Adds an answer without a step of its own.
    mutating func answer(_ key: String, _ label: String, _ value: Double, _ unit: String, sig: Int = 4) {
        answers.append(.number(key, label, value, unit, sig: sig))
    }
}

/// Helpers shared by the generators.
enum Gen {
    static func dep(_ g: GPU, _ m: Model, _ c: Convention, price: Double? = nil, gpus: Int = 1,
                    weights: WeightFormat = .bf16, kv: KVFormat = .bf16, reserve: Double = 0.1) -> Deployment {
        Deployment(gpu: g, model: m, gpus: gpus, weights: weights, kv: kv, efficiency: .ideal, convention: c,
                   reserveFraction: reserve, usdPerHour: price)
    }

    /// Short, escaped display name of a GPU ("A100", "H100").
    /// Seed-stated GPUs keep the seed's short name ("A100", "H100"); catalog GPUs use their id
    /// in capitals ("A100-40GB", "A100-80GB"), which is unambiguous.
    static func name(_ g: GPU) -> String {
        Markup.escape(g.origin.hasPrefix("seed") || g.id == "ridge-300" ? (g.aliases.first ?? g.id) : g.id.uppercased())
    }
    static func name(_ m: Model) -> String { Markup.escape(m.name) }

    /// Key fragment for a GPU: its catalog id without a "-seedNNN" suffix, in snake_case.
    static func key(_ g: GPU) -> String {
        var id = g.id
        if let r = id.range(of: "-seed", options: .backwards) { id = String(id[..<r.lowerBound]) }
        return snake(id)
    }
    static func snake(_ s: String) -> String {
        String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// "2 × " when the convention reads weights twice, "" otherwise.
    static func factor(_ c: Convention) -> String { c.weightReadFactor == 1 ? "" : "\(Num.markup(c.weightReadFactor)) × " }
    static func factorSym(_ c: Convention) -> String { c.weightReadFactor == 1 ? "" : "\(Num.markup(c.weightReadFactor))·" }

    /// Given data for a GPU under a convention: its peak (dense, or sparse where the convention says), bandwidth.
    static func gpuGiven(_ d: Deployment, _ k: String, price: Double? = nil) -> [Quantity] {
        let n = name(d.gpu)
        let kind = d.usesSparsePeak && d.gpu.peak(d.computePrecision, sparse: true) != d.gpu.peak(d.computePrecision) ? "2:4-sparse" : "dense"
        var out: [Quantity] = [
            .text("gpu_\(k)", "GPU \(k.uppercased())", plainText(name(d.gpu))),
            .number("peak_\(k)", "Π" + Markup.sub(k.uppercased()) + ": \(n) \(d.computePrecision.rawValue.uppercased()) peak (\(kind))", d.peakPerGPU, "FLOP/s",
                    display: Num.markup(d.peakPerGPU / 1e12, sig: 6) + " TFLOPS"),
            .number("bandwidth_\(k)", "β" + Markup.sub(k.uppercased()) + ": \(n) memory bandwidth", d.bandwidth, "B/s",
                    display: Num.markup(d.bandwidth / 1e12, sig: 6) + " TB/s"),
        ]
        if let price {
            out.append(.number("price_\(k)", "p" + Markup.sub(k.uppercased()) + ": \(n) price", price, "$/h", display: "$" + Fmt.fixed(price, 2) + " per GPU-hour"))
        }
        return out
    }

    static func modelGiven(_ m: Model, bytesPerWeight: Double = 2) -> [Quantity] {
        var out: [Quantity] = [
            .text("model", "Model", m.name),
            .number("params", "N: total parameters", m.totalParams, "1", display: Num.markup(m.totalParams)),
        ]
        if m.activeParams != m.totalParams {
            out.append(.number("active_params", "A: parameters active per token", m.activeParams, "1", display: Num.markup(m.activeParams)))
        } else {
            out.append(.number("active_params", "A: parameters active per token (dense: A = N)", m.activeParams, "1", display: Num.markup(m.activeParams)))
        }
        // The embedding table's size (V·d), which the solutions subtract from the FLOPs and the
        // weight read: given, so every step can be reproduced from the table.
        if !m.isDeclared {
            out.append(.number("vocab_size", "<i>V</i>: vocabulary size", Double(m.vocabSize), "1", display: Fmt.grouped(m.vocabSize)))
            out.append(.number("hidden_size", "<i>d</i>: hidden size", Double(m.hiddenSize), "1", display: Fmt.grouped(m.hiddenSize)))
            // The attention shape, which the KV and attention-FLOP formulas use.
            out.append(.number("layers", "<i>L</i>: layers", Double(m.layers), "1", display: Fmt.grouped(m.layers)))
            out.append(.number("query_heads", Sym.s("h", "q") + ": query heads", Double(m.attentionHeads), "1", display: Fmt.grouped(m.attentionHeads)))
            out.append(.number("kv_heads", Sym.s("h", "kv") + ": KV heads", Double(m.kvHeads), "1", display: Fmt.grouped(m.kvHeads)))
            out.append(.number("head_dim", Sym.s("d", "h") + ": head dimension", Double(m.headDim), "1", display: Fmt.grouped(m.headDim)))
        }
        let format = bytesPerWeight == 2 ? "BF16" : bytesPerWeight == 1 ? "FP8" : bytesPerWeight == 0.5 ? "INT4" : "\(Num.plain(bytesPerWeight)) B"
        out.append(.number("bytes_per_weight", "b" + Markup.sub("w") + ": bytes per weight (\(format))", bytesPerWeight, "B"))
        return out
    }

    static func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? .infinity : a / b }

    /// A term of the physics as a solution shows it: its formula, the numbers substituted, and
    /// the value — always the evaluation layer's value.
    struct Term {
        var formula: String
        var substitution: String
        var value: Double
    }

    /// Whether the deployment counts the embedding table and LM head apart (physical convention,
    /// a model with an architecture and untied embeddings).
    static func splitsEmbeddings(_ d: Deployment) -> Bool {
        d.convention.refinements && !d.model.isDeclared && !d.model.tiedEmbeddings
    }

    /// F: FLOPs per generated token (matrix work without attention): 2·A, or physically
    /// 2·(A − V·d) when the input embedding is a gather and the LM head is counted once.
    static func flopsPerToken(_ d: Deployment) -> Term {
        let a = d.model.activeParams
        if splitsEmbeddings(d) {
            return Term(formula: "2·(<i>A</i> − <i>V</i>·<i>d</i>)",
                        substitution: "2 × (\(Num.markup(a)) − \(Num.markup(d.model.lmHeadParams)))", value: d.flopsPerGeneratedToken)
        }
        return Term(formula: "2·<i>A</i>", substitution: "2 × \(Num.markup(a))", value: d.flopsPerGeneratedToken)
    }

    /// W: weight bytes a decode step reads — at batch 1 (MoE: the experts one token touches) or
    /// with every expert read (`allExperts`). The seeds' N·b_w; physically the body, the LM head
    /// and one gathered embedding row per token, never the input table.
    static func weightRead(_ d: Deployment, allExperts: Bool) -> Term {
        let value = allExperts ? d.weightBytesRead(tokens: 0, expertTokens: .infinity) : d.weightBytesRead(tokens: 1)
        let moeAtOne = d.model.moe != nil && !allExperts
        let bw = s.s("b", "w")
        if splitsEmbeddings(d) {
            let body = (allExperts ? d.model.bodyParams : d.model.bodyParamsTouched(tokens: 1))
            let formula = moeAtOne ? "<i>W</i> = (non-expert + touched experts)·\(bw) + <i>V</i>·<i>d</i>·\(s.s("b", "e"))"
                                   : "<i>W</i> = (<i>N</i> − 2·<i>V</i>·<i>d</i>)·\(bw) + <i>V</i>·<i>d</i>·\(s.s("b", "e"))"
            return Term(formula: formula,
                        substitution: "\(Num.markup(body)) × \(Num.markup(d.storage.bodyBytesPerWeight)) B + \(Num.markup(d.model.lmHeadParams)) × \(Num.markup(d.storage.embeddingBytesPerWeight)) B",
                        value: value)
        }
        let params = allExperts ? d.model.totalParams : d.model.paramsTouched(tokens: 1)
        let formula = "<i>W</i> = \(factorSym(d.convention))\(moeAtOne ? "<i>A</i>" : "<i>N</i>")·\(bw)"
        return Term(formula: formula, substitution: "\(factor(d.convention))\(Num.markup(params)) × \(Num.markup(d.weights.bytes)) B", value: value)
    }
    static let s = Sym.self

    /// GPUs whose usable memory holds the weights in at most `fraction` of it (the rest for KV).
    static func gpusToHold(_ g: GPU, _ m: Model, _ c: Convention, fraction: Double) -> Int {
        let one = dep(g, m, c)
        return max(1, Int((one.weightBytes / (one.usableBytes * fraction)).rounded(.up)))
    }

    /// The 16-bit format the question names: "BF16", or — when a GPU has no BF16 tensor cores
    /// (P100, V100) — "16-bit floats (BF16; FP16 on the V100, which has no BF16)": the same 2 bytes
    /// per weight, and the peak the solution uses is that GPU's FP16 one.
    static func sixteenBit(_ gpus: [GPU]) -> String {
        let without = gpus.filter { $0.peaks[.bf16] == nil && $0.peaks[.fp16] != nil }
        guard !without.isEmpty else { return "BF16" }
        var names: [String] = []
        for g in without where !names.contains(name(g)) { names.append(name(g)) }
        return "16-bit floats (BF16; FP16 on the \(Fmt.sentenceList(names)), which \(names.count == 1 ? "has" : "have") no BF16 tensor cores — the same 2 bytes per weight)"
    }

    /// What "short context" allows at `batch`: the KV tokens per sequence that fit beside the
    /// weights, or that even the weights or one token per sequence do not fit (the exercise then
    /// idealises the cache away, and says so).
    static func shortContextNote(_ d: Deployment, batch: Int) -> String {
        let perToken = d.kvBytesPerCachedToken
        guard d.weightsFit else {
            return " (The weights alone exceed one \(name(d.gpu))'s memory: the numbers show the bandwidth and compute limits, not a deployment that runs.)"
        }
        let tokens = perToken > 0 ? d.kvBudgetBytes / (Double(batch) * perToken) : .infinity
        if tokens >= 1 {
            return " At <i>B</i> = \(Fmt.grouped(batch)) each sequence can keep at most \(Fmt.grouped(Int(tokens))) tokens of KV cache beside the weights: that is what “short context” means here."
        }
        return " At <i>B</i> = \(Fmt.grouped(batch)) not even one token of KV cache per sequence fits beside the weights: the exercise idealises the cache away to isolate the weight read, as the seed does."
    }

    /// Numbers in a substitution: value and unit in markup.
    static func v(_ x: Double, _ unit: String = "", sig: Int = 4) -> String { Sym.v(x, unit, sig: sig) }
    static func tf(_ flops: Double) -> String { Num.markup(flops / 1e12) + " × 10" + Markup.sup("12") + " FLOP/s" }
    static func tb(_ bps: Double) -> String { Num.markup(bps / 1e12) + " × 10" + Markup.sup("12") + " B/s" }
}

/// Errata: compares a solution under a seed's convention with the physical one, key by key.
enum Errata {
    /// The answers whose value differs by more than 0.5 % between the conventions, grouped into
    /// one erratum per reason (each lists "label: convention value → physical value").
    static func diff(_ seed: Exercise, _ physical: Exercise, location: String,
                     reasons: [String: String], fallback: String) -> [Erratum] {
        var order: [String] = []
        var groups: [String: [(String, String, String)]] = [:]
        for q in seed.answers {
            guard let s = q.value.number, let p = physical.answer(q.key) else { continue }
            let differs = s == 0 ? p != 0 : abs(s - p) > 0.005 * abs(s)
            guard differs else { continue }
            let pq = physical.answers.first { $0.key == q.key }
            let reason = reasons.filter { q.key.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value ?? fallback
            if groups[reason] == nil { order.append(reason) }
            groups[reason, default: []].append((q.label, q.display, pq?.display ?? Num.markup(p)))
        }
        return order.map { reason in
            let items = groups[reason] ?? []
            return Erratum(seed: "", location: "\(location), \(seed.convention) convention",
                           printed: items.map { "\($0.0): \($0.1)" }.joined(separator: "; "),
                           correct: items.map { "\($0.0): \($0.2)" }.joined(separator: "; "), reason: reason,
                           convention: seed.convention)
        }
    }
}
