import CairoBackend
import Canvas
import ChartEngine
import Foundation
@testable import RidgepointCharts
@testable import RidgepointCore
import RidgepointFormatting
import Testing

let catalog: Catalog = { do { return try Catalog.builtIn() } catch { fatalError("catalog: \(error)") } }()

func input(gpus: [String], models: [String], batches: [Int] = [1, 8, 32, 128, 512], contexts: [Int] = [512, 4096, 32768],
           replicas: [Int] = [1, 2, 4, 8]) -> ChartInput {
    var s = Spec(catalog: catalog)
    s.gpus = gpus.map { catalog.gpu($0)! }
    s.models = models.map { catalog.model($0)! }
    s.batchSizes = batches; s.contexts = contexts; s.gpusPerReplica = replicas
    s.slo = SLO(tpotMs: 50, ttftMs: 1000)
    s.measurements = syntheticMeasurements(s)
    return ChartInput(spec: s)
}

/// Measured points for every GPU × model of `s`: the model's own values at e_c 0.6, e_m 0.75 and
/// 2 ms overhead, scaled by ±10 % so that they do not sit on the parity line.
func syntheticMeasurements(_ s: Spec) -> [MeasuredPoint] {
    let truth = Efficiency(name: "truth", compute: 0.6, memory: 0.75, interconnect: 0.77, overhead: 0.002, source: "synthetic")
    var out: [MeasuredPoint] = []
    for g in s.gpus {
        for m in s.models {
            for (k, b) in [1, 8, 64].enumerated() {
                var x = MeasuredPoint(gpu: g, model: m, gpus: 1, batch: b, inputTokens: 1024, outputTokens: 256, source: "https://example.org/bench", origin: "fixture:\(k)")
                let p = Calibration.predict(x, efficiency: truth, spec: s)
                let f = [1.1, 0.93, 1.04][k]
                x.tpotMs = p.tpotMs.map { $0 * f }; x.ttftMs = p.ttftMs.map { $0 / f }; x.outputTokensPerSecond = p.outputTokensPerSecond / f
                out.append(x)
            }
        }
    }
    return out
}

/// The first part of a request (what the chart draws when the request fits one chart).
func firstPart(_ kind: ChartKind, _ i: ChartInput) -> ChartInput { RidgepointChart.parts(kind, i)[0] }

/// Plain TP, three MTP drafts at α 0.8, two pipeline stages, and prefill on 1 GPU for 3 decoding.
let servingModes: [ServingMode] = [
    .plain, ServingMode(speculative: Speculative(draftTokens: 3, acceptance: 0.8, draft: .mtp(layers: 1))), ServingMode(pp: 2),
    ServingMode(disaggregated: Disaggregation(prefillGPUs: 1, decodeGPUs: 3, linkBandwidth: 50e9)),
    ServingMode(disaggregated: Disaggregation(prefillGPUs: 2, decodeGPUs: 2, linkBandwidth: 50e9)),
]

@Suite struct ServingModeChartTests {
    /// Every catalog GPU with a dense, an MoE and an MLA model: the mode charts lay out without
    /// overlapping or clipped labels, and each mode of the spec gets a curve.
    @Test func modeChartsLayOutForEveryGPU() throws {
        let measurer = try PangoTextMeasurer()
        for g in catalog.gpus.map(\.id) {
            for m in ["llama-3-8b", "mixtral-8x7b", "deepseek-v3"] {
                var i = input(gpus: [g], models: [m])
                i.spec.modes = servingModes
                i.spec.workloads = [Workload(name: "chat", inputTokens: 2000, outputTokens: 300)]
                for kind in [ChartKind.servingModes, .disaggregation] {
                    let built = try RidgepointChart.build(kind, i, measurer: measurer)
                    checkLayout(built, "\(kind.rawValue) \(g) \(m)")
                }
            }
        }
    }

