import Foundation

/// A value of one column in one row, as the writers see it.
public enum EvalValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    /// Not applicable to this row (e.g. `ttft_s` of a decode row): an empty CSV cell, JSON null.
    case empty
}

/// How a column's value reads in the human tables (`table`, `md`).
public enum HumanStyle: Sendable {
    case text, plainInteger, count, duration, money, yesNo
}

/// The columns of the evaluated matrix, in CSV order; the raw value is the column's name (a
/// contract for CSV/JSON readers). `EvalSchema.columns` gives each its unit and meaning and
/// `EvalRow.value(_:)` its value — both switch over this enum, so the compiler checks that every
/// column has both.
public enum EvalColumnID: String, CaseIterable, Sendable {
    case gpu
    case model
    case phase
    case batch
    case context
    case gpus
    case weights
    case kv
    case flops
    case bytes
    case intensity
    case ridge
    case bound
    case stepS = "step_s"
    case tokensPerS = "tokens_per_s"
    case weightBytes = "weight_bytes"
    case kvBytesPerToken = "kv_bytes_per_token"
    case memoryBytes = "memory_bytes"
    case capacityBytes = "capacity_bytes"
    case fits
    case usdPerMtok = "usd_per_mtok"
    // Added columns: append only.
    case computeS = "compute_s"
    case memoryS = "memory_s"
    case interconnectS = "interconnect_s"
    case weightBytesRead = "weight_bytes_read"
    case kvBytesStep = "kv_bytes_step"
    case usdPerMtokWeights = "usd_per_mtok_weights"
    case usdPerMtokKv = "usd_per_mtok_kv"
    case usdPerMtokCompute = "usd_per_mtok_compute"
    case usdPerGpuHour = "usd_per_gpu_hour"
    case computePrecision = "compute_precision"
    case efficiency
    case convention
    case workload
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"
    case ttftS = "ttft_s"
    case tpotS = "tpot_s"
    case e2eS = "e2e_s"
    case requestsPerS = "requests_per_s"
    case usdPerRequest = "usd_per_request"
    case usdPerMtokInput = "usd_per_mtok_input"
    case usdPerMtokOutput = "usd_per_mtok_output"
    case overheadS = "overhead_s"
    case link
    case tpSupported = "tp_supported"
    case beyondMaxContext = "beyond_max_context"
    case maxBatch = "max_batch"
    case watts
    case joulesPerToken = "joules_per_token"
    case usdPerGpuHourOwned = "usd_per_gpu_hour_owned"
    case usdPerMtokOwned = "usd_per_mtok_owned"
    case usdPerRequestOwned = "usd_per_request_owned"
    case serving
    case tp
    case pp
    case ep
    case dpAttention = "dp_attention"
    case tokensPerStep = "tokens_per_step"
    case kvTransferS = "kv_transfer_s"
    case balancedPdRatio = "balanced_pd_ratio"
}

/// One column of the evaluated matrix: its name, unit, a one-line meaning and the short header of
/// the human tables.
public struct EvalColumn: Sendable {
    public let id: EvalColumnID
    /// Unit of the values, e.g. `s`, `B` or `USD/Mtok` (empty for text and flags).
    public let unit: String
    public let header: String
    public let style: HumanStyle
    /// One-line meaning, written to the JSON column list and the column table.
    public let meaning: String
    /// Column name in CSV and JSON.
    public var name: String { id.rawValue }

    init(_ id: EvalColumnID, _ unit: String, _ header: String, _ style: HumanStyle, _ meaning: String) {
        self.id = id; self.unit = unit; self.header = header; self.style = style; self.meaning = meaning
    }

    /// This column's value in `row`.
    public func value(_ row: EvalRow) -> EvalValue { row.value(id) }
}

/// The columns of `ridgepoint eval` and of `matrix.csv`/`matrix.json`, declared once.
///
/// The first `contractCount` columns are a stable contract (their names and order never change);
/// later columns may be added at the end.
public enum EvalSchema {
    /// Leading columns whose names and order never change.
    public static let contractCount = 21

