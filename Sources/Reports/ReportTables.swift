import Canvas
import DocumentLayout
import Foundation
import RidgepointCharts
import RidgepointCore
import RidgepointFormatting

extension ReportBuilder {
    /// What the recommendation's numbers rest on: ideal, calibrated or fitted efficiency.
    static func efficiencyBasis(_ spec: Spec) -> String {
        switch spec.efficiency {
        case .ideal: return "The figures assume ideal efficiency (datasheet peaks, no overhead): lower bounds."
        case .calibrated: return "The figures rest on calibrated efficiency: each GPU's published kernel measurements and a per-step overhead."
        case .custom: return "The figures rest on the efficiency factors set in the spec."
        case .fitted: return "The figures rest on efficiency fitted to the spec's measurements (GPUs without measurements: calibrated)."
        }
    }

    func table(_ name: String, _ d: DocMarkup.Directive, recs: [Recommendation], fits: [Calibration.Fit] = [],
               decisions: [WorkloadDecision] = []) throws -> Table {
        let e = Markup.escape
        switch name {
        case "recommendations":
            let rows = recs.map { r -> [String] in
                guard let w = r.winner else {
                    return [e(r.model.name), e(r.workload.name), "<i>none</i>", "", "", "", "", "", "", "", e(r.options.first?.whyNot ?? "")]
                }
                let q = w.request
                let mode = w.deployment.mode.isPlain ? "" : " <small>\(e(w.modeLabel))</small>"
                return [e(r.model.name), e(r.workload.name), "<b>\(e(w.deployment.gpu.shortName))</b>\(mode)", "\(w.deployment.gpus)", Fmt.grouped(w.batch),
                        "$" + Fmt.usd3(q.usdPerRequest * 1000), "$" + Fmt.money(q.usdPerMtokInput), "$" + Fmt.money(q.usdPerMtokOutput),
                        Fmt.sigGrouped(w.ttft * 1000, 3), Fmt.sigGrouped(w.tpot * 1000, 3), e(r.runnerUpShort)]
            }
            return Table(columns: [TableColumn("Model", weight: 1.1), TableColumn("Workload", weight: 1.1),
                                   TableColumn("GPU", weight: 1.2), TableColumn("GPUs", alignment: .right, weight: 0.55),
                                   TableColumn("Batch", alignment: .right, weight: 0.65), TableColumn("$ per 1,000 requests", alignment: .right, weight: 0.85),
                                   TableColumn("$/Mtok in", alignment: .right, weight: 0.75), TableColumn("$/Mtok out", alignment: .right, weight: 0.8),
                                   TableColumn("TTFT ms", alignment: .right, weight: 0.7), TableColumn("TPOT ms", alignment: .right, weight: 0.7),
                                   TableColumn("Next cheapest ($ per 1,000 requests, difference)", weight: 2.1)],
                         rows: rows.rich, caption: ("Recommended configuration per model and workload: the lowest cost per request that meets the workload's latency targets, fits in memory and uses a tensor-parallel degree serving engines accept; the batch is solved for, not taken from a grid. " + Self.efficiencyBasis(spec)).rich, fontSize: 7)
        case "modes":
            // Per workload, the winner's GPU under each serving mode the spec allows.
            var rows: [[String]] = []
            let disaggregated = spec.modes.contains { $0.disaggregated != nil }
            for r in recs {
                guard let w = r.winner else { continue }
                let cs = Recommender.candidates(spec, gpu: w.deployment.gpu, model: r.model, workload: r.workload)
                var best: [(ServingMode, Candidate)] = []
                for c in cs where c.acceptable {
                    if let i = best.firstIndex(where: { $0.0 == c.deployment.mode }) {
                        if Recommender.cheaper(c, best[i].1) { best[i].1 = c }
                    } else {
                        best.append((c.deployment.mode, c))
                    }
                }
                let plain = best.first { $0.0.isPlain }?.1
                for mode in spec.modes.filter({ $0.isPlain }) + spec.modes.filter({ !$0.isPlain }) {
                    let label = mode.description
                    guard let c = best.first(where: { $0.0 == mode })?.1 else {
                        if spec.gpusPerReplica.contains(where: { spec.applies(mode, model: r.model, tp: $0) }) {
                            rows.append([e(r.model.name), e(r.workload.name), e(label), "", "", "", "", ""] + (disaggregated ? [""] : [])
                                        + ["<i>no configuration meets the targets</i>"])
                        }
                        continue
                    }
                    let q = c.request
                    let vs = plain.map { p in c.usdPerRequest == p.usdPerRequest ? "—" : (c.usdPerRequest > p.usdPerRequest ? "+" : "−") + Fmt.percent(abs(c.usdPerRequest / p.usdPerRequest - 1)) } ?? ""
                    var row = [e(r.model.name), e(r.workload.name), (c.deployment.mode == w.deployment.mode ? "<b>" : "") + e(c.modeLabel) + (c.deployment.mode == w.deployment.mode ? "</b>" : ""),
                               "\(c.deployment.gpus)", Fmt.grouped(c.batch), "$" + Fmt.usd3(q.usdPerRequest * 1000),
                               Fmt.sigGrouped(c.ttft * 1000, 3), Fmt.sigGrouped(c.tpot * 1000, 3)]
                    if disaggregated { row.append(q.kvTransfer.map { Fmt.sigGrouped($0 * 1000, 3) } ?? "") }
                    rows.append(row + [vs])
                }
            }
            return Table(columns: [TableColumn("Model", weight: 1.25), TableColumn("Workload", weight: 0.9),
                                   TableColumn("Serving mode", weight: 2.1), TableColumn("GPUs", alignment: .right, weight: 0.55),
                                   TableColumn("Batch", alignment: .right, weight: 0.6), TableColumn("$ per 1,000 requests", alignment: .right, weight: 0.85),
                                   TableColumn("TTFT ms", alignment: .right, weight: 0.65), TableColumn("TPOT ms", alignment: .right, weight: 0.65)]
                                   + (disaggregated ? [TableColumn("KV transfer ms", alignment: .right, weight: 0.7)] : [])
                                   + [TableColumn("vs plain TP", alignment: .right, weight: 0.9)],
                         rows: rows.rich, caption: ("Each serving mode's cheapest configuration that meets the targets, on each workload's recommended GPU (the mode in bold is the recommendation). Costs per request count every GPU the mode uses" + (spec.modes.contains { $0.disaggregated != nil } ? ": both pools when prefill is disaggregated. " : ". ") + Self.efficiencyBasis(spec)).rich, fontSize: 7)
        case "workloads":
            let rows = spec.effectiveWorkloads.map { w -> [String] in
                let ctx = ReportContext.workloadContext(w)
                return [e(w.name), Fmt.grouped(w.inputTokens), Fmt.grouped(w.outputTokens), e(ctx["slo"] as? String ?? ""),
                        w.requestsPerSecond.map { Fmt.number($0) } ?? "", e(w.origin.hasPrefix("derived") ? w.origin : "spec")]
            }
            return Table(columns: [TableColumn("Workload", weight: 1.4), TableColumn("Input tokens", alignment: .right, weight: 0.8),
                                   TableColumn("Output tokens", alignment: .right, weight: 0.8), TableColumn("Latency targets", weight: 1.6),
                                   TableColumn("Requests/s", alignment: .right, weight: 0.8), TableColumn("Defined by", weight: 1.2)],
                         rows: rows.rich, caption: "The workloads the recommendations are made for.")
        case "comparison":
            let sub = try subSpec(d)
            guard let m = sub.models.first else { throw DirectiveError(Messages.Text.missing("model=ID", help: "this table is about one model")) }
            let workloads = spec.effectiveWorkloads
            var workload = workloads[0]
            if let name = d.options["workload"] {
                if let k = Int(name) {
                    guard k >= 1 && k <= workloads.count else {
                        throw DirectiveError(Messages.Templates.workloadOutOfRange(k, count: workloads.count))
                    }
                    workload = workloads[k - 1]
                } else {
                    guard let w = workloads.first(where: { $0.name == name }) else {
                        throw DirectiveError(Messages.Text.unknown("workload", name, among: workloads.map(\.name)))
                    }
                    workload = w
                }
            }
            let rec = recs.first { $0.model.id == m.id && $0.workload == workload } ?? Recommender.recommend(spec, model: m, workload: workload)
            let rows = rec.options.map { o -> [String] in
                guard let b = o.best else { return [e(o.gpu.shortName), "", "", "", "", "", "", "", e(o.whyNot ?? "")] }
                let q = b.request
                let mode = b.deployment.mode.isPlain ? "" : " <small>\(e(b.modeLabel))</small>"
                return [e(o.gpu.shortName) + mode, "\(b.deployment.gpus)", Fmt.grouped(b.batch), Fmt.sigGrouped(b.ttft * 1000, 3), Fmt.sigGrouped(b.tpot * 1000, 3),
                        Fmt.sigGrouped(q.requestsPerSecond, 3), Fmt.sigGrouped(b.tokensPerSecondPerGPU, 3), "$" + Fmt.usd3(q.usdPerRequest * 1000),
                        b.row.bound.rawValue]
            }
            return Table(columns: [TableColumn("GPU", weight: 1.3), TableColumn("GPUs", alignment: .right, weight: 0.55),
                                   TableColumn("Batch", alignment: .right, weight: 0.65), TableColumn("TTFT ms", alignment: .right, weight: 0.75),
                                   TableColumn("TPOT ms", alignment: .right, weight: 0.75), TableColumn("req/s", alignment: .right, weight: 0.7),
                                   TableColumn("tok/s per GPU", alignment: .right, weight: 0.9),
                                   TableColumn("$ per 1,000 req.", alignment: .right, weight: 0.85), TableColumn("Bound / why not", weight: 2.2)],
                         rows: rows.rich, caption: "\(e(m.name)), workload \(e(workload.name)) (\(e(workload.shape))): each GPU's cheapest qualifying configuration, cheapest first. \"Bound\" is the limiting term of the workload's average step, which carries prompt chunks beside the decode tokens and so is often compute-bound even where pure decode (the thresholds section) is not.", fontSize: 7.5)
        case "thresholds":
            let ctx = spec.contexts[spec.contexts.count / 2]
            var rows: [[String]] = []
            for m in spec.models {
                for g in spec.gpus {
                    let dep = ChartInput(spec: spec).deployment(g, m)
                    rows.append([e(m.name), e(g.shortName), "\(dep.gpus)", Fmt.sigGrouped(dep.ridge, 3), Fmt.sigGrouped(dep.balanceBatch, 3),
                                 dep.kneeBatch(context: ctx).map { Fmt.sigGrouped($0, 3) } ?? "never",
                                 dep.computeBoundContextLimit.map { Fmt.sigGrouped($0, 3) } ?? "none",
                                 "\(dep.maxBatchThatFits(context: ctx))"])
                }
            }
            return Table(columns: [TableColumn("Model", weight: 1.2), TableColumn("GPU", weight: 1), TableColumn("GPUs", alignment: .right, weight: 0.5),
                                   TableColumn("Ridge FLOP/B", alignment: .right, weight: 0.8), TableColumn("B*", alignment: .right, weight: 0.7),
                                   TableColumn("Knee at \(Fmt.grouped(ctx))", alignment: .right, weight: 0.9),
                                   TableColumn("Context limit", alignment: .right, weight: 0.9),
                                   TableColumn("Max batch at \(Fmt.grouped(ctx))", alignment: .right, weight: 1)],
                         rows: rows.rich, caption: "Where decode turns compute-bound: ridge point, balance batch B*, the knee at \(Fmt.grouped(ctx)) tokens, the context beyond which no batch is compute-bound, and the largest batch that fits.")
        case "gpus":
            let rows = spec.gpus.map { g -> [String] in
                let p = g.computePrecision(for: spec.weights)
                return [e(g.shortName), e(g.name), "\(Fmt.number((g.peak(p) ?? 0) / 1e12, sig: 5)) \(p.rawValue)",
                        g.peak(p, sparse: true).map { Fmt.number($0 / 1e12, sig: 5) } ?? "", Fmt.number(g.bandwidth / 1e12, sig: 4), Fmt.number(g.memoryBytes / 1e9, sig: 4),
                        g.reportedMemoryBytes.map { Fmt.number($0 / 1e9, sig: 4) } ?? "", Fmt.number(g.interconnectBandwidth / 1e9, sig: 4),
                        "\(g.links.domain)", Fmt.number(g.links.allReduceLatency * 1e6, sig: 3),
                        e(g.sources["compute"] ?? g.origin)]
            }
            return Table(columns: [TableColumn("GPU", weight: 0.8), TableColumn("Name", weight: 1.3), TableColumn("Dense TFLOPS", alignment: .right, weight: 0.85),
                                   TableColumn("Sparse", alignment: .right, weight: 0.55), TableColumn("TB/s", alignment: .right, weight: 0.45),
                                   TableColumn("GB", alignment: .right, weight: 0.45), TableColumn("GB seen", alignment: .right, weight: 0.55),
                                   TableColumn("Link GB/s", alignment: .right, weight: 0.55), TableColumn("Domain", alignment: .right, weight: 0.55),
                                   TableColumn("α µs", alignment: .right, weight: 0.4), TableColumn("Source", weight: 3.2)],
                         rows: rows.rich, caption: "GPU figures used, with their sources. Dense peaks are used (2:4-sparse peaks listed for reference); \"GB seen\" is the capacity the device reports to software, which the memory fit uses; the domain is how many GPUs one scale-up link joins, α the latency of one all-reduce on it.", fontSize: 6.5)
        case "models":
            let rows = spec.models.map { m -> [String] in
                [e(m.name), "\(m.layers)", "\(m.hiddenSize)", "\(m.attentionHeads)/\(m.kvHeads)", m.attentionKind.rawValue,
                 Fmt.number(m.totalParams / 1e9, sig: 4), Fmt.number(m.activeParams / 1e9, sig: 4), m.publishedParams.map { Fmt.number($0 / 1e9, sig: 4) } ?? "",
                 Fmt.grouped(Int(m.kvBytesPerToken(spec.kv.bytes))), e(m.source)]
            }
            return Table(columns: [TableColumn("Model", weight: 1), TableColumn("L", alignment: .right, weight: 0.4), TableColumn("d", alignment: .right, weight: 0.6),
                                   TableColumn("h_q/h_kv", alignment: .right, weight: 0.75), TableColumn("KV", weight: 0.45),
                                   TableColumn("N (B)", alignment: .right, weight: 0.55), TableColumn("A (B)", alignment: .right, weight: 0.55),
                                   TableColumn("Published", alignment: .right, weight: 0.85), TableColumn("KV B/token", alignment: .right, weight: 0.75),
                                   TableColumn("Source (config.json)", weight: 2.7)],
                         rows: rows.rich, caption: "Model architectures. N and A are derived from the architecture and checked against the published counts.", fontSize: 7)
        case "concurrency":
            let sMax = spec.contexts.max() ?? 4096
            var rows: [[String]] = []
            for m in spec.models {
                for g in spec.gpus {
                    let dep = ChartInput(spec: spec).deployment(g, m)
                    rows.append([e(m.name), e(g.shortName), "\(dep.gpus)", Fmt.number(dep.kvBudgetBytes / 1e9, sig: 3),
                                 Fmt.grouped(Int(dep.kvBytesPerCachedToken.rounded())) + (dep.kvReplication > 1 ? " (×\(Fmt.number(dep.kvReplication)))" : ""),
                                 Fmt.grouped(dep.maxConcurrentPreallocated(maxTokens: sMax)),
                                 Fmt.grouped(dep.maxConcurrentPaged(meanTokens: spec.meanSequenceTokens))])
                }
            }
            return Table(columns: [TableColumn("Model", weight: 1.2), TableColumn("GPU", weight: 1), TableColumn("GPUs", alignment: .right, weight: 0.5),
                                   TableColumn("KV budget GB", alignment: .right, weight: 0.9),
                                   TableColumn("KV B/token held", alignment: .right, weight: 1.0),
                                   TableColumn("Pre-allocated (\(Fmt.grouped(sMax)))", alignment: .right, weight: 1.2),
                                   TableColumn("Paged (\(spec.meanSequenceTokens) tokens)", alignment: .right, weight: 1.2)],
                         rows: rows.rich, caption: "Concurrent sequences that fit after the weights and reserve: KV pre-allocated for the longest context versus paged in 16-token blocks. The replica holds the KV bytes per token shown, which include copies: with more GPUs than KV heads each head is kept on n/h_kv ranks, and an MLA latent on every rank (×n), so the budget buys fewer tokens than the model's KV size alone suggests.")
        case "prices":
            let rows = spec.gpus.map { g in
                [e(g.shortName), "$\(Fmt.fixed(g.price.usdPerHour, 2))", e(g.price.asOf), e(g.price.source)]
            }
            return Table(columns: [TableColumn("GPU", weight: 1), TableColumn("$/GPU-hour", alignment: .right, weight: 0.9),
                                   TableColumn("As of", weight: 0.7), TableColumn("Source", weight: 5)],
                         rows: rows.rich, caption: "Prices used for cost. Replace them with your own quotes under `prices:` in the spec.", fontSize: 7.5)
        case "calibration":
            guard !fits.isEmpty else {
                throw DirectiveError(Messages.Templates.calibrationNeedsMeasurements)
            }
            let rows = fits.map { f -> [String] in
                let worst = f.comparisons.first { $0.measurement.origin == f.worst.origin }?.measurement
                return [e(f.gpu.shortName), "\(f.points)", Fmt.number(f.efficiency.compute, sig: 3), Fmt.number(f.efficiency.memory, sig: 3),
                        Fmt.number(f.efficiency.overhead * 1000, sig: 3), Fmt.number(f.efficiency.overheadPerSequence * 1e6, sig: 3),
                        Fmt.number(f.mape, sig: 3) + " %", f.leaveOneOutMape.map { Fmt.number($0, sig: 3) + " %" } ?? "–",
                        e("\(Fmt.number(f.worst.error, sig: 3)) % (\(f.worst.metric)), \(f.worst.origin)" + (worst.map { ": " + $0.source } ?? "")),
                        e(f.kept.keys.sorted().joined(separator: ", "))]
            }
            return Table(columns: [TableColumn("GPU", weight: 1), TableColumn("Points", alignment: .right, weight: 0.6),
                                   TableColumn("e_c", alignment: .right, weight: 0.55), TableColumn("e_m", alignment: .right, weight: 0.55),
                                   TableColumn("Overhead ms", alignment: .right, weight: 0.8), TableColumn("µs per sequence", alignment: .right, weight: 0.8),
                                   TableColumn("Error", alignment: .right, weight: 0.65),
                                   TableColumn("Left out", alignment: .right, weight: 0.7), TableColumn("Worst point", weight: 2.6),
                                   TableColumn("Kept at default", weight: 1)],
                         rows: rows.rich, caption: "The efficiency model fitted to the measurements of each GPU: factors, mean error over every measured TPOT, TTFT and throughput, the same for each point predicted by a fit without it (left out), and the worst point with its source. A factor the data do not pin stays at its default.", fontSize: 7)
        case "decision":
            // "peak / average" board kW of a fleet.
            func kilowatts(_ f: Fleet?) -> String {
                guard let peak = f?.boardWatts, let avg = f?.averageBoardWatts else { return "" }
                return "\(Fmt.sigGrouped(peak / 1000, 3)) / \(Fmt.sigGrouped(avg / 1000, 2))"
            }
            var rows: [[String]] = []
            for r in recs {
                for basis in CostBasis.allCases {
                    let label = basis == .rented ? "rent" : "own"
                    guard let w = r.winner(basis), let cost = w.usdPerRequest(basis) else {
                        let why = r.winner == nil ? (r.options.first?.whyNot ?? "no GPU qualifies") : "no purchase price or board power"
                        rows.append([e(r.model.name), e(r.workload.name), label, "<i>none</i>", "", "", "", "", "", "", "", e(why)])
                        continue
                    }
                    let f = r.fleet(basis)
                    let month = f.flatMap { $0.usdPerMonth(basis) }
                    let ru = r.runnerUp(basis).flatMap { x in x.usdPerRequest(basis).map { (x, $0) } }
                    let runner = ru.map { "\($0.0.deployment.gpu.shortName) +\(Fmt.percent($0.1 / cost - 1))" } ?? (r.options.count > 1 ? e(r.options[1].gpu.shortName + " " + (r.options[1].whyNot ?? "")) : "")
                    rows.append([e(r.model.name), e(r.workload.name), label,
                                 "<b>\(e(w.deployment.gpu.shortName))</b> ×\(w.deployment.gpus)", Fmt.grouped(w.batch),
                                 "$" + Fmt.usd3(cost * 1000),
                                 f.map { "\($0.replicas) / \($0.gpus)" } ?? "",
                                 month.map { "$" + Fmt.sigGrouped($0, 3) } ?? "",
                                 f.flatMap { $0.usdPerThousandRequests(basis) }.map { "$" + Fmt.usd3($0) } ?? "",
                                 kilowatts(f),
                                 w.joulesPerRequest.map { Fmt.sigGrouped($0 / 3600, 3) } ?? "",
                                 runner])
                }
            }
            return Table(columns: [TableColumn("Model", weight: 1.05), TableColumn("Workload", weight: 1.05), TableColumn("Basis", weight: 0.5),
                                   TableColumn("GPU × per replica", weight: 1.2), TableColumn("Batch", alignment: .right, weight: 0.55),
                                   TableColumn("$ per 1,000 req., busy", alignment: .right, weight: 0.8),
                                   TableColumn("Replicas / GPUs", alignment: .right, weight: 0.75), TableColumn("$ per month", alignment: .right, weight: 0.8),
                                   TableColumn("$ per 1,000 req. at rate", alignment: .right, weight: 0.8),
                                   TableColumn("kW max / avg", alignment: .right, weight: 0.7), TableColumn("Wh per request", alignment: .right, weight: 0.65),
                                   TableColumn("Next cheapest", weight: 1.3)],
                         rows: rows.rich, caption: "The decision per workload, renting and owning. \"Busy\": the price of a request on a fully loaded replica (owned: at \(Fmt.number(spec.economics.ownership.utilisation * 100)) % utilisation). Replicas cover the stated request rate with \(Fmt.number(spec.headroom * 100)) % headroom; a month is 730 hours; \"at rate\" is the month's cost over the month's requests, idle capacity included. Rented: every GPU of the fleet held all month. Owned: purchase price over \(Fmt.number(spec.economics.ownership.years)) years, hosting, and the energy of the fleet's load. kW is board power at full load and on average at the stated rate; Wh per request is energy at the boards (× PUE \(Fmt.number(spec.economics.power.pue)) at the meter).", fontSize: 6.5)
        case "ownership":
            let rows = spec.gpus.map { g -> [String] in
                let d = spec.deployment(g, spec.models[0], gpus: 1)
                let capex = g.capex.map { c -> String in
                    var t = "$" + Fmt.sigGrouped(c.usd, 3)
                    if let l = c.lowUsd, let h = c.highUsd { t += " ($\(Fmt.sigGrouped(l, 3))–\(Fmt.sigGrouped(h, 3)))" }
                    return t
                } ?? "–"
                let be: String
                if let u = d.breakEvenUtilisation { be = Fmt.percent(u) } else { be = d.ownedUsdPerGpuHour == nil ? "–" : "never" }
                return [e(g.shortName), "$" + Fmt.fixed(d.usdPerHour, 2), capex, d.ownedUsdPerGpuHour.map { "$" + Fmt.fixed($0, 2) } ?? "–", be,
                        g.tdpWatts.map { Fmt.grouped(Int($0.rounded())) } ?? "–",
                        g.tdpWatts.map { "$" + Fmt.fixed(spec.economics.energyUsdPerHour(watts: $0), 3) } ?? "–",
                        e(g.capex.map(\.source) ?? "no purchase price: add capex_usd")]
            }
            return Table(columns: [TableColumn("GPU", weight: 0.9), TableColumn("Rent $/h", alignment: .right, weight: 0.6),
                                   TableColumn("Purchase (range)", alignment: .right, weight: 1.3), TableColumn("Owned $/busy h", alignment: .right, weight: 0.75),
                                   TableColumn("Owning wins above", alignment: .right, weight: 0.75), TableColumn("Board W", alignment: .right, weight: 0.55),
                                   TableColumn("Energy $/h", alignment: .right, weight: 0.6), TableColumn("Purchase price source", weight: 3.2)],
                         rows: rows.rich, caption: "Renting against owning, per GPU. Owned cost per busy hour = purchase ÷ (\(Fmt.number(spec.economics.ownership.years)) years × 8,760 h × \(Fmt.number(spec.economics.ownership.utilisation * 100)) %) + $\(Fmt.number(spec.economics.ownership.hostingUsdPerGpuMonth)) hosting per GPU-month ÷ (730 h × \(Fmt.number(spec.economics.ownership.utilisation * 100)) %) + board kW × PUE \(Fmt.number(spec.economics.power.pue)) × $\(Fmt.fixed(spec.economics.power.usdPerKwh, 3))/kWh. \"Owning wins above\" is the utilisation at which the two cost the same.", fontSize: 6.5)
        case "sensitivity":
            var rows: [[String]] = []
            for dcs in decisions {
                let r = dcs.recommendation
                for basis in CostBasis.allCases {
                    guard let a = dcs.analysis(basis) else { continue }
                    let flips = a.bars.filter(\.flips).map { b -> String in
                        let g = (b.winnerAtLow ?? b.winnerAtHigh)?.shortName ?? ""
                        return "\(b.input.label) at \(b.input.format(b.winnerAtLow != nil ? b.input.low : b.input.high)) → \(g)"
                    }
                    rows.append([e(r.model.name), e(r.workload.name), basis == .rented ? "rent" : "own", e(a.winner.deployment.gpu.shortName),
                                 a.robust ? "yes" : "<b>no</b>", e(flips.isEmpty ? "none" : flips.joined(separator: "; ")), e(a.sentence)])
                }
            }
            return Table(columns: [TableColumn("Model", weight: 1), TableColumn("Workload", weight: 1), TableColumn("Basis", weight: 0.45),
                                   TableColumn("Winner", weight: 0.8), TableColumn("Holds", weight: 0.45),
                                   TableColumn("Within ±\(Fmt.number(spec.sensitivityRange * 100)) %", weight: 2.2),
                                   TableColumn("Where the winner changes", weight: 3.4)],
                         rows: rows.rich, caption: "What would change each decision. Each input (efficiency of the leading vendors' GPUs, the two cheapest GPUs' prices and bandwidth, and for owned GPUs their purchase price, the power price and utilisation) is varied over ±\(Fmt.number(spec.sensitivityRange * 100)) % (purchase prices over their stated range); \"holds\" means no input within its range changes the winner. The crossover values are searched from a quarter to four times each input (efficiencies up to 1). Efficiency values are those of the GPU named in the analysis; the vendor's other GPUs scale alike.", fontSize: 6.5)
        case "glossary":
            return Table(columns: [TableColumn("Term", weight: 1), TableColumn("Meaning", weight: 4)],
                         rows: Glossary.entries.map { [.strong(RichText(plain: $0.0)), RichText(plain: $0.1)] }, caption: "Glossary.")
        default:
            throw DirectiveError(Messages.Text.unknown("table", name, among: ReportBuilder.tables))
        }
    }
}

