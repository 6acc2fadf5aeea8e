import Foundation
import RidgepointCore

/// The values a report template can use. Every key is documented in README.md ("Templates").
public enum ReportContext {
    public static func make(spec: Spec, recommendations: [Recommendation], version: String) -> [String: Any] {
        var c: [String: Any] = [:]
        c["title"] = spec.title
        c["spec_file"] = spec.file == "<default spec>" ? "the built-in default spec" : (spec.file as NSString).lastPathComponent
        c["version"] = version
        c["gpu_count"] = spec.gpus.count
        c["model_count"] = spec.models.count
        c["cell_count"] = Fmt.grouped(spec.cellCount)
        c["batch_sizes"] = spec.batchSizes.map(String.init).joined(separator: ", ")
        c["contexts"] = spec.contexts.map { Fmt.grouped($0) }.joined(separator: ", ")
        c["replica_sizes"] = spec.gpusPerReplica.map(String.init).joined(separator: ", ")
        c["weights"] = spec.weights.rawValue
        c["kv"] = spec.kv.rawValue
        c["efficiency"] = spec.efficiency.name
        c["efficiency_compute"] = Fmt.g(spec.efficiency.compute * 100, 3) + " %"
        c["efficiency_memory"] = Fmt.g(spec.efficiency.memory * 100, 3) + " %"
        c["efficiency_interconnect"] = Fmt.g(spec.efficiency.interconnect * 100, 3) + " %"
        c["convention"] = spec.convention.name
        c["convention_summary"] = spec.convention.summary
        c["is_physical"] = spec.convention == .physical
        c["has_slo"] = spec.slo.tpotMs != nil || spec.slo.ttftMs != nil
        c["tpot_ms"] = spec.slo.tpotMs.map { Fmt.g($0, 4) } ?? ""
        c["ttft_ms"] = spec.slo.ttftMs.map { Fmt.g($0, 4) } ?? ""
        c["has_tpot"] = spec.slo.tpotMs != nil
        c["has_ttft"] = spec.slo.ttftMs != nil
        c["memory_reserve_percent"] = Fmt.g(spec.memoryReserve * 100, 3)
        c["gpu_list"] = spec.gpus.map(\.id).joined(separator: ", ")
        c["model_list"] = spec.models.map(\.name).joined(separator: ", ")
        c["gpus"] = spec.gpus.map { g -> [String: Any] in
            let p = g.computePrecision(for: spec.weights)
            let peak = g.peak(p, sparse: spec.convention.sparsePeak) ?? 0
            return ["id": g.id, "name": g.name, "tflops": Fmt.g(peak / 1e12, 4), "precision": p.rawValue,
                    "bandwidth_tbs": Fmt.g(g.bandwidth / 1e12, 4), "memory_gb": Fmt.g(g.memoryBytes / 1e9, 4),
                    "ridge": Fmt.sigGrouped(peak / g.bandwidth, 3), "usd_per_hour": Fmt.fixed(g.price.usdPerHour, 2),
                    "price_as_of": g.price.asOf]
        }
        c["models"] = spec.models.enumerated().map { i, m -> [String: Any] in
            let recs = recommendations.filter { $0.model.id == m.id }
            let headline = recs.first { $0.context == spec.contexts[spec.contexts.count / 2] }
            let best = headline?.winner?.deployment.gpu.id ?? spec.gpus[0].id
            return ["id": m.id, "name": m.name, "index": i + 1, "params_b": Fmt.g(m.totalParams / 1e9, 4),
                    "active_params_b": Fmt.g(m.activeParams / 1e9, 4), "is_moe": m.moe != nil,
                    "attention": m.attentionKind.rawValue, "kv_bytes_per_token": Fmt.grouped(Int(m.kvBytesPerToken(spec.kv.bytes))),
                    "best_gpu": best, "recommendations": recs.map(recommendationContext)]
        }
        c["recommendations"] = recommendations.map(recommendationContext)
        // The headline: each model at the middle context.
        let mid = spec.contexts[spec.contexts.count / 2]
        c["headline_context"] = Fmt.grouped(mid)
        c["headlines"] = recommendations.filter { $0.context == mid }.map(recommendationContext)
        return c
    }

    static func recommendationContext(_ r: Recommendation) -> [String: Any] {
        var c: [String: Any] = ["model_id": r.model.id, "model": r.model.name, "context": Fmt.grouped(r.context),
                                "has_winner": r.winner != nil, "runner_up_reason": r.runnerUpReason]
        if let w = r.winner {
            c["gpu"] = w.deployment.gpu.id
            c["gpu_name"] = w.deployment.gpu.name
            c["gpus"] = w.deployment.gpus
            c["batch"] = w.batch
            c["usd_per_mtok"] = Recommender.money(w.usdPerMtok)
            c["tpot_ms"] = Fmt.sigGrouped(w.tpot * 1000, 3)
            c["ttft_ms"] = Fmt.sigGrouped(w.ttft * 1000, 3)
            c["tokens_per_s_per_gpu"] = Fmt.sigGrouped(w.tokensPerSecondPerGPU, 3)
            c["bound"] = w.decode.bound.rawValue
        } else {
            c["why_none"] = r.options.first?.whyNot ?? "no GPU qualifies"
        }
        if let ru = r.runnerUp {
            c["has_runner_up"] = true
            c["runner_up_gpu"] = ru.deployment.gpu.id
            c["runner_up_gpus"] = ru.deployment.gpus
            c["runner_up_usd_per_mtok"] = Recommender.money(ru.usdPerMtok)
        } else {
            c["has_runner_up"] = false
        }
        return c
    }
}
