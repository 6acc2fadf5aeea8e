import Foundation
import RidgepointCore
import RidgepointFormatting

/// The values a report template can use. Every key is documented in README.md ("Templates").
public enum ReportContext {
    /// The GPU that per-model charts with `gpu=best` draw: the winner of the first workload
    /// that has one, else the spec's first GPU.
    public static func bestGPU(for model: Model, recommendations: [Recommendation], spec: Spec) -> GPU {
        recommendations.lazy.filter { $0.model.id == model.id }.compactMap { $0.winner?.deployment.gpu }.first ?? spec.gpus[0]
    }

    /// Fits of the efficiency model to the spec's measurements of its own GPUs.
    public static func fits(_ spec: Spec) -> [Calibration.Fit] {
        let ids = Set(spec.gpus.map(\.id))
        let points = spec.measurements.filter { ids.contains($0.gpu.id) }
        guard !points.isEmpty else { return [] }
        var base = spec
        base.efficiency = .calibrated
        return Calibration.fitAll(points, spec: base)
    }

    public static func make(spec: Spec, recommendations: [Recommendation], version: String, fits: [Calibration.Fit] = [],
                            decisions: [WorkloadDecision] = []) -> [String: Any] {
        func decision(_ r: Recommendation) -> WorkloadDecision? {
            decisions.first { $0.recommendation.model.id == r.model.id && $0.recommendation.workload.name == r.workload.name }
        }
        var c: [String: Any] = [:]
        c["title"] = spec.title
        c["spec_file"] = spec.file == "<default spec>" ? "the built-in default spec" : (spec.file as NSString).lastPathComponent
        c["version"] = version
        c["gpu_count"] = spec.gpus.count
        c["model_count"] = spec.models.count
        c["cell_count"] = Fmt.grouped(spec.cellCount)
        c["batch_sizes"] = spec.batchSizes.map(String.init).joined(separator: ", ")
        c["contexts"] = spec.contexts.map { Fmt.grouped($0) }.joined(separator: ", ")
        // Every replica size the sweep uses: tp × pp, and P + D GPUs for disaggregated pools.
        var sizes: [Int] = []
        for n in spec.gpusPerReplica {
            for mode in spec.modes where spec.models.contains(where: { spec.applies(mode, model: $0, tp: n) }) {
                let g = mode.disaggregated.map { $0.prefillGPUs + $0.decodeGPUs } ?? n * mode.pp
                if !sizes.contains(g) { sizes.append(g) }
            }
        }
        sizes.sort()
        c["replica_sizes"] = sizes.map(String.init).joined(separator: ", ")
        c["replica_sizes_text"] = Fmt.sentenceList(sizes.map(String.init)) + (sizes == [1] ? " GPU" : " GPUs")
        c["gpu_count_text"] = Fmt.count(spec.gpus.count, "GPU")
        c["workload_count_text"] = Fmt.count(spec.effectiveWorkloads.count, "request workload")
        c["weights"] = spec.weights.rawValue
        c["kv"] = spec.kv.rawValue
        c["efficiency"] = spec.efficiency.name
        c["is_ideal"] = spec.efficiency == .ideal
        c["convention"] = spec.convention.name
        c["convention_summary"] = spec.convention.summary
        c["is_physical"] = spec.convention == .physical
        c["edition"] = spec.edition
        c["is_instructor"] = spec.edition == "instructor"
        c["has_slo"] = !spec.slo.isEmpty
        c["tpot_ms"] = spec.slo.tpotMs.map { Fmt.number($0, sig: 4) } ?? ""
        c["ttft_ms"] = spec.slo.ttftMs.map { Fmt.number($0, sig: 4) } ?? ""
        c["has_tpot"] = spec.slo.tpotMs != nil
        c["has_ttft"] = spec.slo.ttftMs != nil
        c["memory_reserve_percent"] = Fmt.number(spec.memoryReserve * 100, sig: 3)
        c["prefill_chunk_tokens"] = Fmt.grouped(spec.serving.prefillChunkTokens)
        c["gpu_list"] = spec.gpus.map(\.shortName).joined(separator: ", ")
        c["model_list"] = spec.models.map(\.name).joined(separator: ", ")
        c["gpus"] = spec.gpus.map { g -> [String: Any] in
            let d = spec.deployment(g, spec.models[0], gpus: 1)
            return ["id": g.id, "name": g.displayName, "tflops": Fmt.number(d.peakPerGPU / 1e12, sig: 4), "precision": d.computePrecision.rawValue,
                    "bandwidth_tbs": Fmt.number(d.bandwidthPerGPU / 1e12, sig: 4), "memory_gb": Fmt.number(g.memoryBytes / 1e9, sig: 4),
                    "ridge": Fmt.sigGrouped(d.datasheetRidge, 3), "usd_per_hour": Fmt.fixed(d.usdPerHour, 2),
                    "price_as_of": g.price.asOf]
        }
        let workloads = spec.effectiveWorkloads
        c["has_declared_workloads"] = !spec.workloads.isEmpty
        c["workload_count"] = workloads.count
        c["workloads"] = workloads.enumerated().map { i, w in var x = workloadContext(w); x["index"] = i + 1; return x }
        c["models"] = spec.models.enumerated().map { i, m -> [String: Any] in
            let recs = recommendations.filter { $0.model.id == m.id }
            let best = bestGPU(for: m, recommendations: recommendations, spec: spec).id
            return ["id": m.id, "name": m.name, "index": i + 1, "params_b": Fmt.number(m.totalParams / 1e9, sig: 4),
                    "active_params_b": Fmt.number(m.activeParams / 1e9, sig: 4), "is_moe": m.moe != nil,
                    "attention": m.attentionKind.rawValue, "kv_bytes_per_token": Fmt.grouped(Int(m.kvBytesPerToken(spec.kv.bytes))),
                    "best_gpu": best, "first_workload": workloads.first?.name ?? "", "recommendations": recs.map { recommendationContext($0, fits: fits, decision: decision($0), modes: spec.modes) }]
        }
        c["recommendations"] = recommendations.map { recommendationContext($0, fits: fits, decision: decision($0), modes: spec.modes) }
        let econ = spec.economics
        c["usd_per_kwh"] = Fmt.fixed(econ.power.usdPerKwh, 3)
        c["pue"] = Fmt.number(econ.power.pue)
        c["ownership_years"] = Fmt.number(econ.ownership.years)
        c["utilisation_pct"] = Fmt.number(econ.ownership.utilisation * 100)
        c["hosting_usd_per_gpu_month"] = Fmt.number(econ.ownership.hostingUsdPerGpuMonth)
        c["headroom_pct"] = Fmt.number(spec.headroom * 100)
        c["sensitivity_range_pct"] = Fmt.number(spec.sensitivityRange * 100)
        c["has_rates"] = spec.effectiveWorkloads.contains { $0.requestsPerSecond != nil }
        // The section compares model and measurement for the spec's own GPUs and models: measured
        // points of other models only (a report for a model of your own) leave it out.
        let gpuIDs = Set(spec.gpus.map(\.id)), modelIDs = Set(spec.models.map(\.id))
        c["has_measurements"] = !fits.isEmpty && spec.measurements.contains { gpuIDs.contains($0.gpu.id) && modelIDs.contains($0.model.id) }
        c["is_fitted"] = spec.efficiency.name == "fitted"
        c["measurement_count"] = fits.reduce(0) { $0 + $1.points }
        // Whether each fit may stand in for the GPU's default calibrated factors, and why.
        c["adoptions"] = fits.map { f -> [String: Any] in
            let a = Calibration.adoption(f)
            return ["gpu": f.gpu.shortName, "engine": f.engine.isEmpty || f.engine == "all" ? "" : " (\(f.engine))",
                    "verdict": a.adopted ? "adopted — \(a.reason)" : "microbenchmark factors kept — \(a.reason)"]
        }
        c["measured_gpus"] = fits.map(\.gpu.shortName).joined(separator: ", ")
        let ids = Set(spec.gpus.map(\.id))
        if let err = Calibration.errorOfSpec(spec.measurements.filter { ids.contains($0.gpu.id) }, spec: spec) {
            c["has_spec_error"] = true
            c["spec_error_pct"] = Fmt.sigGrouped(err.mape, 2)
            c["spec_optimistic_pct"] = Fmt.sigGrouped(err.optimisticShare * 100, 2)
            c["spec_error_metrics"] = Fmt.grouped(err.metrics)
        } else {
            c["has_spec_error"] = false
        }
        // Serving modes beyond plain tensor parallelism, each explained in one paragraph.
        let modes = spec.modes.filter { !$0.isPlain }
        c["has_serving_modes"] = !modes.isEmpty
        c["serving_mode_list"] = spec.modes.map(\.description).joined(separator: "; ")
        c["has_disaggregation"] = modes.contains { $0.disaggregated != nil }
        c["serving_paragraphs"] = Assumptions.servingNotes(spec).map { ["title": $0.title, "text": $0.text] }
        c["headlines"] = c["recommendations"]
        return c
    }