enum Glossary {
    static let entries: [(String, String)] = [
        ("Arithmetic intensity", "FLOPs performed per byte moved to or from memory in a step (FLOP/byte)."),
        ("Ridge point I*", "Peak compute divided by memory bandwidth: the intensity above which a step is compute-bound."),
        ("Roofline", "Attainable throughput = min(peak compute, bandwidth × intensity), drawn on log-log axes."),
        ("Decode", "Generating one new token for every sequence in the batch; reads all weights and the KV cache each step."),
        ("Prefill", "Processing a whole prompt at once; compute-bound for all but tiny prompts."),
        ("TPOT", "Time per output token: the duration of one decode step."),
        ("TTFT", "Time to first token: the prefill time of the prompt."),
        ("KV cache", "The keys and values of every earlier token, kept so that attention need not recompute them."),
        ("GQA / MQA / MLA", "Grouped-query, multi-query and multi-head latent attention: ways of storing fewer KV values per token."),
        ("Balance batch B*", "The batch at which reading the weights takes as long as the matrix math: (Π/β)·N·b_w/(2A)."),
        ("Knee", "The smallest batch at which a decode step becomes compute-bound at a given context."),
        ("$/Mtok", "Dollars per million output tokens: replica price per second × step time ÷ tokens per step × 10⁶."),
        ("Tensor parallelism", "Splitting every layer across n GPUs; adds two all-reduces per layer per step."),
        ("Paged KV", "Allocating the KV cache in fixed 16-token blocks as sequences grow instead of reserving the maximum length."),
        ("MoE", "Mixture of experts: each token uses k of E expert MLPs, so active parameters A are fewer than total N."),
        ("Replica", "One copy of the model on the GPUs that serve it together (tensor parallel); a fleet runs several replicas side by side."),
        ("Headroom", "Spare capacity a fleet keeps above the stated request rate, for bursts and failures."),
        ("Utilisation", "The fraction of hours an owned GPU does paid work; its fixed costs are spread over those hours."),
        ("PUE", "Power usage effectiveness: the facility's power divided by the IT equipment's; 1.3 means 30 % more for cooling and conversion."),
        ("Board power", "The maximum power of a GPU board or module (its TDP), drawn when it is busy; host CPUs and switches are not counted."),
        ("Owned cost per busy hour", "Purchase price written off over the ownership years, plus hosting, per hour of paid work, plus that hour's energy."),
        ("Break-even utilisation", "The utilisation above which an owned GPU costs less per hour of work than renting the same GPU by the hour."),
        ("e_c, e_m", "Efficiency factors: the fraction of the datasheet's compute (e_c) and memory bandwidth (e_m) a serving stack achieves."),
        ("Tornado chart", "A chart of how far one result moves when each input is varied alone, largest effect on top."),
    ]
}