    /// Many modes (24), a model plain TP cannot hold and splits that fit no replica: both charts
    /// still lay out (captions name what is not drawn, capped) and draw something.
    @Test func manyModesAndModelsThatDoNotFit() throws {
        let measurer = try PangoTextMeasurer()
        var i = input(gpus: ["h100-sxm"], models: ["deepseek-v3"], replicas: [8])
        i.spec.weights = .fp8
        i.spec.workloads = [Workload(name: "chat", inputTokens: 1000, outputTokens: 300)]
        var modes: [ServingMode] = []
        for pp in [1, 2] { for ep in [1, 8] { for dp in [false, true] {
            for sp in [nil, Speculative(draftTokens: 2, acceptance: 0.8, draft: .mtp(layers: 1))] {
                for dg in [nil, Disaggregation(prefillGPUs: 8, decodeGPUs: 24, linkBandwidth: 50e9)] {
                    if modes.count < 24 { modes.append(ServingMode(pp: pp, ep: ep, dpAttention: dp, speculative: sp, disaggregated: dg)) }
                }
            }
        } } }
        i.spec.modes = modes
        for kind in [ChartKind.servingModes, .disaggregation] {
            let spec = try RidgepointChart.spec(kind, i)
            #expect(spec.series.contains { if case .line = $0 { return true } else { return false } }, "\(kind.rawValue) draws a curve")
            let caption = spec.caption ?? ""
            #expect(caption.contains("Not drawn") || caption.contains("no disaggregated split fits"))
            checkLayout(try RidgepointChart.build(kind, i, measurer: measurer), "\(kind.rawValue) many modes")
        }
    }

    @Test func eachModeGetsACurve() throws {
        var i = input(gpus: ["h100-sxm"], models: ["llama-3-8b"])
        i.spec.modes = servingModes
        i.spec.workloads = [Workload(name: "chat", inputTokens: 2000, outputTokens: 300)]
        let modes = try RidgepointChart.spec(.servingModes, i)
        let labels = modes.series.compactMap { s -> String? in if case .line(_, _, let l) = s { return l } else { return nil } }
        #expect(labels == ["TP 1 (plain)", "TP 1 · spec k=3 α=0.8", "TP 1 · PP 2", "TP 1 · disagg 1:3", "TP 1 · disagg 2:2"])
        let dis = try RidgepointChart.spec(.disaggregation, i)
        let dl = dis.series.compactMap { s -> String? in if case .line(_, _, let l) = s { return l } else { return nil } }
        #expect(dl == ["TP 1 (colocated)", "TP 1 · disagg 1:3", "TP 1 · disagg 2:2"])
    }
}

