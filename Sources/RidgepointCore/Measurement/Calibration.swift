import Foundation
import RidgepointFormatting

/// What the model predicts for a measured point, from the evaluation layer's request step.
public struct Prediction: Sendable, Equatable {
    public var tpotMs: Double?
    public var ttftMs: Double?
    public var outputTokensPerSecond: Double
}

/// Fits the efficiency model (e_c, e_m and the fixed per-step overhead) of one GPU to measured
/// points by least squares on log error, over the metrics each point has (TPOT, TTFT, output
/// throughput), each predicted by the evaluation layer's request step (`Deployment.request`).
public enum Calibration {
    /// The fitted factors of one GPU and how well they fit.
    public struct Fit: Sendable {
        public var gpu: GPU
        /// The serving engine when the GPU's points were fitted per engine, else empty.
        public var engine = ""
        public var efficiency: Efficiency
        public var points: Int
        /// Mean absolute percentage error over every measured metric, %.
        public var mape: Double
        /// The worst metric: its relative error (%), the point's origin and the metric.
        public var worst: (error: Double, origin: String, metric: String)
        /// Mean absolute percentage error of each point predicted by a fit without it (nil below 3 points).
        public var leaveOneOutMape: Double?
        /// Factors kept at their defaults because the data do not pin them, with the reason.
        public var kept: [String: String]
        /// Per-point model vs measured.
        public var comparisons: [(measurement: MeasuredPoint, predicted: Prediction)]
    }

    /// Parameters of the search: e_c and e_m between 2 % and 100 %, overhead 0 – 50 ms.
    static let factorRange = (0.02, 1.0)
    static let overheadRange = (0.0, 0.05)
    /// Points up to which the held-out error is leave-one-out; above, `crossValidationFolds`-fold.
    public static let maxLeaveOneOut = 40
    public static let crossValidationFolds = 5
    /// Points the grid stage and the simplex stage of a fit evaluate at most (an even stride
    /// through the points); the fit's reported errors use every point.
    static let gridPoints = 128
    static let simplexPoints = 1_000
    /// A factor is fitted only when at least this many metrics are dominated by its term.
    public static let minPointsPerFactor = 2
    /// With a free overhead, e_m is fitted only when the memory-bound metrics' memory times differ
    /// by at least this factor (else the two are confounded).
    static let minMemorySpread = 1.5
    /// A term dominates a metric when it is at least this share of the predicted time.
    static let dominance = 0.4

    /// The prediction for `m` at `efficiency`, from the evaluation layer.
    public static func predict(_ m: MeasuredPoint, efficiency: Efficiency, spec: Spec) -> Prediction {
        let d = deployment(m, efficiency, spec)
        let w = Workload(name: "measured", inputTokens: m.inputTokens, outputTokens: m.outputTokens)
        if m.batching == .static {
            let b = d.staticBatch(w, batch: m.batch)
            return Prediction(tpotMs: b.tpot * 1000, ttftMs: b.ttft * 1000, outputTokensPerSecond: b.outputTokensPerSecond)
        }
        let r = d.request(w, batch: m.batch, serving: spec.serving)
        return Prediction(tpotMs: r.tpot.map { $0 * 1000 }, ttftMs: r.ttft.map { $0 * 1000 },
                          outputTokensPerSecond: r.tokensPerSecond)
    }

    /// The replica a measurement ran on, at `efficiency`, in the spec's convention.
    static func deployment(_ m: MeasuredPoint, _ efficiency: Efficiency, _ spec: Spec) -> Deployment {
        Deployment(gpu: m.gpu, model: m.model, gpus: m.gpus, kv: m.kv ?? spec.kv, efficiency: efficiency, convention: spec.convention,
                   reserveFraction: spec.memoryReserve, storage: m.weights.map { WeightStorage($0) } ?? spec.storage)
    }

    /// (log error, metric name) of every measured metric of `m`.
    static func residuals(_ m: MeasuredPoint, _ p: Prediction) -> [(Double, String)] {
        var out: [(Double, String)] = []
        if let t = m.tpotMs, let q = p.tpotMs, q > 0 { out.append((log(q / t), "TPOT")) }
        if let t = m.ttftMs, let q = p.ttftMs, q > 0 { out.append((log(q / t), "TTFT")) }
        if let t = m.outputTokensPerSecond, p.outputTokensPerSecond > 0 { out.append((log(p.outputTokensPerSecond / t), "output tokens/s")) }
        return out
    }