    static func workloadContext(_ w: Workload) -> [String: Any] {
        var slo: [String] = []
        if let t = w.slo.ttftMs { slo.append("TTFT\u{00A0}≤\u{00A0}\(Fmt.number(t))\u{00A0}ms") }
        if let t = w.slo.tpotMs { slo.append("TPOT\u{00A0}≤\u{00A0}\(Fmt.number(t))\u{00A0}ms") }
        return ["name": w.name, "input_tokens": Fmt.grouped(w.inputTokens), "output_tokens": Fmt.grouped(w.outputTokens),
                "shape": w.shape, "slo": slo.isEmpty ? "no latency target" : slo.joined(separator: ", "),
                "has_rate": w.requestsPerSecond != nil, "requests_per_s": w.requestsPerSecond.map { Fmt.number($0) } ?? ""]
    }

    static func recommendationContext(_ r: Recommendation, fits: [Calibration.Fit] = [], decision: WorkloadDecision? = nil,
                                      modes: [ServingMode] = [.plain]) -> [String: Any] {
        var c: [String: Any] = ["model_id": r.model.id, "model": r.model.name, "workload": r.workload.name,
                                "workload_shape": r.workload.shape, "has_winner": r.winner != nil,
                                "runner_up_reason": r.runnerUpReason]
        if let w = r.winner {
            let q = w.request
            c["gpu"] = w.deployment.gpu.shortName
            c["gpu_id"] = w.deployment.gpu.id
            c["gpu_name"] = w.deployment.gpu.shortName
            c["gpus"] = w.deployment.gpus
            c["gpus_text"] = Fmt.gpus(w.deployment.gpus)
            // Named whenever the spec searched modes (plain TP too), so the choice is visible.
            c["has_mode"] = !w.deployment.mode.isPlain || modes.contains { !$0.isPlain }
            c["mode"] = w.deployment.mode.isPlain ? "plain \(w.modeLabel)" : w.modeLabel
            c["mode_key"] = w.deployment.mode.key(tp: w.deployment.tp)
            c["batch"] = Fmt.grouped(w.batch)
            c["usd_per_request"] = Fmt.money(q.usdPerRequest)
            c["usd_per_1k_requests"] = Fmt.usd3(q.usdPerRequest * 1000)
            c["wh_per_request"] = q.joulesPerRequest.map { Fmt.sigGrouped($0 / 3600, 3) } ?? ""
            c["has_energy"] = q.joulesPerRequest != nil
            c["joules_per_token"] = w.row.joulesPerToken.map { Fmt.sigGrouped($0, 3) } ?? ""
            c["tokens_per_s_per_mw"] = w.outputTokensPerSecondPerMW.map { Fmt.sigGrouped($0, 3) } ?? ""
            if let u = w.deployment.breakEvenUtilisation {
                c["breakeven"] = "owning a \(w.deployment.gpu.shortName) beats renting it above \(Fmt.percent(u)) utilisation"
            } else if w.deployment.ownedUsdPerGpuHour != nil {
                c["breakeven"] = "renting a \(w.deployment.gpu.shortName) stays cheaper than owning it even at full utilisation"
            } else {
                c["breakeven"] = "the \(w.deployment.gpu.shortName) has no purchase price, so owning is not costed"
            }
            if let f = r.fleet(.rented) {
                c["has_fleet"] = true
                c["fleet_replicas_text"] = Fmt.count(f.replicas, "replica")
                c["fleet_load_pct"] = Fmt.percent(f.load)
                c["usd_per_month_rented"] = Fmt.sigGrouped(f.usdPerMonthRented, 3)
                c["usd_per_1k_requests_at_rate"] = f.usdPerThousandRequests(.rented).map { Fmt.usd3($0) } ?? ""
                c["fleet_avg_kw"] = f.averageBoardWatts.map { Fmt.sigGrouped($0 / 1000, 2) } ?? ""
                c["fleet_kw"] = f.boardWatts.map { Fmt.sigGrouped($0 / 1000, 3) } ?? ""
                c["fleet_facility_kw"] = f.facilityWatts.map { Fmt.sigGrouped($0 / 1000, 3) } ?? ""
                c["has_fleet_power"] = f.boardWatts != nil
            } else {
                c["has_fleet"] = false
            }
            if let o = r.winner(.owned), let cost = o.usdPerRequest(.owned) {
                c["has_owned"] = true
                c["owned_gpu"] = o.deployment.gpu.shortName
                c["owned_same_gpu"] = o.deployment.gpu.id == w.deployment.gpu.id
                c["owned_gpus_text"] = Fmt.gpus(o.deployment.gpus)
                c["owned_batch"] = Fmt.grouped(o.batch)
                c["owned_usd_per_1k_requests"] = Fmt.usd3(cost * 1000)
                if let f = r.fleet(.owned), let m = f.usdPerMonthOwned {
                    c["has_owned_fleet"] = true
                    c["owned_fleet_gpus"] = Fmt.gpus(f.gpus)
                    c["usd_per_month_owned"] = Fmt.sigGrouped(m, 3)
                    c["owned_capex"] = o.deployment.gpu.capex.map { Fmt.sigGrouped($0.usd * Double(f.gpus), 3) } ?? ""
                    c["owned_usd_per_1k_requests_at_rate"] = f.usdPerThousandRequests(.owned).map { Fmt.usd3($0) } ?? ""
                } else {
                    c["has_owned_fleet"] = false
                }
            } else {
                c["has_owned"] = false
            }
            c["usd_per_mtok_input"] = Fmt.money(q.usdPerMtokInput)
            c["usd_per_mtok_output"] = Fmt.money(q.usdPerMtokOutput)
            c["usd_per_mtok"] = Fmt.money(w.usdPerMtok)
            c["tpot_ms"] = Fmt.sigGrouped(w.tpot * 1000, 3)
            c["ttft_ms"] = Fmt.sigGrouped(w.ttft * 1000, 3)
            c["e2e_s"] = Fmt.sigGrouped(q.e2e, 3)
            c["requests_per_s"] = Fmt.sigGrouped(q.requestsPerSecond, 3)
            c["tokens_per_s_per_gpu"] = Fmt.sigGrouped(w.tokensPerSecondPerGPU, 3)
            c["bound"] = w.row.bound.rawValue
            c["has_replicas"] = r.replicas != nil
            c["replicas"] = r.replicas.map { Fmt.grouped($0) } ?? ""
            c["replicas_text"] = r.replicas.map { Fmt.count($0, "replica") } ?? ""
            c["workload_rate"] = r.workload.requestsPerSecond.map { Fmt.number($0) } ?? ""
            c["workload_rate_text"] = r.workload.requestsPerSecond.map { $0 == 1 ? "1 request/s" : "\(Fmt.number($0)) requests/s" } ?? ""
            c["fleet_gpus"] = r.replicas.map { Fmt.gpus($0 * w.deployment.gpus) } ?? ""
        } else {
            c["why_none"] = r.options.first?.whyNot ?? "no GPU qualifies"
        }
        // Sensitivity: what would change the winner.
        let rented = decision?.rented
        c["has_sensitivity"] = rented != nil
        c["sensitivity_sentence"] = rented.map { $0.sentence } ?? ""
        c["owned_sensitivity_sentence"] = decision?.owned.map { $0.sentence } ?? ""
        let flip = rented?.bars.first(where: \.flips)
        c["stable_within_range"] = rented?.robust ?? false
        if let b = flip, let g = b.winnerAtLow ?? b.winnerAtHigh {
            let atLow = b.winnerAtLow != nil
            c["fragility"] = "\(b.input.label) at \(b.input.format(atLow ? b.input.low : b.input.high)) makes the \(g.shortName) cheapest"
        } else if let x = rented?.crossovers.first(where: \.withinRange) {
            c["fragility"] = "the winner changes when " + x.phrase
        } else {
            c["fragility"] = ""
        }
        // Is the lead larger than the model's error against measurements? Only said when both
        // GPUs have measurements (the error: leave-one-out where there are enough points).
        c["robust"] = false; c["within_error"] = false; c["has_model_error"] = false
        if let w = r.winner, let ru = r.runnerUp, ru.deployment.gpu.id != w.deployment.gpu.id,
           let fw = fits.first(where: { $0.gpu.id == w.deployment.gpu.id }), let fr = fits.first(where: { $0.gpu.id == ru.deployment.gpu.id }) {
            let margin = (ru.usdPerRequest / w.request.usdPerRequest - 1) * 100
            let error = max(fw.leaveOneOutMape ?? fw.mape, fr.leaveOneOutMape ?? fr.mape)
            c["margin_pct"] = Fmt.number(margin, sig: 2)
            c["model_error_pct"] = Fmt.number(error, sig: 2)
            c["has_model_error"] = true
            c["robust"] = margin > error && (rented?.robust ?? false)
            c["within_error"] = margin <= error
        } else {
            // "Robust result" only when no input within its range changes the winner.
            c["robust"] = rented?.robust ?? false
        }
        if let ru = r.runnerUp {
            c["has_runner_up"] = true
            c["runner_up_gpu"] = ru.deployment.gpu.shortName
            c["runner_up_gpus"] = ru.deployment.gpus
            c["runner_up_usd_per_request"] = Fmt.money(ru.usdPerRequest)
        } else {
            c["has_runner_up"] = false
        }
        return c
    }
}
