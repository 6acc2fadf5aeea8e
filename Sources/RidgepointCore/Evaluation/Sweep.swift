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
    public func forEachRow(_ body: (EvalRow) throws -> Void) rethrows {
        let models = spec.phases.map { stepModels($0) }
        for g in spec.gpus {
            for m in spec.models {
                for n in spec.gpusPerReplica {
                    let d = SharedDeployment(deployment(g, m, gpus: n))
                    for steps in models {
                        for b in spec.batchSizes {
                            let batch = Double(b)
                            for s in steps { try body(s.evaluate(d, batch: batch)) }
                        }
                    }
                }
            }
        }
    }

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
