import Foundation

/// Mixture-of-experts layout (from the model's `config.json`).
public struct MoE: Sendable, Hashable, Codable {
    /// Routed experts per MoE layer (`n_routed_experts`, `num_local_experts`).
    public var experts: Int
    /// Routed experts each token is sent to (`num_experts_per_tok`).
    public var expertsPerToken: Int
    /// Always-active shared experts per MoE layer.
    public var sharedExperts: Int
    /// Hidden width of one expert's gated MLP.
    public var expertIntermediateSize: Int
    /// Leading layers that use a dense MLP instead (`first_k_dense_replace`).
    public var denseLayers: Int
}

/// Multi-head latent attention (DeepSeek-V2/V3): the KV cache holds one compressed latent
/// of `kvLoraRank + qkRopeHeadDim` values per layer and token, shared by all heads.
public struct MLA: Sendable, Hashable, Codable {
    /// Rank of the compressed query projection (`q_lora_rank`); 0: queries projected directly from d_model.
    public var qLoraRank: Int
    /// d_c: width of the KV latent cached per layer and token (`kv_lora_rank`).
    public var kvLoraRank: Int
    /// Per-head query/key width without rotary embedding (`qk_nope_head_dim`).
    public var qkNopeHeadDim: Int
    /// Width of the decoupled rotary key, cached beside the latent (`qk_rope_head_dim`).
    public var qkRopeHeadDim: Int
    /// Per-head value width (`v_head_dim`).
    public var vHeadDim: Int
}

/// How a model stores its KV cache.
public enum AttentionKind: String, Sendable {
    case mha = "MHA", gqa = "GQA", mqa = "MQA", mla = "MLA"
}

/// A transformer's architecture, from its published `config.json`, with derived parameter
/// counts, KV-cache size and attention cost. Gated (SwiGLU) MLPs are assumed, as in every
/// catalog model.
public struct Model: Sendable, Hashable, Codable, Identifiable {
    /// Catalog key: the `model` column of the matrix; look-ups ignore case.
    public var id: String
    public var name: String
    public var aliases: [String]
    public var family: String
    /// L
    public var layers: Int
    /// d_model
    public var hiddenSize: Int
    /// h_q
    public var attentionHeads: Int
    /// h_kv (equal to h_q for MHA, 1 for MQA)
    public var kvHeads: Int
    /// d_h
    public var headDim: Int
    /// Hidden width of the dense gated MLP (`intermediate_size`); MoE models use it in their leading dense layers.
    public var intermediateSize: Int
    /// V: rows of the input embedding table and outputs of the LM head.
    public var vocabSize: Int
    /// Whether the LM head shares the input embedding table (stored once: V·d instead of 2·V·d).
    public var tiedEmbeddings: Bool
    /// Whether the Q, K and V projections carry biases (counted in the attention parameters).
    public var qkvBias: Bool
    /// Longest context the model supports, tokens; nil when unknown (no row is then flagged beyond it).
    public var maxContext: Int?
    /// Tokens each position attends to when the model uses sliding-window attention
    /// (`sliding_window`; Mistral 7B v0.1: 4,096); nil for full attention.
    public var slidingWindow: Int?
    /// Layers that use the window when only some do (gpt-oss alternates windowed and full
    /// layers: 18 of 36); nil when every layer does.
    public var slidingWindowLayers: Int? = nil
    /// Mixture-of-experts layout; nil for a dense model.
    public var moe: MoE?
    /// Multi-head latent attention layout; nil for MHA, GQA and MQA models.
    public var mla: MLA?
    /// Published total parameters (model card), for checking the derived count.
    public var publishedParams: Double?
    /// Published active parameters per token (model card), for checking the derived count.
    public var publishedActiveParams: Double?
    /// A parameter count stated by an exercise ("a 7B model") that replaces the derived count.
    public var declaredParams: Double?
    /// The active count an exercise states beside `declaredParams` (nil: A is the declared N).
    public var declaredActiveParams: Double?
    /// Where the architecture figures come from, e.g. the `config.json` they were read from.
    public var source: String
    public var paramsSource: String
    /// `catalog`, or the spec file and line (or config file) a custom entry came from.
    public var origin: String

    /// A copy whose parameter count is the round figure an exercise states (`"a 7B model"`),
    /// keeping the architecture for KV and attention.
    public func declaring(params: Double, active: Double? = nil) -> Model {
        var m = self; m.declaredParams = params; m.declaredActiveParams = active; return m
    }

