import Foundation
import RidgepointFormatting

/// Decode (one new token per sequence), prefill (a whole prompt) or a whole request (prefill
/// and decode sharing the replica under continuous batching).
public enum Phase: String, Sendable, Codable, CaseIterable { case decode, prefill, request }

/// What limits a step: the slowest of its terms.
public enum Bound: String, Sendable, Codable { case compute, memory, interconnect, overhead }

/// Which link a replica's all-reduces cross.
public enum LinkKind: String, Sendable, Codable {
    /// One GPU: no collective.
    case none
    /// Inside the GPU's scale-up domain (NVLink, Infinity Fabric, PCIe within a node).
    case scaleUp = "scale-up"
    /// More GPUs than one domain holds: the all-reduces cross the scale-out network.
    case scaleOut = "scale-out"
}

/// One replica: a model served on `gpus` identical GPUs — tensor parallel over `tp` GPUs, in
/// `pp` pipeline stages, with experts spread over `ep` GPUs and attention optionally data
/// parallel — at given precisions, efficiency and counting convention.
///
/// This type holds the per-token and per-byte coefficients of the physics (how many FLOPs a
/// token costs, how many weight bytes a step over T tokens reads, how long an all-reduce takes);
/// `step(_:)` (Evaluation/Step.swift) combines them into the time of a step. Nothing else in
/// Ridgepoint computes a step time, a byte count or a cost. All quantities in SI units.
public struct Deployment: Sendable, Hashable {
    public let gpu: GPU
    public let model: Model
    /// GPUs a replica is billed for: tp × pp, or the prefill and decode pools together (P + D)
    /// when prefill is disaggregated.
    public let gpus: Int
    /// n: GPUs one replica of the model runs on, tp × pp.
    public var replicaGPUs: Int { tp * pp }
    /// Tensor-parallel degree (GPUs per pipeline stage).
    public let tp: Int
    /// Pipeline stages, expert parallelism, data-parallel attention, speculation, disaggregation.
    public let mode: ServingMode
    /// Pipeline stages of the replica (`mode.pp`); 1 without pipelining.
    public var pp: Int { mode.pp }
    /// GPUs an MoE model's experts are spread over (`mode.ep`); 1 when they are not spread.
    public var ep: Int { mode.ep }
    /// Whether attention runs data parallel over the tp GPUs (`mode.dpAttention`): each GPU keeps its
    /// own sequences' KV and a full copy of the non-expert weights.
    public var dpAttention: Bool { mode.dpAttention }
    public let storage: WeightStorage
    public let kv: KVFormat
    /// Achieved fractions of the peaks (e_c, e_m, e_net) and the per-step overhead of this replica.
    public let efficiency: Efficiency
    public let convention: Convention
    /// Fraction of memory kept free for activations, workspace and fragmentation (0…0.9).
    public let reserveFraction: Double
    /// $/GPU-hour used for cost (the GPU's default unless overridden).
    public let usdPerHour: Double
    /// Energy price, PUE and ownership terms for the owned-cost figures.
    public let economics: Economics
    /// Cost of one owned GPU of this replica per busy hour (nil without a purchase price or
    /// board power), derived once from `gpu` and `economics`: every row's owned columns read it.
    public let ownedUsdPerGpuHour: Double?
    /// Bytes per activation element exchanged in all-reduces (bf16).
    public let activationBytes: Double = 2
    /// The coefficients below, computed once (a step reads them millions of times in a sweep).
    let k: Coefficients

