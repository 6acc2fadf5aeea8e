import Foundation
import RidgepointFormatting
import Yams

/// A node of the spec's schema: the shape a value must have.
public indirect enum SchemaNode: Sendable {
    case string(values: [String]?)
    case integer(min: Double?, max: Double?)
    case number(min: Double?, max: Double?)
    case boolean
    case array(SchemaNode)
    case object(SchemaObject)
    /// An object whose keys are free (ids), each value of one shape.
    case map(SchemaNode)
    case anyOf([SchemaNode])

    static let text = SchemaNode.string(values: nil)
    static func oneOrMore(_ n: SchemaNode) -> SchemaNode { .anyOf([n, .array(n)]) }
    static func int(_ min: Double? = 1, _ max: Double? = nil) -> SchemaNode { .integer(min: min, max: max) }
    static func num(_ min: Double? = 0, _ max: Double? = nil) -> SchemaNode { .number(min: min, max: max) }
}

/// An object of the schema: its properties (in the order the README documents them) and the
/// required ones. The parser reads its allowed keys from here, so the schema and the parser
/// cannot drift apart.
public struct SchemaObject: Sendable {
    public struct Property: Sendable {
        public var name: String
        public var node: SchemaNode
        public var description: String
    }
    public var properties: [Property]
    public var required: [String]
    public var keys: [String] { properties.map(\.name) }

    init(_ properties: [(String, SchemaNode, String)], required: [String] = []) {
        self.properties = properties.map { Property(name: $0.0, node: $0.1, description: $0.2) }
        self.required = required
    }
}

/// The spec format as a schema: `ridgepoint schema` prints it as JSON Schema (draft 2020-12) for
/// editors; `Spec.parse` takes its allowed keys from the same objects.
public enum SpecSchema {
    static let weightFormats = WeightFormat.allCases.map(\.rawValue)