    /// Every column in CSV order: the contract first, then the added columns.
    public static let columns: [EvalColumn] = [
        // The contract: these 21 never change.
        EvalColumn(.gpu, "", "GPU", .text, "GPU id (catalog or spec)"),
        EvalColumn(.model, "", "model", .text, "model id"),
        EvalColumn(.phase, "", "phase", .text, "decode (one token per sequence), prefill (whole prompts) or request (prefill and decode under continuous batching)"),
        EvalColumn(.batch, "sequences", "B", .plainInteger, "sequences decoded together, prompts prefilled together, or concurrent requests"),
        EvalColumn(.context, "tokens", "S", .plainInteger, "cached tokens per sequence (decode), prompt tokens (prefill), input tokens (request)"),
        EvalColumn(.gpus, "GPUs", "n", .plainInteger, "GPUs per replica: tp × pp (the prefill and decode pools together when disaggregated)"),
        EvalColumn(.weights, "", "weights", .text, "weight format of the transformer body"),
        EvalColumn(.kv, "", "kv", .text, "KV-cache format"),
        EvalColumn(.flops, "FLOP", "FLOPs", .count, "FLOPs of the step for the whole replica"),
        EvalColumn(.bytes, "B", "bytes", .count, "bytes the step moves to and from memory (weights read, KV read and written)"),
        EvalColumn(.intensity, "FLOP/byte", "I (FLOP/B)", .count, "arithmetic intensity of the step, flops/bytes"),
        EvalColumn(.ridge, "FLOP/byte", "ridge", .count, "ridge point of the replica at its efficiency, Π/β"),
        EvalColumn(.bound, "", "bound", .text, "the slowest term: compute, memory, interconnect or overhead"),
        EvalColumn(.stepS, "s", "step", .duration, "step time (decode: TPOT; prefill: TTFT of the batch; request: the average step, i.e. TPOT)"),
        EvalColumn(.tokensPerS, "tokens/s", "tokens/s", .count, "tokens per second of the replica: generated (decode, request) or prompt tokens (prefill)"),
        EvalColumn(.weightBytes, "B", "weights B", .count, "weight bytes resident in the replica's memory"),
        EvalColumn(.kvBytesPerToken, "B", "KV B/token", .count, "KV-cache bytes per token, all layers, before tensor-parallel replication"),
        EvalColumn(.memoryBytes, "B", "memory", .count, "memory the row needs: weights plus the KV its sequences hold"),
        EvalColumn(.capacityBytes, "B", "capacity", .count, "memory of the replica as the devices report it (datasheet under a seed's convention)"),
        EvalColumn(.fits, "", "fits", .yesNo, "memory_bytes ≤ capacity_bytes × (1 − reserve)"),
        EvalColumn(.usdPerMtok, "USD/Mtok", "$/Mtok", .money, "dollars per million tokens counted in tokens_per_s (request: all-in per output token)"),
        // Added columns: append only.
        EvalColumn(.computeS, "s", "compute", .duration, "compute term: flops ÷ (Π·n·e_c)"),
        EvalColumn(.memoryS, "s", "memory", .duration, "memory term: weight and KV bytes ÷ (β·n·e_m)"),
        EvalColumn(.interconnectS, "s", "collectives", .duration, "collective time: all-reduces (two per layer; fewer with EP or DP attention), expert-parallel all-to-alls and pipeline hops, each latency plus bytes"),
        EvalColumn(.weightBytesRead, "B", "weights read", .count, "weight bytes the step reads (MoE: touched experts; the input embedding as a gather)"),
        EvalColumn(.kvBytesStep, "B", "KV bytes", .count, "KV bytes the step reads and writes"),
        EvalColumn(.usdPerMtokWeights, "USD/Mtok", "$ weights", .money, "cost of the weight-read time per million tokens"),
        EvalColumn(.usdPerMtokKv, "USD/Mtok", "$ KV", .money, "cost of the KV time per million tokens"),
        EvalColumn(.usdPerMtokCompute, "USD/Mtok", "$ compute", .money, "cost of the compute time per million tokens"),
        EvalColumn(.usdPerGpuHour, "USD/GPU-hour", "$/GPU-h", .money, "rental price of one GPU for one hour"),
        EvalColumn(.computePrecision, "", "math", .text, "precision the matrix math runs in"),
        EvalColumn(.efficiency, "", "efficiency", .text, "efficiency preset: ideal, calibrated or custom"),
        EvalColumn(.convention, "", "convention", .text, "counting convention: physical, textbook, seed-002 or seed-003"),
        EvalColumn(.workload, "", "workload", .text, "workload name (request rows)"),
        EvalColumn(.inputTokens, "tokens", "in", .plainInteger, "prompt tokens per request (request rows)"),
        EvalColumn(.outputTokens, "tokens", "out", .plainInteger, "generated tokens per request (request rows)"),
        EvalColumn(.ttftS, "s", "TTFT", .duration, "time to first token (prefill: the step; request: the prompt's chunks, each beside an average step)"),
        EvalColumn(.tpotS, "s", "TPOT", .duration, "time per output token (decode: the step; request: the average step, decode plus its share of prefill)"),
        EvalColumn(.e2eS, "s", "e2e", .duration, "request latency: ttft_s + (output_tokens − 1) × tpot_s"),
        EvalColumn(.requestsPerS, "requests/s", "req/s", .count, "requests the replica completes per second in steady state"),
        EvalColumn(.usdPerRequest, "USD", "$/request", .money, "usd_per_gpu_hour × gpus ÷ 3600 ÷ requests_per_s"),
        EvalColumn(.usdPerMtokInput, "USD/Mtok", "$/Mtok in", .money, "the input tokens' share of usd_per_request per million input tokens (split by the time each phase takes alone)"),
        EvalColumn(.usdPerMtokOutput, "USD/Mtok", "$/Mtok out", .money, "the output tokens' share of usd_per_request per million output tokens"),
        EvalColumn(.overheadS, "s", "overhead", .duration, "fixed per-step overhead of the efficiency model"),
        EvalColumn(.link, "", "link", .text, "link the all-reduces cross: none, scale-up or scale-out"),
        EvalColumn(.tpSupported, "", "TP ok", .yesNo, "serving engines accept this tensor-parallel degree (heads divide evenly)"),
        EvalColumn(.beyondMaxContext, "", "> max ctx", .yesNo, "a sequence outgrows the model's maximum context"),
        EvalColumn(.maxBatch, "sequences", "max B", .count, "largest batch whose sequences fit in memory at this row's longest context"),
        EvalColumn(.watts, "W", "watts", .count, "board power of the replica: the GPU's board power (tdp_w) × gpus"),
        EvalColumn(.joulesPerToken, "J/token", "J/token", .count, "energy at the boards per token counted in tokens_per_s: watts × step_s ÷ tokens of the step"),
        EvalColumn(.usdPerGpuHourOwned, "USD/GPU-hour", "owned $/GPU-h", .money, "cost of an owned GPU per busy hour: capex ÷ (years × 8,760 × utilisation) + hosting × 12 ÷ (8,760 × utilisation) + kW × PUE × $/kWh"),
        EvalColumn(.usdPerMtokOwned, "USD/Mtok", "owned $/Mtok", .money, "usd_per_mtok with owned GPUs: usd_per_gpu_hour_owned in place of the rental price"),
        EvalColumn(.usdPerRequestOwned, "USD", "owned $/request", .money, "usd_per_request with owned GPUs (request rows)"),
        EvalColumn(.serving, "", "serving", .text, "serving mode: tp<N>, then -pp<N>, -ep<N>, -dpattn, -spec<k>@<α>-<draft>, -disagg<P>:<D> where used"),
        EvalColumn(.tp, "GPUs", "TP", .plainInteger, "tensor-parallel degree (GPUs per pipeline stage)"),
        EvalColumn(.pp, "stages", "PP", .plainInteger, "pipeline stages; a replica has tp × pp GPUs"),
        EvalColumn(.ep, "GPUs", "EP", .plainInteger, "GPUs the experts are spread over (1: experts split tensor-parallel)"),
        EvalColumn(.dpAttention, "", "DP attn", .yesNo, "attention data parallel: each GPU keeps its own sequences' KV"),
        EvalColumn(.tokensPerStep, "tokens", "tokens/step", .count, "tokens a decoding sequence advances per step: 1, or (1 − α^(k+1))/(1 − α) with speculative decoding (empty for prefill rows)"),
        EvalColumn(.kvTransferS, "s", "KV transfer", .duration, "disaggregated serving: the prompt's KV (input_tokens × kv_bytes_per_token) over the link to the decode pool; part of ttft_s"),
        EvalColumn(.balancedPdRatio, "", "P:D balanced", .count, "disaggregated serving: prefill GPUs per decode GPU at which neither pool waits for the other"),
    ]

