import Foundation
import RidgepointFormatting

/// Imports a model from a Hugging Face `config.json` (or a downloaded snapshot folder holding
/// one): the architectures people serve are mapped key by key; anything else is refused with the
/// list of supported ones, never guessed.
public enum HFConfig {
    /// `model_type` values this importer maps, with the architectures they cover.
    public static let supported: [(modelType: String, family: String)] = [
        ("llama", "Llama"), ("mistral", "Mistral"), ("mixtral", "Mixtral"), ("qwen2", "Qwen2 / Qwen2.5"),
        ("qwen3", "Qwen3"), ("qwen3_moe", "Qwen3-MoE"), ("deepseek_v3", "DeepSeek-V3"), ("gpt_oss", "gpt-oss"),
    ]
    /// Largest config.json read (real ones are a few kB).
    static let maxBytes = 1 << 20

    /// Whether `name` should be read as a path rather than looked up as an id: it ends in
    /// `.json`, starts with `.`, `/` or `~`, or names an existing file or folder.
    public static func looksLikePath(_ name: String) -> Bool {
        name.hasSuffix(".json") || name.hasPrefix("./") || name.hasPrefix("../") || name.hasPrefix("/") || name.hasPrefix("~")
            || FileManager.default.fileExists(atPath: name)
    }

    /// The model described by the config at `path` (a `config.json` or a folder holding one),
    /// relative to `base` (the folder of the spec that names it) unless absolute. `warn`
    /// receives notes such as a parameter count that disagrees with the checkpoint's index.
    public static func load(_ path: String, relativeTo base: String? = nil, id: String? = nil,
                            warn: (String) -> Void = Warnings.emit) throws -> Model {
        var p = (path as NSString).expandingTildeInPath
        if !p.hasPrefix("/"), let base, !base.isEmpty { p = (base as NSString).appendingPathComponent(p) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
            throw Messages.Catalogs.noSuchModelPath.at(file: path)
        }
        let folder = isDir.boolValue ? p : (p as NSString).deletingLastPathComponent
        let file = isDir.boolValue ? (p as NSString).appendingPathComponent("config.json") : p
        guard FileManager.default.fileExists(atPath: file) else {
            throw Messages.Catalogs.noConfigJSON.at(file: path)
        }
        let text = try Spec.readTextFile(file, what: "model config", limit: maxBytes)
        let json: JSONAny
        do { json = try JSONDecoder().decode(JSONAny.self, from: Data(text.utf8)) } catch {
            throw Messages.invalidJSON(file, "\(error)")
        }
        guard case .object(let top) = json else { throw Messages.Text.expected("a JSON object at the top level", got: "another value").at(file: file) }
        let c = top.mapValues(\.foundation)
        var m = try model(c, file: file, id: id)
        if let q = c["quantization_config"] as? [String: Any], (q["quant_method"] as? String)?.lowercased() == "mxfp4" {
            warn("\(file): the checkpoint stores its expert weights in MXFP4 (attention, router and embeddings in BF16): evaluate it with `precision: {weights: fp4}` for the experts' size; BF16 weights (the default) describe an unquantised copy")
        }
        if let indexed = indexedParams(folder: folder, config: c) {
            let derived = m.derivedTotalParams
            if abs(derived - indexed.params) > 0.02 * indexed.params {
                warn("\(file): the architecture gives \(Fmt.g(derived / 1e9, 4)) B parameters, but \(indexed.file) holds \(Fmt.g(indexed.params / 1e9, 4)) B (\(Fmt.grouped(Int(indexed.bytes))) bytes at \(Fmt.g(indexed.bytesPerParam, 2)) B per parameter); check the config")
            }
            m.publishedParams = m.publishedParams ?? indexed.params
        }
        return m
    }