    public static let precision = SchemaObject([
        ("weights", .string(values: weightFormats), "Weight format."),
        ("kv", .string(values: KVFormat.allCases.map(\.rawValue)), "KV-cache format."),
        ("group_size", .int(1, 1_000_000), "Values per quantisation scale."),
        ("embeddings", .string(values: weightFormats), "Format of the embedding table and LM head (bf16 unless stated)."),
    ])
    public static let power = SchemaObject([
        ("usd_per_kwh", .num(0, 100), "Electricity price, $/kWh."),
        ("pue", .num(1, 5), "Power usage effectiveness of the facility."),
    ])
    public static let ownership = SchemaObject([
        ("years", .num(0.25, 30), "Depreciation period."),
        ("utilisation", .num(0.01, 1), "Fraction of hours busy."),
        ("utilization", .num(0.01, 1), "Same as utilisation."),
        ("hosting_usd_per_gpu_month", .num(0, 1e6), "Hosting cost per GPU and month."),
    ])
    public static let sensitivity = SchemaObject([("range", .num(0.01, 0.9), "How far each uncertain input is varied (0.2 = ±20 %).")])
    public static let slo = SchemaObject([
        ("tpot_ms", .num(0.001, 1e7), "Target time per output token, ms."),
        ("ttft_ms", .num(0.001, 1e8), "Target time to first token, ms."),
    ])
    public static let workload = SchemaObject([
        ("name", .text, "Workload name."),
        ("input_tokens", .int(1, 1e8), "Prompt tokens per request."),
        ("output_tokens", .int(1, 1e8), "Generated tokens per request."),
        ("slo", .object(slo), "Latency targets."),
        ("requests_per_s", .num(1e-9, 1e9), "Request rate the fleet must carry."),
    ], required: ["name", "input_tokens", "output_tokens"])
    public static let measurement = SchemaObject([
        ("file", .text, "A measurement CSV or vLLM result JSON, relative to the spec."),
        ("gpu", .text, "The GPU that ran a vLLM result file."),
        ("gpus", .int(1, 4096), "GPUs that ran it."),
    ], required: ["file"])
    public static let priceOverride = SchemaObject([
        ("usd_per_hour", .num(0.0001, 10_000), "Rental price, $/GPU-hour."),
        ("capex_usd", .num(1, 1e8), "Purchase price, $."),
    ])
    public static let efficiency = SchemaObject([
        ("compute", .num(0, 1), "Fraction of peak FLOP/s reached."),
        ("memory", .num(0, 1), "Fraction of peak bandwidth reached."),
        ("interconnect", .num(0, 1), "Fraction of link bandwidth reached."),
        ("overhead_us", .num(0, 1e7), "Fixed time per step, µs."),
        ("overhead_per_sequence_us", .num(0, 1e7), "Time per sequence per step, µs."),
    ])
    public static let speculative = SchemaObject([
        ("draft_tokens", .int(1, 64), "Tokens drafted per step (k)."),
        ("acceptance", .num(0, 1), "Probability that a drafted token is accepted."),
        ("draft_model", .text, "Catalog id of the draft model."),
        ("mtp", .anyOf([.boolean, .int(1, 64)]), "Multi-token-prediction heads as the draft (layers per drafted token)."),
    ], required: ["draft_tokens", "acceptance"])
    public static let disaggregated = SchemaObject([
        ("prefill_gpus", .int(1, 1e6), "GPUs of the prefill pool."),
        ("decode_gpus", .int(1, 1e6), "GPUs of the decode pool."),
        ("link_gbs", .num(0.001, 1e6), "KV-transfer link, GB/s."),
    ], required: ["prefill_gpus", "decode_gpus"])
    static let off = SchemaNode.anyOf([.string(values: ["off"]), .boolean])
    public static let serving = SchemaObject([
        ("prefill_chunk_tokens", .int(1, 1e8), "Chunked-prefill budget, tokens."),
        ("tp", .oneOrMore(.int(1, 4096)), "Tensor-parallel degrees."),
        ("pp", .oneOrMore(.int(1, 1024)), "Pipeline depths."),
        ("ep", .oneOrMore(.int(1, 4096)), "Expert-parallel degrees."),
        ("dp_attention", .oneOrMore(.boolean), "Data-parallel attention on or off."),
        ("speculative", .oneOrMore(.anyOf([.object(speculative), off])), "Speculative decoding settings, or off."),
        ("disaggregated", .oneOrMore(.anyOf([.object(disaggregated), off])), "Prefill/decode pools, or off."),
    ])

