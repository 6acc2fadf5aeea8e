import Foundation
import RidgepointFormatting

/// Latency targets a configuration must meet.
public struct SLO: Sendable, Hashable, Codable {
    /// Time per output token, ms.
    public var tpotMs: Double?
    /// Time to first token, ms.
    public var ttftMs: Double?
    public init(tpotMs: Double? = nil, ttftMs: Double? = nil) { self.tpotMs = tpotMs; self.ttftMs = ttftMs }
    /// Whether neither target is set (every configuration meets it).
    public var isEmpty: Bool { tpotMs == nil && ttftMs == nil }
}

/// A request-level workload: what one request reads and writes, the latency it must see, and
/// how many arrive per second.
public struct Workload: Sendable, Hashable {
    public var name: String
    /// Prompt tokens per request.
    public var inputTokens: Int
    /// Generated tokens per request (≥ 1; the first comes out of the prefill).
    public var outputTokens: Int
    /// Latency targets each request must meet (empty: none).
    public var slo: SLO
    /// Requests per second the service must sustain (nil: not stated).
    public var requestsPerSecond: Double?
    /// Where the workload was defined (`spec.yaml:12`, `--input-tokens`, or derived from a context).
    public var origin: String

    public init(name: String, inputTokens: Int, outputTokens: Int, slo: SLO = SLO(), requestsPerSecond: Double? = nil,
                origin: String = "") {
        self.name = name; self.inputTokens = inputTokens; self.outputTokens = outputTokens; self.slo = slo
        self.requestsPerSecond = requestsPerSecond; self.origin = origin
    }

    /// Largest context a sequence reaches: prompt plus generated tokens.
    public var peakContext: Int { inputTokens + outputTokens }
    /// Mean cached context over the decode steps: step k (k = 1 … O−1) attends over I + k tokens,
    /// whose mean is I + O/2.
    public var meanDecodeContext: Double { Double(inputTokens) + Double(outputTokens) / 2 }

    /// `1,000 in / 250 out`.
    public var shape: String { "\(Fmt.grouped(inputTokens)) in / \(Fmt.grouped(outputTokens)) out" }
}

/// How the replica serves requests: continuous batching, chunked prefill.
public struct ServingOptions: Sendable, Hashable {
    /// Most prompt tokens one step prefills (vLLM's `max_num_batched_tokens`); longer prompts are
    /// prefilled in chunks, each riding along a decode step.
    public var prefillChunkTokens: Int
    public init(prefillChunkTokens: Int = 8192) { self.prefillChunkTokens = prefillChunkTokens }
    /// 8,192-token prefill chunks.
    public static let `default` = ServingOptions()
}