    /// Maps a parsed config to a `Model`.
    static func model(_ c: [String: Any], file: String, id: String?) throws -> Model {
        let type = (c["model_type"] as? String)?.lowercased() ?? ""
        let arch = (c["architectures"] as? [String])?.first ?? ""
        // Multimodal wrappers keep the language model under `text_config`.
        if let inner = c["text_config"] as? [String: Any], inner["num_hidden_layers"] != nil, c["num_hidden_layers"] == nil {
            var merged = inner
            if merged["model_type"] == nil { merged["model_type"] = type }
            return try model(merged, file: file, id: id)
        }
        guard supported.contains(where: { $0.modelType == type }) else {
            let list = supported.map { "\($0.family) (\($0.modelType))" }.joined(separator: ", ")
            throw Messages.Catalogs.unsupportedArchitecture(type, architecture: arch, supported: list).at(file: file, field: "model_type")
        }
        func int(_ k: String, _ alt: String? = nil, required: Bool = true, min: Int = 1) throws -> Int? {
            let v = c[k] ?? alt.flatMap { c[$0] }
            if v == nil || v is NSNull {
                if required { throw Messages.Text.missingField(k, help: "a \(type) config must have it").at(file: file, field: k) }
                return nil
            }
            guard !(v is BoolValue), let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded(),
                  n.doubleValue >= Double(min), n.doubleValue <= 1e9 else {
                throw Messages.Text.expected("a whole number ≥ \(min)", got: v.map { "\($0)" } ?? "null").at(file: file, field: k)
            }
            return n.intValue
        }
        func bool(_ k: String) -> Bool? { (c[k] as? BoolValue)?.value }

        let layers = try int("num_hidden_layers") ?? 0
        let hidden = try int("hidden_size") ?? 0
        let heads = try int("num_attention_heads") ?? 0
        let kvHeads = try int("num_key_value_heads", required: false) ?? heads
        let headDim = try int("head_dim", required: false) ?? (hidden / max(1, heads))
        guard heads % max(1, kvHeads) == 0, kvHeads <= heads else {
            throw Messages.Text.notAMultiple("num_attention_heads (\(heads))", of: "num_key_value_heads (\(kvHeads))").at(file: file, field: "num_key_value_heads")
        }
        let name = (c["_name_or_path"] as? String).flatMap { $0.isEmpty ? nil : ($0 as NSString).lastPathComponent }
            ?? snapshotName(file)
        let modelID = id ?? Self.id(from: name ?? ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent)
        var m = Model(id: modelID, name: name ?? modelID, aliases: [], family: type, layers: layers, hiddenSize: hidden,
                      attentionHeads: heads, kvHeads: kvHeads, headDim: headDim,
                      intermediateSize: try int("intermediate_size") ?? 0, vocabSize: try int("vocab_size") ?? 0,
                      tiedEmbeddings: bool("tie_word_embeddings") ?? false, qkvBias: false,
                      maxContext: try int("max_position_embeddings", required: false), slidingWindow: nil, moe: nil, mla: nil,
                      publishedParams: nil, publishedActiveParams: nil, declaredParams: nil, declaredActiveParams: nil,
                      source: "Hugging Face config.json: \(file)", paramsSource: "derived from config.json", origin: file)
        // Sliding-window attention on every layer (Mistral v0.1); Qwen2/3 carry the key but
        // leave it off (`use_sliding_window: false`).
        if let w = try int("sliding_window", required: false), bool("use_sliding_window") ?? (type == "mistral" || type == "mixtral") {
            m.slidingWindow = w
        }
        switch type {
        case "qwen2":
            m.qkvBias = true
        case "llama", "mistral", "qwen3":
            m.qkvBias = bool("attention_bias") ?? false
        case "mixtral":
            m.moe = MoE(experts: try int("num_local_experts") ?? 0, expertsPerToken: try int("num_experts_per_tok") ?? 0,
                        sharedExperts: 0, expertIntermediateSize: m.intermediateSize, denseLayers: 0)
        case "qwen3_moe":
            m.qkvBias = bool("attention_bias") ?? false
            let step = try int("decoder_sparse_step", required: false) ?? 1
            let mlpOnly = Set((c["mlp_only_layers"] as? [NSNumber] ?? []).map(\.intValue))
            // Layer i uses experts when it is not listed in mlp_only_layers and (i + 1) is a
            // multiple of decoder_sparse_step; the others keep a dense MLP.
            let moeLayers = (0..<layers).filter { !mlpOnly.contains($0) && ($0 + 1) % max(1, step) == 0 }.count
            m.moe = MoE(experts: try int("num_experts") ?? 0, expertsPerToken: try int("num_experts_per_tok") ?? 0,
                        sharedExperts: 0, expertIntermediateSize: try int("moe_intermediate_size") ?? 0, denseLayers: layers - moeLayers)
        case "gpt_oss":
            // Alternating sliding-window (128) and full-attention layers; a MoE MLP in every layer
            // (intermediate_size is the expert width); QKV and output projections with biases.
            m.qkvBias = bool("attention_bias") ?? true
            let experts = try int("num_local_experts", "num_experts") ?? 0
            let perToken = try int("num_experts_per_tok", "experts_per_token") ?? 0
            m.moe = MoE(experts: experts, expertsPerToken: perToken, sharedExperts: 0, expertIntermediateSize: m.intermediateSize, denseLayers: 0)
            if let w = try int("sliding_window", required: false) {
                m.slidingWindow = w
                if let types = c["layer_types"] as? [String] {
                    let windowed = types.filter { $0 == "sliding_attention" }.count
                    m.slidingWindowLayers = windowed == layers ? nil : windowed
                    if windowed == 0 { m.slidingWindow = nil }
                } else {
                    m.slidingWindowLayers = layers / 2   // gpt-oss alternates, starting with a windowed layer
                }
            }
        case "deepseek_v3":
            // MTP modules (num_nextn_predict_layers) are not part of the served body.
            m.moe = MoE(experts: try int("n_routed_experts") ?? 0, expertsPerToken: try int("num_experts_per_tok") ?? 0,
                        sharedExperts: try int("n_shared_experts", required: false, min: 0) ?? 0,
                        expertIntermediateSize: try int("moe_intermediate_size") ?? 0,
                        denseLayers: try int("first_k_dense_replace", required: false, min: 0) ?? 0)
            m.mla = MLA(qLoraRank: try int("q_lora_rank", required: false, min: 0) ?? 0, kvLoraRank: try int("kv_lora_rank") ?? 0,
                        qkNopeHeadDim: try int("qk_nope_head_dim") ?? 0, qkRopeHeadDim: try int("qk_rope_head_dim", min: 0) ?? 0,
                        vHeadDim: try int("v_head_dim") ?? 0)
            // As in the catalog: the head width is v_head_dim (queries and keys are wider, 128 + 64).
            m.headDim = m.mla?.vHeadDim ?? m.headDim
        default:
            break
        }
        if let e = m.moe, e.expertsPerToken > e.experts {
            throw Messages.Text.exceeds("num_experts_per_tok (\(e.expertsPerToken))", "the number of experts (\(e.experts))").at(file: file, field: "num_experts_per_tok")
        }
        return m
    }