    static let peaks = SchemaNode.map(.anyOf([.num(0, 1e7), .object(SchemaObject([("dense", .num(0, 1e7), "Dense TFLOPS."), ("sparse", .num(0, 1e7), "2:4-sparse TFLOPS.")]))]))
    /// Types of the custom-GPU keys (`Catalog.customGPUKeys`; a test checks every key has one).
    static let gpuTypes: [String: (SchemaNode, String)] = [
        "id": (.text, "Id (letters, digits, . _ - +)."), "name": (.text, "Display name."), "short_name": (.text, "Short name for legends."),
        "aliases": (.array(.text), "Other names."), "vendor": (.text, "Vendor."), "architecture": (.text, "Architecture (Hopper, Blackwell, CDNA3, …)."),
        "year": (.int(1990, 2100), "Launch year."), "form_factor": (.text, "SXM, PCIe, OAM, …"), "memory_type": (.text, "HBM3, HBM3e, GDDR6, …"),
        "memory_gb": (.num(0.001, 1e5), "Memory as the datasheet states it, GB."), "memory_reported_mib": (.num(1, 1e9), "Memory the driver reports, MiB."),
        "bandwidth_tbs": (.num(0.001, 1000), "Memory bandwidth, TB/s."), "interconnect": (.text, "Scale-up link (NVLink, Infinity Fabric, PCIe)."),
        "interconnect_gbs": (.num(0, 1e6), "Scale-up bandwidth per GPU, GB/s."), "interconnect_latency_us": (.num(0, 1e6), "All-reduce latency, µs."),
        "scale_up_domain": (.int(1, 1e6), "GPUs in one scale-up domain."), "scale_out_gbs": (.num(0, 1e6), "Scale-out bandwidth per GPU, GB/s."),
        "scale_out_latency_us": (.num(0, 1e6), "Scale-out latency, µs."), "tdp_w": (.num(1, 1e5), "Board power, W."),
        "peak_tflops": (peaks, "Peak TFLOPS per precision: a number or {dense, sparse}."),
        "price": (.anyOf([.num(0.0001, 10_000), .object(SchemaObject([("usd_per_hour", .num(0.0001, 10_000), "$/GPU-hour."), ("as_of", .text, "Date."), ("source", .text, "Source.")]))]), "Rental price."),
        "capex_usd": (.num(1, 1e8), "Purchase price, $."),
        "capex": (.object(SchemaObject([("usd", .num(1, 1e8), "$."), ("low_usd", .num(1, 1e8), "$."), ("high_usd", .num(1, 1e8), "$."), ("as_of", .text, "Date."), ("source", .text, "Source.")])), "Purchase price range."),
        "calibration": (.text, "Calibration set name."), "sources": (.map(.text), "Source of each group of numbers."), "notes": (.text, "Notes."),
        "base": (.text, "Catalog GPU to start from."), "bf16_tflops": (.num(0.001, 1e7), "Dense BF16 TFLOPS."),
        "fp8_tflops": (.num(0.001, 1e7), "Dense FP8 TFLOPS."), "usd_per_hour": (.num(0.0001, 10_000), "Rental price, $/GPU-hour."),
        "efficiency": (.object(efficiency), "Efficiency factors for this GPU."),
    ]
    /// Types of the custom-model keys (`Catalog.modelKeys` + base, config).
    static let modelTypes: [String: (SchemaNode, String)] = [
        "id": (.text, "Id."), "name": (.text, "Display name."), "aliases": (.array(.text), "Other names."), "family": (.text, "Family."),
        "layers": (.int(1, 10_000), "num_hidden_layers."), "hidden_size": (.int(1, 1e6), "hidden_size."),
        "attention_heads": (.int(1, 1e5), "num_attention_heads."), "kv_heads": (.int(1, 1e5), "num_key_value_heads."),
        "head_dim": (.int(1, 1e5), "head_dim."), "intermediate_size": (.int(1, 1e7), "intermediate_size (dense MLP width)."),
        "vocab_size": (.int(1, 1e8), "vocab_size."), "tied_embeddings": (.boolean, "tie_word_embeddings."), "qkv_bias": (.boolean, "QKV projections carry a bias."),
        "max_context": (.int(1, 1e8), "max_position_embeddings."), "published_params_b": (.num(0, 1e6), "Published total parameters, billions."),
        "published_active_params_b": (.num(0, 1e6), "Published active parameters, billions."), "source": (.text, "Source of the architecture."),
        "params_source": (.text, "Source of the parameter count."),
        "moe": (.object(SchemaObject([("experts", .int(1, 1e5), "Routed experts."), ("experts_per_token", .int(1, 1e5), "Experts per token."),
                                      ("shared_experts", .int(0, 1000), "Shared experts."), ("expert_intermediate_size", .int(1, 1e5), "Expert MLP width."),
                                      ("dense_layers", .int(0, 10_000), "Layers with a dense MLP.")], required: ["experts", "experts_per_token", "expert_intermediate_size"])), "Mixture of experts."),
        "mla": (.object(SchemaObject([("q_lora_rank", .int(0, 1e6), ""), ("kv_lora_rank", .int(1, 1e6), ""), ("qk_nope_head_dim", .int(1, 1e6), ""),
                                      ("qk_rope_head_dim", .int(0, 1e6), ""), ("v_head_dim", .int(1, 1e6), "")],
                                     required: ["q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"])), "Multi-head latent attention."),
        "sliding_window": (.int(1, 1e8), "Sliding-window size."),
        "sliding_window_layers": (.int(0, 10_000), "Layers that use the window when only some do (default: all)."),
        "base": (.text, "Catalog model to start from."), "config": (.text, "A Hugging Face config.json or snapshot folder, relative to the spec."),
    ]
    static func object(_ keys: [String], _ types: [String: (SchemaNode, String)], required: [String] = []) -> SchemaObject {
        SchemaObject(keys.map { k in (k, types[k]?.0 ?? .text, types[k]?.1 ?? "") }, required: required)
    }
    public static let customGPU = object(Catalog.customGPUKeys, gpuTypes)
    public static let customModel = object(Catalog.modelKeys + ["base", "config"], modelTypes)