    /// MLA when `mla` is set; otherwise MHA (h_kv = h_q), MQA (h_kv = 1) or GQA.
    public var attentionKind: AttentionKind {
        if mla != nil { return .mla }
        if kvHeads == attentionHeads { return .mha }
        return kvHeads == 1 ? .mqa : .gqa
    }

    // MARK: Parameter counts

    /// Attention parameters of one layer (projections, biases, MLA norms).
    public var attentionParamsPerLayer: Double {
        let d = Double(hiddenSize), hq = Double(attentionHeads)
        if let m = mla {
            let qk = Double(m.qkNopeHeadDim + m.qkRopeHeadDim)
            let q = m.qLoraRank > 0
                ? d * Double(m.qLoraRank) + Double(m.qLoraRank) + Double(m.qLoraRank) * hq * qk
                : d * hq * qk
            let kvA = d * Double(m.kvLoraRank + m.qkRopeHeadDim) + Double(m.kvLoraRank)
            let kvB = Double(m.kvLoraRank) * hq * Double(m.qkNopeHeadDim + m.vHeadDim)
            let o = hq * Double(m.vHeadDim) * d
            return q + kvA + kvB + o
        }
        let dh = Double(headDim), hkv = Double(kvHeads)
        var p = d * hq * dh + 2 * d * hkv * dh + hq * dh * d
        if qkvBias { p += hq * dh + 2 * hkv * dh }
        return p
    }

    /// Parameters of one expert's (or one dense) gated MLP of width `width`.
    static func mlpParams(_ d: Int, _ width: Int) -> Double { 3 * Double(d) * Double(width) }

    /// Layers whose MLP is a mixture of experts.
    public var moeLayers: Int { moe.map { layers - $0.denseLayers } ?? 0 }

    /// Parameters of one routed expert in one layer.
    public var paramsPerExpert: Double { moe.map { Model.mlpParams(hiddenSize, $0.expertIntermediateSize) } ?? 0 }

    /// Parameters that every token uses: embeddings, attention, norms, dense MLPs, shared
    /// experts and routers — everything except the routed experts.
    public var nonExpertParams: Double {
        let d = Double(hiddenSize)
        let embed = Double(vocabSize) * d * (tiedEmbeddings ? 1 : 2)
        let norms = Double(layers) * 2 * d + d
        var p = embed + norms + Double(layers) * attentionParamsPerLayer
        if let m = moe {
            p += Double(m.denseLayers) * Model.mlpParams(hiddenSize, intermediateSize)
            p += Double(moeLayers) * (Double(m.sharedExperts) * paramsPerExpert + d * Double(m.experts))
        } else {
            p += Double(layers) * Model.mlpParams(hiddenSize, intermediateSize)
        }
        return p
    }

    /// N derived from the architecture.
    public var derivedTotalParams: Double {
        nonExpertParams + Double(moeLayers) * Double(moe?.experts ?? 0) * paramsPerExpert
    }
    /// A derived from the architecture.
    public var derivedActiveParams: Double {
        nonExpertParams + Double(moeLayers) * Double(moe?.expertsPerToken ?? 0) * paramsPerExpert
    }

    /// N: total parameters (derived from the architecture unless an exercise declares it).
    public var totalParams: Double { declaredParams ?? derivedTotalParams }

    /// A: parameters used per token (equals N for dense models).
    public var activeParams: Double { declaredActiveParams ?? declaredParams ?? derivedActiveParams }

    // MARK: Embeddings and LM head

    /// Whether the parameter count is the round figure an exercise states ("a 7B model"): such a
    /// model is a bag of N parameters, all streamed and multiplied every step.
    public var isDeclared: Bool { declaredParams != nil }