    /// `gpus` is the tensor-parallel degree; the billed `gpus` becomes that × `mode.pp`, or P + D when
    /// `mode` disaggregates. A nil `usdPerHour` takes the GPU's catalog price; a given `storage` replaces `weights`.
    public init(gpu: GPU, model: Model, gpus: Int = 1, weights: WeightFormat = .bf16, kv: KVFormat = .bf16,
                efficiency: Efficiency = .ideal, convention: Convention = .physical, reserveFraction: Double = 0.1,
                usdPerHour: Double? = nil, storage: WeightStorage? = nil, economics: Economics = .default,
                mode: ServingMode = .plain) {
        self.gpu = gpu; self.model = model; self.tp = max(1, gpus)
        self.gpus = mode.disaggregated.map { max(1, $0.prefillGPUs + $0.decodeGPUs) } ?? max(1, gpus) * max(1, mode.pp)
        self.mode = mode
        self.storage = storage ?? WeightStorage(weights)
        self.kv = kv
        self.efficiency = efficiency; self.convention = convention; self.reserveFraction = reserveFraction
        self.usdPerHour = usdPerHour ?? gpu.price.usdPerHour
        self.economics = economics
        self.ownedUsdPerGpuHour = Deployment.ownedUsdPerGpuHour(gpu, economics)
        k = Coefficients(gpu: gpu, model: model, tp: self.tp, mode: mode, storage: self.storage, kv: kv, efficiency: efficiency,
                         convention: convention, reserve: reserveFraction, activationBytes: 2)
    }

    /// The weight format of the transformer body.
    public var weights: WeightFormat { storage.format }

    /// The physics of the replica, derived once from its configuration.
    struct Coefficients: Sendable, Hashable {
        let computePrecision: Precision
        let usesSparsePeak: Bool
        let peakPerGPU, bandwidthPerGPU, peakFlops, bandwidth: Double
        let capacityPerGPU, capacityBytes, usableBytes: Double
        let link: LinkKind
        let linkBandwidth, allReduceLatency, allReduceCount, activationBytesPerToken, ringFactor: Double
        // Expert parallelism: all-to-alls per step (dispatch and combine in every MoE layer) and
        // the routed share of a token's activations that leaves its GPU, k·(ep − 1)/ep.
        let tp, pp: Double
        let allToAllCount, routedRemoteShare: Double
        // Pipeline: activations cross pp − 1 stage boundaries per pass, over this link.
        let hopBandwidth, hopLatency: Double
        // Data-parallel attention: copies of the non-expert body each step reads (tp, else 1).
        let replicatedReads: Double
        let weightBytes, kvBytesPerToken, kvReplication, kvBytesPerCachedToken: Double
        let bodyFlopsPerToken, lmHeadFlopsPerLogit, attentionFlopsPerContextToken: Double
        // Weight reads: fixed params + touched experts per layer × one expert in every MoE layer, at the
        // body's bytes; the LM head and gathered rows at the embeddings' bytes.
        let refinements: Bool
        let readFactor, bodyBytes, embeddingBytes: Double
        let fixedBodyParams, expertParams, experts, expertsPerToken: Double
        let isMoE: Bool
        let lmHeadParams, gatherRowParams, vocab: Double