    /// The repository name of a Hugging Face cache snapshot
    /// (`…/models--Qwen--Qwen3-8B/snapshots/<hash>/config.json` → "Qwen3-8B").
    static func snapshotName(_ file: String) -> String? {
        guard let part = (file as NSString).pathComponents.last(where: { $0.hasPrefix("models--") }) else { return nil }
        return part.components(separatedBy: "--").last.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An id from a repository or folder name: "Qwen/Qwen3-8B" → "qwen3-8b".
    static func id(from name: String) -> String {
        let s = String(name.lowercased().map { $0.isLetter || $0.isNumber || "._-+".contains($0) ? $0 : "-" })
        let trimmed = s.trimmingCharacters(in: CharacterSet(charactersIn: "-.")).prefix(64)
        return trimmed.isEmpty ? "imported-model" : String(trimmed)
    }

    /// Parameters implied by `model.safetensors.index.json` beside the config: its
    /// `metadata.total_size` bytes over the bytes per parameter of `torch_dtype`.
    static func indexedParams(folder: String, config c: [String: Any]) -> (params: Double, bytes: Double, bytesPerParam: Double, file: String)? {
        let file = (folder as NSString).appendingPathComponent("model.safetensors.index.json")
        guard FileManager.default.fileExists(atPath: file),
              let text = try? Spec.readTextFile(file, what: "safetensors index", limit: 64 << 20),
              let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let meta = json["metadata"] as? [String: Any], let total = (meta["total_size"] as? NSNumber)?.doubleValue, total > 0 else { return nil }
        let dtype = (c["torch_dtype"] as? String ?? c["dtype"] as? String ?? "bfloat16").lowercased()
        let bpp: Double
        switch dtype {
        case "float32": bpp = 4
        case "float8_e4m3fn", "float8_e5m2", "fp8": bpp = 1
        default: bpp = 2
        }
        // FP8 checkpoints (DeepSeek-V3) keep some tensors in BF16 and carry scales: their bytes
        // say little about the count.
        if c["quantization_config"] != nil { return nil }
        return (total / bpp, total, bpp, "model.safetensors.index.json")
    }
}

/// A JSON value with its type kept (JSONSerialization on Linux turns `true` into the number 1).
indirect enum JSONAny: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONAny]), object([String: JSONAny])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let x = try? c.decode(Double.self) { self = .number(x); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONAny].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONAny].self))
    }

    /// As Foundation values: numbers as NSNumber, booleans as `BoolValue` (never a number).
    var foundation: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return BoolValue(value: b)
        case .number(let x): return NSNumber(value: x)
        case .string(let s): return s
        case .array(let a): return a.map(\.foundation)
        case .object(let o): return o.mapValues(\.foundation)
        }
    }
}

/// A JSON boolean, distinct from the numbers 0 and 1.
struct BoolValue { var value: Bool }

/// Warnings found while reading inputs (a config whose parameter count disagrees with its
/// checkpoint, …): collected here and printed by the command line before it exits.
public enum Warnings {
    nonisolated(unsafe) private static var items: [String] = []
    private static let lock = NSLock()

    public static func emit(_ s: String) {
        lock.lock(); defer { lock.unlock() }
        if !items.contains(s) { items.append(s) }
    }

    /// The warnings so far, clearing them.
    public static func drain() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let out = items
        items = []
        return out
    }
}
