import Foundation

/// One evaluated cell: a deployment, a phase, a batch and a context (or workload), with every
/// number the outputs show. Built only by a `StepModel`; read by the writers, the recommender,
/// the report tables, the charts and the exercises (through `EvalSchema` or its properties).
public struct EvalRow: Sendable {
    /// The deployment, shared by every row of it (a row copy is then one reference, not a copy of
    /// the GPU and model).
    public let shared: SharedDeployment
    public var deployment: Deployment { shared.value }
    public var phase: Phase
    /// B: sequences decoded together, prompts prefilled together, or concurrent requests.
    public var batch: Double
    /// S: cached tokens (decode), prompt tokens (prefill) or input tokens (request).
    public var context: Int
    /// The workload of a request row (nil for decode and prefill rows).
    public var workload: Workload?
    /// The step (decode, prefill) or the average step of a request in steady state.
    public var step: StepResult
    /// Tokens the step produces or consumes, as tokens/s and $/Mtok count them: decode B,
    /// prefill B·S, request the output tokens of one average step.
    public var tokensPerStep: Double
    /// Largest context a sequence of this row reaches, tokens.
    public var peakContext: Int
    /// Time to first token, s (prefill and request rows).
    public var ttft: Double?
    /// Time per output token, s (decode and request rows).
    public var tpot: Double?
    /// Latency, rate and cost per request (request rows only).
    public var request: RequestMetrics?
    /// Tokens a decoding sequence advances per step: 1, or τ with speculative decoding (nil for
    /// prefill rows).
    public var sequenceTokensPerStep: Double?

    public init(deployment: SharedDeployment, phase: Phase, batch: Double, context: Int, workload: Workload? = nil,
                step: StepResult, tokensPerStep: Double, peakContext: Int, ttft: Double? = nil, tpot: Double? = nil,
                request: RequestMetrics? = nil, sequenceTokensPerStep: Double? = nil) {
        self.shared = deployment; self.phase = phase; self.batch = batch; self.context = context
        self.workload = workload; self.step = step; self.tokensPerStep = tokensPerStep; self.peakContext = peakContext
        self.ttft = ttft; self.tpot = tpot; self.request = request; self.sequenceTokensPerStep = sequenceTokensPerStep
    }

    public var gpu: GPU { shared.value.gpu }
    public var model: Model { shared.value.model }
    /// Time of the step, seconds (request rows: the steady-state average step).
    public var stepTime: Double { step.stepTime }
    public var bound: Bound { step.bound }
    public var intensity: Double { step.intensity }
    /// Whether `memoryBytes` fits in the usable memory (capacity less the reserve).
    public var fits: Bool { step.fits }
    public var flops: Double { step.flops }
    public var bytes: Double { step.bytes }
    public var weightBytesRead: Double { step.weightBytesRead }
    public var kvBytes: Double { step.kvBytes }
    /// Compute term of the step, seconds.
    public var computeTime: Double { step.computeTime }
    /// Time to read the step's weights, seconds.
    public var weightTime: Double { step.weightTime }
    /// Time to read and write the step's KV bytes, seconds.
    public var kvTime: Double { step.kvTime }
    /// Memory term: weight and KV time combined under the convention, seconds.
    public var memoryTime: Double { step.memoryTime }
    /// Time of the step's collectives, seconds.
    public var interconnectTime: Double { step.interconnectTime }
    /// Memory the row needs, bytes: weights plus the KV its sequences hold (and a speculative draft's).
    public var memoryBytes: Double { step.memoryBytes }
    public var capacityBytes: Double { step.capacityBytes }
    public var usableBytes: Double { step.usableBytes }
    /// Achieved FLOP/s of the replica (flops ÷ step time).
    public var achievedFlops: Double { step.achievedFlops }
    /// Tokens per second for the replica.
    public var tokensPerSecond: Double { tokensPerStep / step.stepTime }
    /// Tokens per second per GPU.
    public var tokensPerSecondPerGPU: Double { tokensPerSecond / Double(deployment.gpus) }
    /// Dollars per million tokens: n·price/3600 × step time ÷ tokens per step × 10⁶.
    public var usdPerMtok: Double { cost(of: step.stepTime) }
    /// $ per million of the row's tokens for the weight-read time alone; the per-term
    /// costs do not add up to `usdPerMtok`, whose step time takes the larger of compute and memory.
    public var usdPerMtokWeights: Double { cost(of: step.weightTime) }
    /// $ per million of the row's tokens for the KV time alone.
    public var usdPerMtokKV: Double { cost(of: step.kvTime) }
    /// $ per million of the row's tokens for the compute time alone.
    public var usdPerMtokCompute: Double { cost(of: step.computeTime) }
    /// $ per million of the row's tokens for the collective time alone.
    public var usdPerMtokInterconnect: Double { cost(of: step.interconnectTime) }
    /// Dollars per million tokens with owned GPUs (nil without a purchase price or board power).
    public var usdPerMtokOwned: Double? { shared.value.ownedDollarsPerSecond.map { $0 * step.stepTime / tokensPerStep * 1e6 } }
    /// Energy at the boards per token counted in tokens_per_s, J: watts × step time ÷ tokens.
    public var joulesPerToken: Double? { shared.value.watts.map { $0 * step.stepTime / tokensPerStep } }
    /// The price of `seconds` of the replica per million of this row's tokens.
    func cost(of seconds: Double) -> Double { shared.value.usdPerMtok(seconds: seconds, tokens: tokensPerStep) }

    /// Whether a sequence of this row outgrows the model's maximum context.
    public var beyondMaxContext: Bool { shared.value.model.maxContext.map { peakContext > $0 } ?? false }
    /// Largest batch whose sequences fit in memory at this row's peak context.
    public var maxBatch: Int { shared.value.maxBatchThatFits(context: peakContext) }
}

/// A deployment shared by reference among the rows evaluated for it.
public final class SharedDeployment: Sendable {
    public let value: Deployment
    public init(_ value: Deployment) { self.value = value }
}