        init(gpu: GPU, model: Model, tp tpInt: Int, mode: ServingMode, storage: WeightStorage, kv: KVFormat, efficiency: Efficiency,
             convention: Convention, reserve: Double, activationBytes: Double) {
            let gpus = tpInt * max(1, mode.pp)
            let n = Double(gpus), tpD = Double(tpInt)
            tp = tpD; pp = Double(max(1, mode.pp))
            computePrecision = gpu.computePrecision(for: storage.format)
            usesSparsePeak = !convention.sparsePeakArchitectures.isEmpty && convention.usesSparsePeak(gpu)
            peakPerGPU = gpu.peak(computePrecision, sparse: usesSparsePeak) ?? 0
            bandwidthPerGPU = convention.bandwidthOverrides[gpu.id] ?? gpu.bandwidth
            // One pipeline stage works on a micro-batch at a time: a pass through the model runs on
            // tp GPUs' peaks (with pp = 1, the whole replica).
            peakFlops = peakPerGPU * tpD * efficiency.compute
            bandwidth = bandwidthPerGPU * tpD * efficiency.memory
            refinements = convention.refinements
            capacityPerGPU = refinements ? gpu.usableMemoryBytes : gpu.memoryBytes
            capacityBytes = capacityPerGPU * n
            usableBytes = capacityBytes * (1 - reserve)
            link = gpus <= 1 ? .none : (gpus <= gpu.links.domain ? .scaleUp : .scaleOut)
            // The tensor-parallel collectives stay inside a stage's tp GPUs; stage boundaries
            // cross the scale-out network once the replica outgrows a scale-up domain.
            let tpLink: LinkKind = tpInt <= 1 ? .none : (tpInt <= gpu.links.domain ? .scaleUp : .scaleOut)
            linkBandwidth = (tpLink == .scaleOut ? gpu.links.scaleOutBandwidth : gpu.links.bandwidth) / 2 * efficiency.interconnect
            switch tpLink {
            case .none: allReduceLatency = 0
            case .scaleUp: allReduceLatency = refinements ? gpu.links.allReduceLatency : 0
            case .scaleOut: allReduceLatency = refinements ? gpu.links.scaleOutLatency : 0
            }
            hopBandwidth = (link == .scaleOut ? gpu.links.scaleOutBandwidth : gpu.links.bandwidth) / 2 * efficiency.interconnect
            hopLatency = refinements ? (link == .scaleOut ? gpu.links.scaleOutLatency : gpu.links.allReduceLatency) : 0
            let moeLayers = Double(model.moe != nil && !model.isDeclared ? model.moeLayers : 0)
            let layers = Double(model.layers)
            let ep = model.moe != nil && !model.isDeclared ? max(1, mode.ep) : 1
            // Two all-reduces per layer (after attention, after the FFN). With tensor-parallel
            // attention every rank holds every token, so experts spread over the ranks still end
            // in an all-reduce (each rank adds its experts' outputs): expert parallelism changes
            // no collective. Data-parallel attention drops the attention's and the replicated
            // dense FFNs'; its MoE layers then gather and scatter tokens — an all-to-all dispatch
            // and combine with experts spread (EP), an all-reduce's worth with experts sliced.
            if tpInt <= 1 {
                allReduceCount = 0; allToAllCount = 0
            } else if mode.dpAttention {
                allReduceCount = ep > 1 ? 0 : moeLayers
                allToAllCount = ep > 1 ? 2 * moeLayers : 0
            } else {
                allReduceCount = 2 * layers
                allToAllCount = 0
            }
            routedRemoteShare = ep > 1 ? Double(model.moe?.expertsPerToken ?? 0) * Double(ep - 1) / Double(ep) : 0
            activationBytesPerToken = Double(model.hiddenSize) * activationBytes
            ringFactor = tpInt > 1 ? 2 * (tpD - 1) / tpD : 0
            let replicaWeights = refinements
                ? model.bodyParams * storage.bodyBytesPerWeight + model.embeddingStorageParams * storage.embeddingBytesPerWeight
                : model.totalParams * storage.format.bytes
            kvBytesPerToken = model.kvBytesPerToken(kv.bytes)
            // Tensor-parallel ranks copy KV heads they share (an MLA latent is shared by all);
            // data-parallel attention keeps each sequence's KV on one GPU only.
            kvReplication = mode.dpAttention ? 1 : (model.mla != nil ? tpD : Swift.max(1, tpD / Double(model.kvHeads)))
            kvBytesPerCachedToken = kvBytesPerToken * kvReplication
            bodyFlopsPerToken = refinements ? 2 * model.bodyActiveParams : 2 * model.activeParams
            lmHeadFlopsPerLogit = refinements ? 2 * model.lmHeadParams : 0
            attentionFlopsPerContextToken = convention.attentionFlops ? model.attentionFlopsPerContextToken : 0
            readFactor = convention.weightReadFactor
            bodyBytes = refinements ? storage.bodyBytesPerWeight : storage.format.bytes
            embeddingBytes = storage.embeddingBytesPerWeight
            isMoE = model.moe != nil && !model.isDeclared
            let embedding = refinements ? model.embeddingStorageParams : 0
            replicatedReads = mode.dpAttention ? tpD : 1
            if isMoE {
                fixedBodyParams = model.nonExpertParams - embedding
                expertParams = Double(model.moeLayers) * model.paramsPerExpert
                experts = Double(model.moe?.experts ?? 0)
                expertsPerToken = Double(model.moe?.expertsPerToken ?? 0)
            } else {
                fixedBodyParams = model.totalParams - embedding
                expertParams = 0; experts = 0; expertsPerToken = 0
            }
            // Data-parallel attention keeps a copy of the non-expert body on every tp GPU.
            weightBytes = replicaWeights + (replicatedReads - 1) * fixedBodyParams * bodyBytes
            lmHeadParams = refinements ? model.lmHeadParams : 0
            gatherRowParams = refinements && !model.tiedEmbeddings && !model.isDeclared ? Double(model.hiddenSize) : 0
            vocab = Double(model.vocabSize)
        }
    }