enum ChartCaptions {
    static func caption(_ kind: ChartKind, _ s: Spec) -> String {
        let e = Markup.escape
        let model = e(s.models.first?.name ?? "")
        let gpus = e(s.gpus.map(\.shortName).joined(separator: ", "))
        switch kind {
        case .roofline:
            return "Roofline of \(gpus) for \(model). Decode points at small batch sit on the bandwidth slope left of each ridge, so those steps are limited by memory bandwidth; grey crosses are batches that do not fit in memory; a prefill step lies near the compute roof (below it where all-reduces or the efficiency factors hold it back)."
        case .cost:
            return "Cost per million output tokens of \(model) on \(e(s.gpus.first?.shortName ?? "")) against batch size. Read the gap between the total and the compute floor: it is what larger batches can still save; B* marks where weights stop dominating."
        case .throughput:
            return "Decode throughput of \(model) on \(e(s.gpus.first?.shortName ?? "")). Throughput grows with batch until the knee; crosses mark where the KV cache fills memory."
        case .latency:
            let hasTarget = s.slo.tpotMs != nil || s.effectiveWorkloads.contains { $0.slo.tpotMs != nil }
            return "Time per output token against throughput per GPU for \(model) on \(gpus). "
                + (hasTarget ? "Points below the target line meet the TPOT objective; farther right is cheaper." : "Lower is faster for each user, farther right is cheaper; no TPOT target is set, so no line is drawn.")
        case .kvCache:
            return "KV-cache size of one sequence against context length for \(e(s.models.map(\.name).joined(separator: ", "))), with the memory of \(gpus) for scale. The slope is the KV bytes per token of each attention design."
        case .ridgeGenerations:
            return "Compute, bandwidth and ridge point of NVIDIA's flagship GPUs relative to the first one shown. Compute has grown faster than bandwidth overall, so the ridge point has risen across generations — though not at every step: a part that adds bandwidth without compute (H200 after H100) lowers it."
        case .concurrency:
            return "Concurrent sequences of \(model) on \(e(s.gpus.first?.shortName ?? "")): paging the KV cache admits far more short sequences than pre-allocating for the longest context."
        case .tokensPerDollar:
            return "Decode output tokens per dollar of \(model) on \(gpus) across batch sizes, at one context and on the smallest replica that holds the model comfortably (named in the legend). It shows how the GPUs trade places as the batch grows; the recommendations price whole requests (prefill included) at the batch each workload's targets allow, so their ranking can differ. Circles mark batch sizes where the leading GPU changes (none when the lead never changes); grey dashes, batches that no longer fit."
        case .parity:
            let drawn = s.measurements.filter { m in s.gpus.contains { $0.id == m.gpu.id } && s.models.contains { $0.id == m.model.id } }
            let shown = e(s.gpus.filter { g in drawn.contains { $0.gpu.id == g.id } }.map(\.shortName).joined(separator: ", "))
            let all = s.measurements.filter { m in s.gpus.contains { $0.id == m.gpu.id } }.count
            let rest = all > drawn.count ? " The other \(all - drawn.count) measured points of these GPUs are of models this report does not compare; the fits in the table below use all \(all)." : ""
            return "The model's TPOT, TTFT and output throughput against the \(drawn.count) measured points of the compared models on \(shown), at \(e(s.efficiency.name)) efficiency; each point may carry up to three metrics. Inside the grey band the model is within 20 %.\(rest)"
        case .tornado:
            let w = e(s.effectiveWorkloads.first?.name ?? "")
            return "Sensitivity of the decision for \(model), \(w): how far the winner's cost per request moves when each input is varied over its range with the others held. A row marked ▸ names the GPU that becomes cheapest at that end of the range."
        case .servingModes:
            let w = e(s.effectiveWorkloads.first?.name ?? "")
            return "Output throughput per GPU of \(model) on \(e(s.gpus.first?.shortName ?? "")) for \(w), one curve per serving mode, up to the batch each holds in memory. Higher is cheaper per token at the same GPU price; where a mode's curve lies above plain tensor parallelism, that mode serves more tokens from the same GPUs. The curves compare modes at the tensor-parallel degree named in the legend; the serving-modes table compares each mode's cheapest configuration, whatever its degree."
        case .disaggregation:
            let w = e(s.effectiveWorkloads.first?.name ?? "")
            return "Cost per 1,000 requests of \(model) on \(e(s.gpus.first?.shortName ?? "")) for \(w): separate prefill and decode pools against one pool doing both. Lower is cheaper; the disaggregated curve flattens where the prefill pool, not the decode pool, limits the requests served."
        }
    }
}