    /// How far the spec's own efficiency (not a fit) is from `points`: the mean absolute
    /// percentage error over every measured metric, and the share of metrics where the model is
    /// faster (optimistic) than the measurement. Nil without metrics.
    public static func errorOfSpec(_ points: [MeasuredPoint], spec: Spec) -> (mape: Double, optimisticShare: Double, metrics: Int)? {
        var total = 0.0, optimistic = 0, n = 0
        for m in points {
            let p = predict(m, efficiency: spec.efficiency.resolve(for: m.gpu), spec: spec)
            for (r, metric) in residuals(m, p) {
                total += abs(exp(r) - 1) * 100; n += 1
                // Times too short, or throughput too high, flatter the GPU.
                if metric == "output tokens/s" ? r > 0 : r < 0 { optimistic += 1 }
            }
        }
        return n == 0 ? nil : (total / Double(n), Double(optimistic) / Double(n), n)
    }

    static func loss(_ points: [MeasuredPoint], _ e: Efficiency, _ spec: Spec) -> Double {
        points.reduce(0) { acc, m in acc + residuals(m, predict(m, efficiency: e, spec: spec)).reduce(0) { $0 + $1.0 * $1.0 } }
    }

    /// Which factors the points pin: a factor whose term dominates fewer than
    /// `minPointsPerFactor` measured metrics (at the starting factors) is kept.
    /// Which factors a fit may move.
    struct Free {
        var compute, memory, overhead, perSequence: Bool
        /// Memory-bound points exist but their memory time hardly varies (confounded with overhead).
        var memoryConfounded = false
    }

    static func identifiable(_ points: [MeasuredPoint], start: Efficiency, spec: Spec) -> Free {
        var c = 0, mem = 0, o = 0
        var memoryTimes: [Double] = []
        for m in points {
            let d = deployment(m, start, spec)
            let w = Workload(name: "measured", inputTokens: m.inputTokens, outputTokens: m.outputTokens)
            let r = d.request(w, batch: m.batch, serving: spec.serving)
            // One step per measured metric: TPOT and throughput follow the average request step,
            // TTFT the prefill of one prompt.
            let isStatic = m.batching == .static
            let prefill = d.prefill(batch: isStatic ? m.batch : 1, context: m.inputTokens).step
            let decode = isStatic ? d.decode(batch: m.batch, context: m.inputTokens + m.outputTokens / 2).step : r.step
            var steps: [StepResult] = []
            if m.tpotMs != nil { steps.append(decode) }
            if m.outputTokensPerSecond != nil { steps.append(isStatic && prefill.stepTime > decode.stepTime * Double(m.outputTokens) ? prefill : decode) }
            if m.ttftMs != nil { steps.append(prefill) }
            for s in steps {
                if s.computeTime >= dominance * s.stepTime { c += 1 }
                if s.memoryTime >= dominance * s.stepTime { mem += 1; memoryTimes.append(s.memoryTime) }
                if s.overheadTime >= 0.1 * s.stepTime || s.stepTime < 0.02 { o += 1 }
            }
        }
        // A per-sequence cost shows only against several batch sizes. Memory time that hardly
        // varies between the points (one model, KV small beside the weights) cannot be told
        // apart from a fixed overhead: e_m then keeps its default.
        let batches = Set(points.map(\.batch))
        let overhead = o >= minPointsPerFactor + 1
        let memorySpread = (memoryTimes.max() ?? 0) / max(memoryTimes.min() ?? 1, 1e-30)
        let memory = mem >= minPointsPerFactor && (!overhead || memorySpread >= minMemorySpread)
        return Free(compute: c >= minPointsPerFactor, memory: memory, overhead: overhead,
                    perSequence: batches.count >= 3 && points.count >= 4,
                    memoryConfounded: mem >= minPointsPerFactor && !memory)
    }