    /// Parameters of the input embedding table, V·d (0 for a declared model).
    public var inputEmbeddingParams: Double { isDeclared ? 0 : Double(vocabSize) * Double(hiddenSize) }
    /// Parameters of the LM head (the output projection to the vocabulary), V·d; with tied
    /// embeddings this is the same table as the input embedding (0 for a declared model).
    public var lmHeadParams: Double { isDeclared ? 0 : Double(vocabSize) * Double(hiddenSize) }
    /// Parameters stored for embeddings and LM head: V·d when tied, 2·V·d when not.
    public var embeddingStorageParams: Double {
        isDeclared ? 0 : Double(vocabSize) * Double(hiddenSize) * (tiedEmbeddings ? 1 : 2)
    }
    /// N without the embedding table(s) and LM head: the transformer body.
    public var bodyParams: Double { totalParams - embeddingStorageParams }
    /// A without the embedding table(s) and LM head.
    public var bodyActiveParams: Double { activeParams - embeddingStorageParams }
    /// Body parameters a step over `tokens` tokens must read (MoE: the experts it touches).
    public func bodyParamsTouched(tokens: Double) -> Double { paramsTouched(tokens: tokens) - embeddingStorageParams }

    /// Share of the layers that attend over a sliding window (0 without one, 1 when all do).
    public var windowedLayerShare: Double {
        guard slidingWindow != nil else { return 0 }
        guard let l = slidingWindowLayers, layers > 0 else { return 1 }
        return Swift.min(1, Double(l) / Double(layers))
    }

    /// Tokens of context one position attends to, averaged over the layers: min(S, window) on
    /// windowed layers, S on the others (S without a window). Every KV and attention formula
    /// multiplies the all-layer per-token figure by this, so mixed models need nothing else.
    public func attendedContext(_ s: Double) -> Double {
        guard let w = slidingWindow else { return s }
        let share = windowedLayerShare
        return share * Swift.min(s, Double(w)) + (1 - share) * s
    }
    /// Query–key pairs a causal prompt of `n` tokens evaluates, averaged over the layers: n²/2
    /// on full layers; with a window W, each position beyond W attends to W tokens: W²/2 + (n − W)·W.
    public func causalPairs(_ n: Double) -> Double {
        let full = n * n / 2
        guard let w = slidingWindow.map(Double.init), n > w else { return full }
        let share = windowedLayerShare
        return share * (w * w / 2 + (n - w) * w) + (1 - share) * full
    }

    /// Expected number of distinct routed experts a layer touches when `tokens` tokens are
    /// each routed to k of E experts uniformly and independently: E·(1 − (1 − k/E)^tokens).
    public func expectedExpertsTouched(tokens: Double) -> Double {
        guard let m = moe else { return 0 }
        let e = Double(m.experts), k = Double(m.expertsPerToken)
        if tokens <= 0 { return 0 }
        return e * (1 - pow(1 - k / e, tokens))
    }

    /// Parameters whose weights a step processing `tokens` tokens must read: all non-expert
    /// parameters plus the routed experts actually touched (all N for dense models).
    public func paramsTouched(tokens: Double) -> Double {
        guard moe != nil, declaredParams == nil else { return totalParams }
        return nonExpertParams + Double(moeLayers) * expectedExpertsTouched(tokens: tokens) * paramsPerExpert
    }

    // MARK: KV cache and attention

    /// Values stored in the KV cache per token: 2·L·h_kv·d_h (keys and values), or for MLA
    /// L·(kv_lora_rank + qk_rope_head_dim) (one shared latent plus the decoupled RoPE key).
    public var kvElementsPerToken: Double {
        if let m = mla { return Double(layers) * Double(m.kvLoraRank + m.qkRopeHeadDim) }
        return 2 * Double(layers) * Double(kvHeads) * Double(headDim)
    }

    /// KV-cache bytes per token at `bytesPerElement` (2 for bf16: Llama-2-7B → 524,288).
    public func kvBytesPerToken(_ bytesPerElement: Double) -> Double { kvElementsPerToken * bytesPerElement }

    /// KV bytes per token the same model would need with full multi-head attention (h_kv = h_q).
    public func mhaKVBytesPerToken(_ bytesPerElement: Double) -> Double {
        2 * Double(layers) * Double(attentionHeads) * Double(headDim) * bytesPerElement
    }

    /// Attention FLOPs one new token spends per cached context token: 4·L·h_q·d_h (QKᵀ and
    /// AV). For MLA in the absorbed form: 2·L·h_q·(d_c + d_rope) + 2·L·h_q·d_c.
    public var attentionFlopsPerContextToken: Double {
        let l = Double(layers), hq = Double(attentionHeads)
        if let m = mla {
            return 2 * l * hq * Double(m.kvLoraRank + m.qkRopeHeadDim) + 2 * l * hq * Double(m.kvLoraRank)
        }
        return 4 * l * hq * Double(headDim)
    }
}
