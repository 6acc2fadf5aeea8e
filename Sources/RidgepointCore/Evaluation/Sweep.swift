import Foundation

/// The evaluated matrix of a spec, in a fixed order: GPU, model, GPUs per replica, phase,
/// batch, then context (decode, prefill) or workload (request) — each in the spec's order.
public struct Sweep: Sendable {
    public var spec: Spec
    public init(spec: Spec) { self.spec = spec }

    /// The deployment of `gpu` × `model` on `n` GPUs under the spec's settings.
    public func deployment(_ gpu: GPU, _ model: Model, gpus n: Int) -> Deployment {
        spec.deployment(gpu, model, gpus: n)
    }

    /// The step models of `phase`: one per context (decode, prefill) or workload (request).
    public func stepModels(_ phase: Phase) -> [any StepModel] {
        switch phase {
        case .decode: return spec.contexts.map { DecodeStep(context: $0) }
        case .prefill: return spec.contexts.map { PrefillStep(context: $0) }
        case .request: return spec.effectiveWorkloads.map { RequestStep(workload: $0, serving: spec.serving) }
        }
    }

    /// Calls `body` for every row in order without storing them (for very large sweeps).
    /// Order: GPU, model, tensor-parallel degree, serving mode, phase, batch, context/workload.
    /// A mode shows only in the phases it changes (speculation: decode and request;
    /// disaggregation: request) and only for the models and degrees it applies to.
    public func forEachRow(_ body: (EvalRow) throws -> Void) rethrows {
        let models = spec.phases.map { ($0, stepModels($0)) }
        for g in spec.gpus {
            for m in spec.models {
                for n in spec.gpusPerReplica {
                    var done: Set<PhaseMode> = []
                    for mode in spec.modes where spec.applies(mode, model: m, tp: n) {
                        var shared: [ServingMode: SharedDeployment] = [:]
                        for (i, (phase, steps)) in models.enumerated() {
                            let shown = Sweep.shown(mode, in: phase)
                            guard done.insert(PhaseMode(phase: i, mode: shown)).inserted else { continue }
                            let d = shared[shown] ?? SharedDeployment(spec.deployment(g, m, gpus: n, mode: shown))
                            shared[shown] = d
                            for b in spec.batchSizes {
                                let batch = Double(b)
                                for s in steps { try body(s.evaluate(d, batch: batch)) }
                            }
                        }
                    }
                }
            }
        }
    }

    struct PhaseMode: Hashable { var phase: Int; var mode: ServingMode }

    /// The part of `mode` rows of `phase` depend on: prefill rows ignore speculation and
    /// disaggregation, decode rows disaggregation (a mode differing only there repeats no rows).
    public static func shown(_ mode: ServingMode, in phase: Phase) -> ServingMode {
        var m = mode
        switch phase {
        case .prefill: m.speculative = nil; m.disaggregated = nil
        case .decode: m.disaggregated = nil
        case .request: break
        }
        return m
    }

    /// Every row, in `forEachRow` order, held in memory.
    public var rows: [EvalRow] {
        var out: [EvalRow] = []
        out.reserveCapacity(min(spec.cellCount, 1 << 20))
        forEachRow { out.append($0) }
        return out
    }

    /// Rows whose sequences outgrow the model's maximum context, by model: for the one warning
    /// line `eval` prints (model id → the longest context asked for and the model's maximum).
    public var contextWarnings: [(model: Model, asked: Int, max: Int)] {
        var out: [(Model, Int, Int)] = []
        let longest = max(spec.phases.contains(.decode) || spec.phases.contains(.prefill) ? (spec.contexts.max() ?? 0) : 0,
                          spec.phases.contains(.request) ? (spec.effectiveWorkloads.map(\.peakContext).max() ?? 0) : 0)
        for m in spec.models {
            if let limit = m.maxContext, longest > limit { out.append((m, longest, limit)) }
        }
        return out
    }
}