    // MARK: Hardware of the replica

    /// Precision the matrix math runs in.
    public var computePrecision: Precision { k.computePrecision }
    /// Whether the convention takes this GPU's 2:4-sparse peak as its compute peak.
    public var usesSparsePeak: Bool { k.usesSparsePeak }
    /// Π per GPU at the compute precision (dense, or sparse where the convention says), FLOP/s.
    public var peakPerGPU: Double { k.peakPerGPU }
    /// β per GPU, bytes/s (a seed's stated figure under its convention).
    public var bandwidthPerGPU: Double { k.bandwidthPerGPU }
    /// Π·n·e_c, FLOP/s.
    public var peakFlops: Double { k.peakFlops }
    /// β·n·e_m, bytes/s.
    public var bandwidth: Double { k.bandwidth }
    /// Ridge point of the replica, Π_eff/β_eff, FLOP/byte (equal to the GPU's Π/β when ideal).
    public var ridge: Double { k.peakFlops / k.bandwidth }
    /// Memory of one GPU the model can use, bytes: the device-reported capacity (the datasheet's
    /// under a seed's convention, or when the catalog has no reported figure).
    public var capacityPerGPU: Double { k.capacityPerGPU }
    /// Capacity of the replica, bytes.
    public var capacityBytes: Double { k.capacityBytes }
    /// Capacity less the reserve, bytes.
    public var usableBytes: Double { k.usableBytes }
    /// $/s for the whole replica.
    public var dollarsPerSecond: Double { usdPerHour * Double(gpus) / 3600 }

    /// The link the replica's all-reduces cross.
    public var link: LinkKind { k.link }
    /// Per-direction bandwidth of that link × e_net, bytes/s (datasheets count both directions).
    public var linkBandwidth: Double { k.linkBandwidth }
    /// α of one all-reduce on that link, seconds (0 under a seed's convention).
    public var allReduceLatency: Double { k.allReduceLatency }

    /// Whether serving engines accept this tensor-parallel degree for the model: the query heads
    /// must split evenly over the GPUs, and the KV heads must either split evenly or be
    /// replicated a whole number of times (vLLM's rule). Data-parallel attention splits no heads.
    public var tensorParallelSupported: Bool {
        if dpAttention { return true }
        let n = tp, hq = model.attentionHeads, hkv = model.kvHeads
        guard n > 1 else { return true }
        guard hq % n == 0 else { return false }
        if model.mla != nil { return true }
        return hkv % n == 0 || n % hkv == 0
    }

    // MARK: Model coefficients at these precisions

    /// Weight bytes resident in memory: body at its stored format (with group scales), embeddings
    /// and LM head at theirs; N·b_w under a seed's convention.
    public var weightBytes: Double { k.weightBytes }
    /// KV-cache bytes per token (across all layers), before tensor-parallel replication.
    public var kvBytesPerToken: Double { k.kvBytesPerToken }
    /// How many copies of each KV head the replica keeps: with n > h_kv ranks the heads are
    /// replicated (n/h_kv), and an MLA latent is shared by all heads so every rank holds it.
    public var kvReplication: Double { k.kvReplication }
    /// KV bytes the replica stores per cached token (with replication).
    public var kvBytesPerCachedToken: Double { k.kvBytesPerCachedToken }