    public static let root = SchemaObject([
        ("title", .text, "Report title."),
        ("template", .text, "procurement, wiki, teaching, or a folder of templates."),
        ("formats", .oneOrMore(.string(values: Spec.allowedFormats)), "Outputs to write."),
        ("gpus", .oneOrMore(.anyOf([.text, .object(customGPU)])), "Catalog GPU ids or custom GPUs."),
        ("models", .oneOrMore(.anyOf([.text, .object(customModel)])), "Catalog model ids, config.json paths or custom models."),
        ("batch_sizes", .oneOrMore(.int(1, 1_000_000)), "Concurrent sequences."),
        ("contexts", .oneOrMore(.int(0, 1e8)), "Tokens of context."),
        ("phases", .oneOrMore(.string(values: Phase.allCases.map(\.rawValue))), "decode, prefill, request."),
        ("precision", .object(precision), "Weight and KV formats."),
        ("gpus_per_replica", .oneOrMore(.int(1, 4096)), "Tensor-parallel sizes."),
        ("slo", .object(slo), "Latency targets of workloads that state none."),
        ("efficiency", .anyOf([.string(values: ["ideal", "calibrated", "fitted"]), .object(efficiency)]), "Efficiency preset or factors."),
        ("convention", .string(values: Convention.all.map(\.name)), "Counting convention."),
        ("prices", .map(.anyOf([.num(0.0001, 10_000), .object(priceOverride)])), "Price overrides by GPU id."),
        ("memory_reserve", .num(0, 0.9), "Fraction of memory kept for activations and workspace."),
        ("mean_sequence_tokens", .int(1, 1e8), "Mean tokens a sequence holds (paged-KV concurrency)."),
        ("page_size", .string(values: ["a4", "letter"]), "Page size of documents."),
        ("edition", .string(values: Spec.editions), "Edition of the teaching template."),
        ("workloads", .array(.object(workload)), "Request-level workloads."),
        ("serving", .object(serving), "Serving modes to sweep."),
        ("measurements", .oneOrMore(.anyOf([.text, .object(measurement)])), "Measured operating points (files or builtin:published)."),
        ("power", .object(power), "Energy price and PUE."),
        ("ownership", .object(ownership), "Terms of owning GPUs."),
        ("headroom", .num(0, 10), "Spare capacity above a workload's request rate."),
        ("sensitivity", .object(sensitivity), "Sensitivity analysis."),
    ], required: ["gpus", "models"])

    // MARK: JSON Schema

    /// The spec format as JSON Schema (draft 2020-12): every container one member per line,
    /// keys sorted, `"key" : value`; the same bytes on every run.
    public static func jsonSchema(version: String) -> String {
        let top: [(String, JSONValue)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("urn:ridgepoint:spec")),
            ("title", .string("Ridgepoint spec")),
            ("description", .string("A matrix of GPUs × models × batch sizes × contexts for ridgepoint \(version); see README.md.")),
        ]
        return JSONValue.object(top + objectFields(root)).rendered(JSONLayout(expandedDepth: .max, colon: " : ", sortedKeys: true)) + "\n"
    }

    static func objectFields(_ o: SchemaObject) -> [(String, JSONValue)] {
        var f: [(String, JSONValue)] = [("type", .string("object"))]
        let props = o.properties.map { p -> (String, JSONValue) in
            var fields = node(p.node)
            if !p.description.isEmpty { fields.insert(("description", .string(p.description)), at: 0) }
            return (p.name, .object(fields))
        }
        f.append(("properties", .object(props)))
        if !o.required.isEmpty { f.append(("required", .array(o.required.map { .string($0) }))) }
        f.append(("additionalProperties", .bool(false)))
        return f
    }

    static func node(_ n: SchemaNode) -> [(String, JSONValue)] {
        switch n {
        case .string(let values):
            return [("type", .string("string"))] + (values.map { [("enum", .array($0.map { .string($0) }))] } ?? [])
        case .integer(let lo, let hi):
            return [("type", .string("integer"))] + bounds(lo, hi)
        case .number(let lo, let hi):
            return [("type", .string("number"))] + bounds(lo, hi)
        case .boolean:
            return [("type", .string("boolean"))]
        case .array(let item):
            return [("type", .string("array")), ("items", .object(node(item)))]
        case .object(let o):
            return objectFields(o)
        case .map(let value):
            return [("type", .string("object")), ("additionalProperties", .object(node(value)))]
        case .anyOf(let ns):
            return [("anyOf", .array(ns.map { .object(node($0)) }))]
        }
    }

    static func bounds(_ lo: Double?, _ hi: Double?) -> [(String, JSONValue)] {
        (lo.map { [("minimum", .number($0))] } ?? []) + (hi.map { [("maximum", .number($0))] } ?? [])
    }
}