    /// Fits `points` (all of one GPU) starting from `start` (the GPU's default factors).
    public static func fit(_ points: [MeasuredPoint], start: Efficiency, spec: Spec, leaveOneOut: Bool = true) -> Fit? {
        guard let gpu = points.first?.gpu, !points.isEmpty else { return nil }
        let free = identifiable(points, start: start, spec: spec)
        var kept: [String: String] = [:]
        if !free.compute { kept["compute"] = "fewer than \(minPointsPerFactor) measured metrics are limited by compute (prefill or large batches)" }
        if !free.memory {
            kept["memory"] = free.memoryConfounded
                ? "the memory-bound points read nearly the same bytes, so memory time cannot be told apart from the fixed overhead"
                : "fewer than \(minPointsPerFactor) measured metrics are limited by memory bandwidth (decode at small batch)"
        }
        if !free.overhead { kept["overhead"] = "fewer than \(minPointsPerFactor + 1) measured metrics are short steps where a fixed overhead shows" }
        if !free.perSequence { kept["per-sequence overhead"] = "fewer than 3 batch sizes (or 4 points) to show a cost that grows with the batch" }
        let e = search(points, start: start, free: free, spec: spec)
        var fitted = e
        fitted.name = "fitted"
        fitted.source = "fitted to \(points.count) measured point\(points.count == 1 ? "" : "s") ("
            + Set(points.map(\.source)).sorted().joined(separator: "; ") + ")"
            + (kept.isEmpty ? "" : "; kept at the default: " + kept.keys.sorted().joined(separator: ", "))
        fitted.overheadSource = free.overhead ? "fitted" : start.overheadSource
        var comparisons: [(MeasuredPoint, Prediction)] = []
        var errors: [(Double, String, String)] = []
        for m in points {
            let p = predict(m, efficiency: fitted, spec: spec)
            comparisons.append((m, p))
            for (r, metric) in residuals(m, p) { errors.append((abs(exp(r) - 1) * 100, m.origin, metric)) }
        }
        let mape = errors.isEmpty ? 0 : errors.reduce(0) { $0 + $1.0 } / Double(errors.count)
        let worst = errors.max { $0.0 < $1.0 } ?? (0, "", "")
        var loo: Double? = nil
        if leaveOneOut && points.count >= 3 {
            // Leave-one-out up to `maxLeaveOneOut` points; beyond, k-fold (points i ≡ f mod k
            // form fold f), so the cost stays bounded.
            let folds = points.count <= maxLeaveOneOut ? points.count : crossValidationFolds
            var total = 0.0, n = 0
            for f in 0..<folds {
                let held = points.indices.filter { $0 % folds == f }
                let rest = points.indices.filter { $0 % folds != f }.map { points[$0] }
                // Warm-started from the fit to every point: a local search, not the global one
                // (the held-out point moves the optimum little; this keeps held-out errors cheap).
                var free = identifiable(rest, start: start, spec: spec)
                free.perSequence = free.perSequence && fitted.overheadPerSequence > 0
                var from = fitted
                if !free.compute { from.compute = start.compute }
                if !free.memory { from.memory = start.memory }
                if !free.overhead { from.overhead = start.overhead }
                if !free.perSequence { from.overheadPerSequence = start.overheadPerSequence }
                let e = searchFactors(rest, start: from, free: free, spec: spec, grid: false)
                for i in held {
                    for (r, _) in residuals(points[i], predict(points[i], efficiency: e, spec: spec)) { total += abs(exp(r) - 1) * 100; n += 1 }
                }
            }
            loo = n > 0 ? total / Double(n) : nil
        }
        return Fit(gpu: gpu, efficiency: fitted, points: points.count, mape: mape, worst: worst, leaveOneOutMape: loo, kept: kept,
                   comparisons: comparisons)
    }

    /// A coarse grid over the free factors (log-spaced), then coordinate refinement by golden
    /// section on each free factor in turn. Deterministic.
    /// With a per-sequence overhead to fit, the three other factors are fitted first (without
    /// it), then all four from there: the fit is never worse than the three-factor one.
    static func search(_ all: [MeasuredPoint], start: Efficiency, free: Free, spec: Spec) -> Efficiency {
        guard free.perSequence else { return searchFactors(all, start: start, free: free, spec: spec) }
        var three = free
        three.perSequence = false
        let base = searchFactors(all, start: start, free: three, spec: spec)
        var from = base, fromLoss = loss(all, base, spec)
        for p in [1e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3] {
            var e = base
            e.overheadPerSequence = p
            let l = loss(all, e, spec)
            if l < fromLoss { from = e; fromLoss = l }
        }
        if from.overheadPerSequence == 0 { from.overheadPerSequence = 1e-6 }
        let refined = searchFactors(all, start: from, free: free, spec: spec, grid: false)
        // And a search over all four at once from a grid that includes the per-sequence term:
        // the valleys differ (a large fixed overhead with a per-sequence cost, or a low e_m).
        let joint = searchFactors(all, start: start, free: free, spec: spec, perSequenceGrid: [0, 1e-5, 1e-4])
        return [base, refined, joint].min { loss(all, $0, spec) < loss(all, $1, spec) } ?? base
    }