    /// Weight bytes a step that passes `tokens` tokens through the model reads, under the
    /// convention: the body (MoE: only the experts the tokens touch) at its stored format, the LM
    /// head in full, and the gathered rows of the input embedding (B·d values, not the V·d table).
    /// Seeds: N·b_w (MoE: the touched experts) times the convention's read factor.
    public func weightBytesRead(tokens: Double) -> Double { weightBytesRead(tokens: tokens, expertTokens: tokens) }

    /// Weight bytes read when `tokens` tokens pass through the model and the experts touched are
    /// those of `expertTokens` routed tokens (`.infinity`: every expert). MoE coverage assumes
    /// uniform, independent top-k routing: E·(1 − (1 − k/E)^T) experts per MoE layer.
    public func weightBytesRead(tokens: Double, expertTokens: Double) -> Double {
        var body = k.fixedBodyParams * k.replicatedReads
        if k.isMoE && k.experts > 0 && expertTokens > 0 {
            let touched = k.experts * (1 - pow(1 - k.expertsPerToken / k.experts, expertTokens))
            body += k.expertParams * touched
        }
        let rows = Swift.min(tokens, k.vocab) * k.gatherRowParams
        return (body * k.bodyBytes + (k.lmHeadParams + rows) * k.embeddingBytes) * k.readFactor
    }

    /// Multiply-add FLOPs of the body per token passed through it: 2·(A − embeddings) (2·A for a
    /// declared model or under a seed's convention, which also count the LM head here).
    public var bodyFlopsPerToken: Double { k.bodyFlopsPerToken }
    /// FLOPs of the LM head per position whose logits are computed: 2·V·d (0 under a seed's
    /// convention, where `bodyFlopsPerToken` already counts them for every token).
    public var lmHeadFlopsPerLogit: Double { k.lmHeadFlopsPerLogit }
    /// FLOPs of one generated token without attention: body plus LM head.
    public var flopsPerGeneratedToken: Double { k.bodyFlopsPerToken + k.lmHeadFlopsPerLogit }

    /// Attention FLOPs per attended context token under the convention (0 when it ignores them).
    public var attentionFlopsPerContextToken: Double { k.attentionFlopsPerContextToken }

    /// Time of the collectives of a pass over `tokens` tokens:
    /// - all-reduces inside a stage's tp GPUs: two per layer (fewer with data-parallel attention
    ///   or expert parallelism), each α + 2(tp−1)/tp × tokens·d·bytes ÷ per-direction bandwidth;
    /// - with expert parallelism, a dispatch and a combine all-to-all per MoE layer, each
    ///   α + (tokens/tp)·k·(ep−1)/ep·d·bytes ÷ bandwidth (each GPU sends its share of the routed
    ///   activations to the experts on the other ep − 1 GPUs);
    /// - with pipeline stages, pp − 1 point-to-point hops of tokens·d·bytes, split over a
    ///   stage's tp links.
    public func allReduceTime(tokens: Double) -> Double {
        guard replicaGPUs > 1 else { return 0 }
        var t = 0.0
        if k.allReduceCount > 0 || k.allToAllCount > 0 {
            guard k.linkBandwidth > 0 else { return .infinity }
            t += k.allReduceCount * (k.allReduceLatency + k.ringFactor * tokens * k.activationBytesPerToken / k.linkBandwidth)
            t += k.allToAllCount * (k.allReduceLatency + tokens / k.tp * k.routedRemoteShare * k.activationBytesPerToken / k.linkBandwidth)
        }
        if k.pp > 1 {
            guard k.hopBandwidth > 0 else { return .infinity }
            // Each of a stage's tp GPUs sends its share of the activations over its own link.
            t += (k.pp - 1) * (k.hopLatency + tokens * k.activationBytesPerToken / (k.hopBandwidth * k.tp))
        }
        return t
    }
}