extension SpecSchema {
    /// What in a spec's YAML `text` the schema rejects (empty: it conforms) — the check an editor
    /// makes with the JSON Schema, done here so the tests need no JSON Schema library.
    public static func violations(ofYAML text: String) throws -> [String] {
        let value = try Yams.load(yaml: text)
        return violations(value as Any, .object(root), path: "")
    }

    static func violations(_ v: Any, _ n: SchemaNode, path: String) -> [String] {
        let at = path.isEmpty ? "the spec" : path
        switch n {
        case .string(let values):
            guard let s = v as? String else { return ["\(at): expected a string"] }
            if let values, !values.contains(s) { return ["\(at): '\(s)' is not one of \(values.joined(separator: ", "))"] }
            return []
        case .integer(let lo, let hi):
            guard !(v is Bool), let x = (v as? Int).map(Double.init) else { return ["\(at): expected a whole number"] }
            return inRange(x, lo, hi, at)
        case .number(let lo, let hi):
            guard !(v is Bool), let x = (v as? Int).map(Double.init) ?? (v as? Double) else { return ["\(at): expected a number"] }
            return inRange(x, lo, hi, at)
        case .boolean:
            return v is Bool ? [] : ["\(at): expected true or false"]
        case .array(let item):
            guard let a = v as? [Any] else { return ["\(at): expected a list"] }
            return a.enumerated().flatMap { violations($0.element, item, path: "\(path)[\($0.offset)]") }
        case .map(let value):
            guard let m = v as? [String: Any] else { return ["\(at): expected a mapping"] }
            return m.keys.sorted().flatMap { k in violations(m[k] as Any, value, path: path.isEmpty ? k : "\(path).\(k)") }
        case .object(let o):
            guard let m = v as? [String: Any] else { return ["\(at): expected a mapping"] }
            var out: [String] = []
            for k in m.keys.sorted() {
                guard let p = o.properties.first(where: { $0.name == k }) else { out.append("\(at): unknown key '\(k)'"); continue }
                out += violations(m[k] as Any, p.node, path: path.isEmpty ? k : "\(path).\(k)")
            }
            for r in o.required where m[r] == nil { out.append("\(at): missing '\(r)'") }
            return out
        case .anyOf(let ns):
            let each = ns.map { violations(v, $0, path: path) }
            if each.contains(where: \.isEmpty) { return [] }
            // Report the alternative that matches the value's kind: a wrong kind ("expected …")
            // counts as a worse miss than a problem inside the right kind.
            func score(_ vs: [String]) -> Int { vs.count * 2 + (vs.allSatisfy { $0.contains(": expected ") } ? 1 : 0) }
            return each.min { score($0) < score($1) } ?? []
        }
    }

    static func inRange(_ x: Double, _ lo: Double?, _ hi: Double?, _ at: String) -> [String] {
        if let lo, x < lo { return ["\(at): \(x) is below \(lo)"] }
        if let hi, x > hi { return ["\(at): \(x) is above \(hi)"] }
        return []
    }
}