    static func searchFactors(_ all: [MeasuredPoint], start: Efficiency, free: Free, spec: Spec, grid: Bool = true,
                              perSequenceGrid: [Double]? = nil) -> Efficiency {
        func stride(_ n: Int) -> [MeasuredPoint] {
            all.count <= n ? all : (0..<n).map { all[$0 * all.count / n] }
        }
        var points = stride(gridPoints)
        func geom(_ a: Double, _ b: Double, _ n: Int) -> [Double] { (0..<n).map { a * pow(b / a, Double($0) / Double(n - 1)) } }
        let cs = free.compute && grid ? geom(0.05, 1, 6) : [start.compute]
        let ms = free.memory && grid ? geom(0.05, 1, 6) : [start.memory]
        let os = free.overhead && grid ? [0] + geom(1e-5, 0.05, 5) : [start.overhead]
        let ps = perSequenceGrid ?? [start.overheadPerSequence]
        var best = start, bestLoss = loss(points, start, spec)
        for c in cs { for m in ms { for o in os { for p in ps {
            var e = start; e.compute = c; e.memory = m; e.overhead = o; e.overheadPerSequence = p
            let l = loss(points, e, spec)
            if l < bestLoss { best = e; bestLoss = l }
        } } } }
        if free.perSequence && best.overheadPerSequence == 0 { best.overheadPerSequence = 1e-6 }
        // Nelder–Mead over the free factors in log space, from the best grid point (the terms
        // trade off along valleys — at small batch memory time and overhead add up — where a
        // search along one factor at a time stalls).
        var keys: [(WritableKeyPath<Efficiency, Double>, Double, Double)] = []
        if free.compute { keys.append((\.compute, factorRange.0, factorRange.1)) }
        if free.memory { keys.append((\.memory, factorRange.0, factorRange.1)) }
        if free.overhead { keys.append((\.overhead, 1e-7, overheadRange.1)) }
        if free.perSequence { keys.append((\.overheadPerSequence, 1e-9, 0.01)) }
        guard !keys.isEmpty else { return best }
        points = stride(simplexPoints)
        bestLoss = loss(points, best, spec)
        func efficiency(_ x: [Double]) -> Efficiency {
            var e = best
            for (k, v) in zip(keys, x) { e[keyPath: k.0] = min(k.2, max(k.1, exp(v))) }
            return e
        }
        func objective(_ x: [Double]) -> Double { loss(points, efficiency(x), spec) }
        let x0 = keys.map { Foundation.log(max($0.1, best[keyPath: $0.0])) }
        let xBest = NelderMead.minimize(objective, from: x0, step: 0.3, iterations: 400)
        let refined = efficiency(xBest)
        if loss(points, refined, spec) < bestLoss { best = refined }
        return best
    }

    /// Fits every GPU in `measurements` (in first-seen order), each from its default factors
    /// under `spec`'s efficiency policy.
    /// - Parameter perEngine: fit each serving engine of a GPU on its own when the data name
    ///   more than one (`engine` column); otherwise one fit per GPU.
    public static func fitAll(_ measurements: [MeasuredPoint], spec: Spec, leaveOneOut: Bool = true, perEngine: Bool = false) -> [Fit] {
        var order: [String] = []
        var groups: [String: [MeasuredPoint]] = [:]
        var engines: [String: Set<String>] = [:]
        for m in measurements where !m.engine.isEmpty { engines[m.gpu.id, default: []].insert(m.engine.lowercased()) }
        for m in measurements {
            let split = perEngine && (engines[m.gpu.id]?.count ?? 0) > 1
            let key = split ? "\(m.gpu.id)\u{1}\(m.engine.lowercased())" : m.gpu.id
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(m)
        }
        // The groups are fitted in parallel (each fit is deterministic and independent); the
        // results keep the order of the groups.
        let keys = order, byKey = groups
        return parallelMap(keys.count) { i -> Fit? in
            let key = keys[i]
            guard let pts = byKey[key], let g = pts.first?.gpu else { return nil }
            var start = EfficiencyPolicy.calibrated.resolve(for: g)
            if case .custom(let e) = spec.efficiency { start = e }
            guard var f = fit(pts, start: start, spec: spec, leaveOneOut: leaveOneOut) else { return nil }
            if key.contains("\u{1}") { f.engine = pts[0].engine.isEmpty ? "(not stated)" : pts[0].engine }
            return f
        }
    }
}

/// Nelder–Mead simplex minimisation (deterministic: fixed start, fixed steps).
enum NelderMead {
    static func minimize(_ f: ([Double]) -> Double, from x0: [Double], step: Double, iterations: Int) -> [Double] {
        let n = x0.count
        var simplex: [[Double]] = [x0]
        for i in 0..<n { var x = x0; x[i] += step; simplex.append(x) }
        var values = simplex.map(f)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }; values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= 1e-12 * (abs(values[0]) + 1e-12) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let xr = along(-1), fr = f(xr)
            if fr < values[0] {
                let xe = along(-2), fe = f(xe)
                if fe < fr { simplex[n] = xe; values[n] = fe } else { simplex[n] = xr; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = xr; values[n] = fr
            } else {
                let xc = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(xc)
                if fc < min(fr, values[n]) {
                    simplex[n] = xc; values[n] = fc
                } else {
                    for k in 1...n {
                        simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = f(simplex[k])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return simplex[best]
    }
}