    public static var names: [String] { columns.map(\.name) }

    /// The column called `name`.
    public static func column(_ name: String) -> EvalColumn? { columns.first { $0.name == name } }
}

extension EvalRow {
    /// The value of column `c` in this row.
    public func value(_ c: EvalColumnID) -> EvalValue {
        switch c {
        case .gpu: return .text(self.shared.value.gpu.id)
        case .model: return .text(self.shared.value.model.id)
        case .phase: return .text(self.phase.rawValue)
        case .batch: return self.batch == self.batch.rounded() && abs(self.batch) < 9e15 ? .integer(Int(self.batch)) : .number(self.batch)
        case .context: return .integer(self.context)
        case .gpus: return .integer(self.shared.value.gpus)
        case .weights: return .text(self.shared.value.weights.rawValue)
        case .kv: return .text(self.shared.value.kv.rawValue)
        case .flops: return num(self.step.flops)
        case .bytes: return num(self.step.bytes)
        case .intensity: return num(self.step.intensity)
        case .ridge: return num(self.shared.value.ridge)
        case .bound: return .text(self.step.bound.rawValue)
        case .stepS: return num(self.step.stepTime)
        case .tokensPerS: return num(self.tokensPerSecond)
        case .weightBytes: return num(self.shared.value.weightBytes)
        case .kvBytesPerToken: return num(self.shared.value.kvBytesPerToken)
        case .memoryBytes: return num(self.step.memoryBytes)
        case .capacityBytes: return num(self.step.capacityBytes)
        case .fits: return .boolean(self.fits)
        case .usdPerMtok: return num(self.usdPerMtok)
        case .computeS: return num(self.step.computeTime)
        case .memoryS: return num(self.step.memoryTime)
        case .interconnectS: return num(self.step.interconnectTime)
        case .weightBytesRead: return num(self.step.weightBytesRead)
        case .kvBytesStep: return num(self.step.kvBytes)
        case .usdPerMtokWeights: return num(self.usdPerMtokWeights)
        case .usdPerMtokKv: return num(self.usdPerMtokKV)
        case .usdPerMtokCompute: return num(self.usdPerMtokCompute)
        case .usdPerGpuHour: return num(self.shared.value.usdPerHour)
        case .computePrecision: return .text(self.shared.value.computePrecision.rawValue)
        case .efficiency: return .text(self.shared.value.efficiency.name)
        case .convention: return .text(self.shared.value.convention.name)
        case .workload: return self.workload.map { .text($0.name) } ?? .empty
        case .inputTokens: return self.workload.map { .integer($0.inputTokens) } ?? .empty
        case .outputTokens: return self.workload.map { .integer($0.outputTokens) } ?? .empty
        case .ttftS: return opt(self.ttft)
        case .tpotS: return opt(self.tpot)
        case .e2eS: return opt(self.request?.e2e)
        case .requestsPerS: return opt(self.request?.requestsPerSecond)
        case .usdPerRequest: return opt(self.request?.usdPerRequest)
        case .usdPerMtokInput: return opt(self.request?.usdPerMtokInput)
        case .usdPerMtokOutput: return opt(self.request?.usdPerMtokOutput)
        case .overheadS: return num(self.step.overheadTime)
        case .link: return .text(self.shared.value.link.rawValue)
        case .tpSupported: return .boolean(self.shared.value.tensorParallelSupported)
        case .beyondMaxContext: return .boolean(self.beyondMaxContext)
        case .maxBatch: return .integer(min(self.maxBatch, 1 << 53))
        case .watts: return opt(self.shared.value.watts)
        case .joulesPerToken: return opt(self.joulesPerToken)
        case .usdPerGpuHourOwned: return opt(self.shared.value.ownedUsdPerGpuHour)
        case .usdPerMtokOwned: return opt(self.usdPerMtokOwned)
        case .usdPerRequestOwned: return opt(self.request?.usdPerRequestOwned)
        case .serving: return .text(self.shared.value.mode.key(tp: self.shared.value.tp))
        case .tp: return .integer(self.shared.value.tp)
        case .pp: return .integer(self.shared.value.pp)
        case .ep: return .integer(self.shared.value.ep)
        case .dpAttention: return .boolean(self.shared.value.dpAttention)
        case .tokensPerStep: return opt(self.sequenceTokensPerStep)
        case .kvTransferS: return opt(self.request?.kvTransfer)
        case .balancedPdRatio: return opt(self.request?.balancedPrefillToDecode)
        }
    }
}

@inline(__always) func num(_ x: Double) -> EvalValue { .number(x) }
@inline(__always) func opt(_ x: Double?) -> EvalValue { x.map { .number($0) } ?? .empty }