/// Layout invariants every chart must satisfy, checked on the built value and again on what a
/// recording canvas receives when the chart is drawn: no two texts overlap, all text on the canvas.
func checkLayout(_ chart: BuiltChart, _ what: String) {
    if let measurer = try? PangoTextMeasurer() {
        let rec = RecordingCanvas(size: chart.size, measurer: measurer)
        do { try chart.draw(on: rec) } catch { Issue.record("\(what): drawing failed: \(error)") }
        let page = Rect(origin: .zero, size: chart.size)
        let drawn = rec.texts.map(\.box)
        #expect(drawn.count == chart.labels.count, "\(what): drew \(drawn.count) texts for \(chart.labels.count) labels")
        for (i, a) in drawn.enumerated() {
            #expect(page.contains(a, tolerance: 0.5), "\(what): drawn text \(i) leaves the canvas")
            for j in drawn.indices where j > i { #expect(a.overlapArea(drawn[j]) < 0.5, "\(what): drawn texts \(i) and \(j) overlap") }
        }
    }
    let canvas = Rect(origin: .zero, size: chart.size)
    let boxes = chart.labels.map(\.box)
    for (i, a) in boxes.enumerated() {
        #expect(canvas.contains(a, tolerance: 0.5), "\(what): label '\(chart.labels[i].text.markup)' leaves the canvas: \(a)")
        for j in boxes.indices where j > i {
            #expect(a.overlapArea(boxes[j]) < 0.5, "\(what): '\(chart.labels[i].text.markup)' overlaps '\(chart.labels[j].text.markup)'")
        }
    }
}

func referenceX(_ chart: BuiltChart, labelPrefix: String) -> Double? {
    for (i, m) in chart.marks.enumerated() {
        guard case .reference = m.source, case .rule(let seg, _) = m.geometry, abs(seg.from.x - seg.to.x) < 1e-9 else { continue }
        _ = i
        let labels = chart.labels.filter { if case .reference = $0.role { return $0.text.markup.hasPrefix(labelPrefix) } else { return false } }
        if !labels.isEmpty, labels.contains(where: { abs($0.box.midX - seg.from.x) < 80 }) { return seg.from.x }
    }
    return nil
}

@Suite struct ChartTypeTests {
    let measurer: PangoTextMeasurer = { do { return try PangoTextMeasurer() } catch { fatalError("pango: \(error)") } }()

    @Test func rooflineRidgeSitsAtPiOverBeta() throws {
        let inp = input(gpus: ["h100-sxm"], models: ["llama-3-8b"])
        let chart = try RidgepointChart.build(.roofline, firstPart(.roofline, inp), measurer: measurer)
        let ridge = 989.4e12 / 3.35e12
        let xs = chart.marks.compactMap { m -> Double? in
            if case .reference = m.source, case .rule(let s, _) = m.geometry { return s.from.x } else { return nil }
        }
        #expect(xs.contains { abs($0 - chart.xScale(ridge)) < 1e-6 })
        #expect(chart.labels.contains { $0.text.markup == "ridge 295" })
        checkLayout(chart, "roofline")
    }

    @Test func rooflinePointsAreWhereTheEngineSays() throws {
        let inp = input(gpus: ["a100-80gb"], models: ["llama-3-8b"], batches: [1, 64])
        let chart = try RidgepointChart.build(.roofline, firstPart(.roofline, inp), measurer: measurer)
        let d = inp.deployment(inp.spec.gpus[0], inp.spec.models[0])
        let expected = [1, 64].map { b -> Point in
            let r = d.decode(batch: b, context: 4096)
            return chart.point(x: r.intensity, y: r.achievedFlops / Double(d.gpus))
        }
        let drawn = chart.marks.flatMap { m -> [Point] in if case .markers(let ps, _, _) = m.geometry { return ps } else { return [] } }
        for e in expected { #expect(drawn.contains { abs($0.x - e.x) < 1e-6 && abs($0.y - e.y) < 1e-6 }, "missing point \(e)") }
    }

    @Test func costChartMarksBalanceBatch() throws {
        let inp = input(gpus: ["h100-sxm"], models: ["mixtral-8x7b"])
        let chart = try RidgepointChart.build(.cost, firstPart(.cost, inp), measurer: measurer)
        let d = inp.deployment(inp.spec.gpus[0], inp.spec.models[0])
        let xs = chart.marks.compactMap { m -> Double? in
            if case .reference = m.source, case .rule(let s, _) = m.geometry { return s.from.x } else { return nil }
        }
        #expect(xs.contains { abs($0 - chart.xScale(d.balanceBatch)) < 1e-6 })
        #expect(chart.labels.contains { $0.text.markup == "B* = \(Fmt.sigGrouped(d.balanceBatch, 3))" })
        // The total curve passes through the engine's $/Mtok at B = 32, S = 512.
        let r = d.decode(batch: 32, context: 512)
        let p = chart.point(x: 32, y: r.usdPerMtok)
        let drawn = chart.marks.flatMap { m -> [Point] in if case .markers(let ps, _, _) = m.geometry { return ps } else { return [] } }
        #expect(drawn.contains { abs($0.x - p.x) < 1e-6 && abs($0.y - p.y) < 1e-6 })
        checkLayout(chart, "cost")
    }

    @Test func tokensPerDollarMarksCrossovers() throws {
        var inp = input(gpus: ["h100-sxm", "h200"], models: ["llama-2-7b"], contexts: [0])
        inp.spec.gpus[0].price.usdPerHour = 2.5; inp.spec.gpus[1].price.usdPerHour = 3.5
        let chart = try RidgepointChart.build(.tokensPerDollar, firstPart(.tokensPerDollar, inp), measurer: measurer)
        #expect(chart.labels.contains { $0.text.markup.contains("overtakes") && $0.text.markup.contains("at B≈211") } ||
                chart.droppedLabels.contains { $0.text.contains("B≈211") })
        checkLayout(chart, "tokens-per-dollar")
    }

    @Test func throughputMarksMemoryWallAndKnee() throws {
        let inp = input(gpus: ["h100-sxm"], models: ["llama-3-70b"])
        let chart = try RidgepointChart.build(.throughput, firstPart(.throughput, inp), measurer: measurer)
        let d = inp.deployment(inp.spec.gpus[0], inp.spec.models[0])
        #expect(d.gpus == 4)
        let texts = chart.labels.map(\.text.markup) + chart.droppedLabels.map(\.text)
        #expect(texts.contains("KV full at B=\(Fmt.grouped(d.maxBatchThatFits(context: 4096)))"))
        #expect(texts.contains { $0.hasPrefix("knee B≈") })
        checkLayout(chart, "throughput")
    }

    /// Every chart type lays out cleanly for every catalog GPU and every catalog model.
    @Test(arguments: ChartKind.allCases)
    func everyCatalogEntryLaysOutCleanly(kind: ChartKind) throws {
        for g in catalog.gpus.map(\.id) {
            for part in RidgepointChart.parts(kind, input(gpus: [g, "h100-sxm"], models: ["llama-3-70b"])) {
                checkLayout(try RidgepointChart.build(kind, part, measurer: measurer), "\(kind.rawValue) \(g)")
            }
        }
        for m in catalog.models.map(\.id) {
            for part in RidgepointChart.parts(kind, input(gpus: ["h200", "mi300x"], models: [m, "llama-3-8b"])) {
                checkLayout(try RidgepointChart.build(kind, part, measurer: measurer), "\(kind.rawValue) \(m)")
            }
        }
    }

    /// Custom entries with awkward names render and escape their text.
    @Test func customEntriesRender() throws {
        let s = try Spec.parse("""
        gpus: [{id: R-D_card, name: "R&D <b> card", memory_gb: 48, bandwidth_tbs: 1.2, bf16_tflops: 300, usd_per_hour: 0.9}, h100]
        models: [{id: tiny-moe, name: "Tiny & <odd>", layers: 4, hidden_size: 512, attention_heads: 8, kv_heads: 2, intermediate_size: 1024, vocab_size: 32000, moe: {experts: 8, experts_per_token: 2, expert_intermediate_size: 512}}]
        """, file: "custom.yaml", catalog: catalog)
        for kind in ChartKind.allCases where kind != .parity {
            for part in RidgepointChart.parts(kind, ChartInput(spec: s)) {
                let chart = try RidgepointChart.build(kind, part, measurer: measurer)
                checkLayout(chart, "custom \(kind.rawValue)")
                for l in chart.labels { try PangoTextMeasurer.validate(markup: l.text.markup) }
            }
        }
        let cost = try RidgepointChart.build(.cost, firstPart(.cost, ChartInput(spec: s)), measurer: measurer)
        #expect(cost.labels.contains { $0.text.markup.contains("R&amp;D &lt;b&gt; card") })
    }
}

/// Every GPU, model and context asked for is drawn by exactly one part, and no part asks a
/// chart for more than it shows; a chart given too much refuses instead of dropping series.
@Suite struct ChartPartTests {
    static let manyGPUs = ["h100-sxm", "h200", "a100-80gb", "b200", "mi300x", "l40s", "h100-pcie"]
    static let manyModels = ["llama-3-8b", "llama-3-70b", "mixtral-8x7b", "mistral-7b", "llama-2-13b", "deepseek-v3"]

    @Test(arguments: ChartKind.allCases)
    func partsCoverEverythingOnceWithinCapacity(kind: ChartKind) throws {
        let whole = input(gpus: Self.manyGPUs, models: Self.manyModels, contexts: [512, 1024, 2048, 4096, 8192])
        let parts = RidgepointChart.parts(kind, whole)
        let cap = kind.capacity
        if kind == .tornado {
            // One chart per model and workload that has a winner, each drawn once.
            let keys = parts.map { "\($0.spec.models.map(\.id))|\($0.spec.effectiveWorkloads.map(\.name))" }
            #expect(Set(keys).count == keys.count && parts.allSatisfy { $0.spec.models.count == 1 && $0.spec.effectiveWorkloads.count == 1 })
            #expect(parts.count > Self.manyModels.count)
            for p in parts { _ = try RidgepointChart.spec(kind, p) }
            return
        }
        var seen: [String: Int] = [:]
        for p in parts {
            #expect(p.spec.gpus.count <= cap.gpus && p.spec.models.count <= cap.models && p.spec.contexts.count <= cap.contexts)
            for g in p.spec.gpus { for m in p.spec.models { for c in p.spec.contexts { seen["\(g.id)|\(m.id)|\(c)", default: 0] += 1 } } }
            _ = try RidgepointChart.spec(kind, p)
        }
        #expect(seen.count == Self.manyGPUs.count * Self.manyModels.count * 5)
        #expect(seen.values.allSatisfy { $0 == 1 })
        if cap.gpus < Self.manyGPUs.count {
            #expect(throws: RidgepointError.self) { _ = try RidgepointChart.spec(kind, whole) }
        }
    }

    /// A GPU keeps its colour in every part: the second roofline of seven GPUs starts with the
    /// fifth GPU's colour, not the first's.
    @Test func gpusKeepTheirColoursAcrossParts() throws {
        let parts = RidgepointChart.parts(.roofline, input(gpus: Self.manyGPUs, models: ["llama-3-8b"]))
        #expect(parts.count == 2 && parts[1].spec.gpus.first?.id == Self.manyGPUs[4])
        let second = try RidgepointChart.spec(.roofline, parts[1])
        guard case .line(_, let style, _)? = second.series.first else { Issue.record("no roof line"); return }
        #expect(style.color == Palette.color(4))
    }

    @Test func partsAreBalanced() {
        #expect(RidgepointChart.chunks(Array(1...6), 4).map(\.count) == [3, 3])
        #expect(RidgepointChart.chunks(Array(1...9), 4).map(\.count) == [3, 3, 3])
        #expect(RidgepointChart.chunks(Array(1...5), 5).map(\.count) == [5])
        #expect(RidgepointChart.chunks(Array(1...11), 5).map(\.count) == [4, 4, 3])
    }
}

/// The parity chart: one marker per measured metric, the identity line and the band; refused
/// (a message, not an empty chart) without measurements.
@Suite struct ParityChartTests {
    @Test func drawsEveryMeasuredMetricAndRefusesWithoutMeasurements() throws {
        let inp = input(gpus: ["h100-sxm", "h200"], models: ["llama-3-8b"])
        let spec = try RidgepointChart.spec(.parity, firstPart(.parity, inp))
        var points = 0
        for case .scatter(let pts, _, _, _) in spec.series { points += pts.count }
        // 2 GPUs × 3 points × (TPOT, TTFT, throughput).
        #expect(points == 18)
        #expect(spec.series.contains { if case .line(_, _, let l) = $0 { return l == "±20 %" } else { return false } })
        var bare = inp.spec
        bare.measurements = []
        #expect(throws: RidgepointError.self) { _ = try RidgepointChart.spec(.parity, ChartInput(spec: bare)) }
    }

    /// Measured decode steps appear on the roofline at the model's intensity and the FLOP/s the
    /// measured TPOT implies.
    @Test func rooflineOverlaysMeasuredDecodeSteps() throws {
        let inp = input(gpus: ["h100-sxm"], models: ["llama-3-8b"], replicas: [1])
        let spec = try RidgepointChart.spec(.roofline, firstPart(.roofline, inp))
        let hollow = spec.series.compactMap { s -> [DataPoint]? in
            if case .scatter(let pts, let m, _, let l) = s, !m.filled, (l ?? "").contains("measured") { return pts }
            return nil
        }.first
        let pts = try #require(hollow)
        let m = try #require(inp.spec.measurements.first { $0.batch == 8 })
        let d = inp.deployment(m.gpu, m.model)
        let r = d.decode(batch: 8, context: m.inputTokens + m.outputTokens / 2)
        #expect(pts.contains { abs($0.x - r.intensity) < 1e-9 && abs($0.y / (r.flops / (m.tpotMs! / 1000)) - 1) < 1e-9 })
    }

    /// Measured points appear on the latency–throughput chart in a legend entry of their own.
    @Test func latencyChartOverlaysMeasurements() throws {
        let spec = try RidgepointChart.spec(.latency, firstPart(.latency, input(gpus: ["h100-sxm"], models: ["llama-3-8b"], replicas: [1])))
        #expect(spec.series.contains { if case .scatter(_, let m, _, let l) = $0 { return !m.filled && (l ?? "").contains("measured (example.org)") } else { return false } })
    }
}
