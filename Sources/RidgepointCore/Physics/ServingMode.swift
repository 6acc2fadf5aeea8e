import Foundation
import RidgepointFormatting

/// How a replica is laid out and served beyond plain tensor parallelism (`serving:` in a spec):
/// pipeline stages, expert parallelism, data-parallel attention, speculative decoding and
/// disaggregated prefill/decode. The tensor-parallel degree stays `gpus_per_replica`.
public struct ServingMode: Sendable, Hashable {
    /// Pipeline stages; a replica has tp × pp GPUs.
    public var pp: Int = 1
    /// GPUs the experts of an MoE model are spread over (1, or the tensor-parallel degree).
    public var ep: Int = 1
    /// Attention data parallel over the tensor-parallel GPUs: each keeps its own sequences' KV
    /// and a full copy of the non-expert weights.
    public var dpAttention: Bool = false
    /// Speculative decoding; nil: one token per sequence per decode step.
    public var speculative: Speculative? = nil
    /// Separate prefill and decode pools; nil: both phases share the replica.
    public var disaggregated: Disaggregation? = nil

    public init(pp: Int = 1, ep: Int = 1, dpAttention: Bool = false, speculative: Speculative? = nil,
                disaggregated: Disaggregation? = nil) {
        self.pp = pp; self.ep = ep; self.dpAttention = dpAttention; self.speculative = speculative; self.disaggregated = disaggregated
    }

    /// Plain tensor parallelism, colocated prefill and decode, no speculation.
    public static let plain = ServingMode()
    /// Whether the mode is `plain`: no pipeline, EP, DP attention, speculation or disaggregation.
    public var isPlain: Bool { self == .plain }

    /// `TP 8 · EP 8 · DP attention`, `TP 2 · PP 2`, `TP 1 · speculative k=4, α=0.7, MTP`,
    /// `TP 1 · disaggregated 1:3`; `compact` (chart legends): `TP 8 · DP attn`,
    /// `TP 1 · spec k=4 α=0.7`, `TP 1 · disagg 1:3`.
    public func label(tp: Int, compact: Bool = false) -> String {
        var parts = ["TP \(tp)"]
        if pp > 1 { parts.append("PP \(pp)") }
        if ep > 1 { parts.append("EP \(ep)") }
        if dpAttention { parts.append(compact ? "DP attn" : "DP attention") }
        if let s = speculative { parts.append(compact ? "spec k=\(s.draftTokens) α=\(Fmt.g(s.acceptance, 3))" : s.label) }
        if let d = disaggregated { parts.append(compact ? "disagg \(d.prefillGPUs):\(d.decodeGPUs)" : d.label) }
        return parts.joined(separator: " · ")
    }

    /// The mode without its tensor-parallel degree: `PP 2 · speculative k 3, α 0.7 (MTP, …)`,
    /// or `plain tensor parallelism`.
    public var description: String {
        let l = label(tp: 0)
        return l == "TP 0" ? "plain tensor parallelism" : String(l.dropFirst("TP 0 · ".count))
    }

    /// The `serving` column: `tp8-ep8-dpattn`, `tp1-spec4@0.7`, `tp1-disagg1:3` (`tp2` when plain).
    public func key(tp: Int) -> String {
        var s = "tp\(tp)"
        if pp > 1 { s += "-pp\(pp)" }
        if ep > 1 { s += "-ep\(ep)" }
        if dpAttention { s += "-dpattn" }
        if let x = speculative { s += "-spec\(x.draftTokens)@\(Fmt.g(x.acceptance, 3))" + (x.draftKey.isEmpty ? "" : "-\(x.draftKey)") }
        if let d = disaggregated { s += "-disagg\(d.prefillGPUs):\(d.decodeGPUs)" }
        return s
    }
}

/// Speculative decoding: a draft proposes k tokens, the target model verifies them in one step
/// of k + 1 positions, and each proposed token is accepted with probability α (independently,
/// until the first rejection).
public struct Speculative: Sendable, Hashable {
    /// The draft's cost: another model run on the same GPUs, or multi-token-prediction heads of
    /// the target itself (a fraction of one of its layers per drafted token).
    public enum Draft: Sendable, Hashable {
        /// A separate draft model, run tensor parallel on the replica's GPUs.
        case model(Model)
        /// MTP heads costing `layers` of the target's layers per drafted token, plus its full LM head.
        case mtp(layers: Double)
    }
    /// k: tokens drafted per step.
    public var draftTokens: Int
    /// α: probability that each drafted token is accepted.
    public var acceptance: Double
    public var draft: Draft

    public init(draftTokens: Int, acceptance: Double, draft: Draft) {
        self.draftTokens = draftTokens; self.acceptance = acceptance; self.draft = draft
    }

    /// τ = (1 − α^(k+1)) / (1 − α): tokens a sequence advances per verification step (k + 1 when α = 1).
    public var expectedTokens: Double {
        let k = Double(draftTokens), a = acceptance
        if a >= 1 { return k + 1 }
        return (1 - pow(a, k + 1)) / (1 - a)
    }

    /// `speculative k=4, α=0.7, draft Llama 3.1 8B` (no line break inside `k=4` or `α=0.7`).
    public var label: String {
        "speculative k=\(draftTokens), α=\(Fmt.g(acceptance, 3)), \(draftName)"
    }
    /// `draft <model name>`, `MTP` or `MTP of <f> layers`, for labels.
    public var draftName: String {
        switch draft {
        case .model(let m): return "draft \(m.name)"
        case .mtp(let f): return f == 1 ? "MTP" : "MTP of \(Fmt.g(f, 3)) layers"
        }
    }
    /// The draft's cost in words, for the assumptions.
    public var draftCost: String {
        switch draft {
        case .model(let m): return "a draft \(m.name)"
        case .mtp(let f): return "MTP heads of \(Fmt.g(f, 3)) layer\(f == 1 ? "" : "s") per drafted token"
        }
    }
    var draftKey: String {
        switch draft {
        case .model(let m): return m.id
        case .mtp(let f): return f == 1 ? "mtp" : "mtp\(Fmt.g(f, 3))"
        }
    }
}

/// Prefill and decode on separate GPU pools: a prompt is prefilled on a prefill replica, its KV
/// cache shipped over a link to a decode replica, which generates the rest.
public struct Disaggregation: Sendable, Hashable {
    /// P: GPUs of the prefill pool (a whole number of replicas).
    public var prefillGPUs: Int
    /// D: GPUs of the decode pool (a whole number of replicas).
    public var decodeGPUs: Int
    /// Link the KV cache crosses, bytes/s (nil: the GPU's scale-out network).
    public var linkBandwidth: Double?

    public init(prefillGPUs: Int, decodeGPUs: Int, linkBandwidth: Double? = nil) {
        self.prefillGPUs = prefillGPUs; self.decodeGPUs = decodeGPUs; self.linkBandwidth = linkBandwidth
    }

    public var label: String { "disaggregated \(prefillGPUs):\(decodeGPUs)" }

    /// Whether both pools are a whole number of replicas of `replicaGPUs` GPUs.
    public func fits(replicaGPUs n: Int) -> Bool { n > 0 && prefillGPUs % n == 0 && decodeGPUs % n == 0 }
}
