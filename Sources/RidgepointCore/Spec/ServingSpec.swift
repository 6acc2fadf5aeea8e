import Foundation
import RidgepointFormatting

/// The serving modes a spec sweeps (`serving:`), and the checks that refuse impossible ones.
extension Spec {
    /// The most serving modes one spec sweeps (the product of its `serving:` lists).
    public static let maxServingModes = 256
    static var servingKeys: [String] { SpecSchema.serving.keys }

    /// A mapping or scalar as one entry, a list as its entries.
    static func entries(_ v: YAMLValue) throws -> [YAMLValue] {
        if case .sequence = v.node { return try v.sequence() }
        return [v]
    }

    /// Whether `v` is the word that switches a mode off in a list (`off`, `none`, `false`).
    static func isOff(_ v: YAMLValue) -> Bool {
        guard case .scalar = v.node, let s = try? v.string().lowercased() else { return false }
        return ["off", "none", "false", "no"].contains(s)
    }

    /// Reads `serving:` (after the models, which draft models and the checks need).
    mutating func parseServing(_ v: YAMLValue) throws {
        let f = try v.fields(allowed: Spec.servingKeys)
        if let c = f["prefill_chunk_tokens"] { serving.prefillChunkTokens = try c.integer(min: 1, max: 100_000_000) }
        if let t = f["tp"] {
            gpusPerReplica = try Spec.intList(t, max: 4096, what: "tensor-parallel degree")
            origins["gpus_per_replica"] = .file(t.file, line: t.line)
        }
        let pps = try f["pp"].map { try Spec.intList($0, max: 1024, what: "pipeline depth") } ?? [1]
        let eps = try f["ep"].map { try Spec.intList($0, max: 4096, what: "expert-parallel degree") } ?? [1]
        let dps = try f["dp_attention"].map { node in try Spec.entries(node).map { try $0.bool() } } ?? [false]
        if let node = f["dp_attention"], Set(dps).count != dps.count { throw node.error(Messages.Text.listedTwice("a value of dp_attention")) }
        var specs: [Speculative?] = [nil]
        if let node = f["speculative"] {
            specs = try Spec.entries(node).map { Spec.isOff($0) ? nil : try parseSpeculative($0) }
        }
        var splits: [Disaggregation?] = [nil]
        if let node = f["disaggregated"] {
            splits = try Spec.entries(node).map { Spec.isOff($0) ? nil : try Spec.parseDisaggregation($0) }
        }
        let combinations = [pps.count, eps.count, dps.count, specs.count, splits.count].reduce(1) { a, b in
            a.multipliedReportingOverflow(by: b).overflow ? Int.max : a * b }
        if combinations > Spec.maxServingModes {
            throw v.error(Messages.Specs.tooManyModes(combinations == Int.max ? "too many" : Fmt.grouped(combinations), limit: Spec.maxServingModes))
        }
        var out: [ServingMode] = []
        for pp in pps { for ep in eps { for dp in dps { for s in specs { for d in splits {
            let m = ServingMode(pp: pp, ep: ep, dpAttention: dp, speculative: s, disaggregated: d)
            if !out.contains(m) { out.append(m) }
        } } } } }
        modes = out
    }

    func parseSpeculative(_ v: YAMLValue) throws -> Speculative {
        let f = try v.fields(allowed: SpecSchema.speculative.keys)
        guard let k = f["draft_tokens"] else { throw v.error(Messages.Text.missingField("draft_tokens", help: "e.g. `speculative: {draft_tokens: 3, acceptance: 0.7, mtp: 1}`")) }
        guard let a = f["acceptance"] else { throw v.error(Messages.Text.missingField("acceptance", help: "the probability that a drafted token is accepted, e.g. 0.7")) }
        let draft: Speculative.Draft
        switch (f["draft_model"], f["mtp"]) {
        case (let m?, nil):
            draft = .model(try catalog.requireModel(try m.nonEmptyString(), at: (m.file, m.line, m.column, m.path)))
        case (nil, let x?):
            if case .scalar = x.node, let b = try? x.bool() {
                guard b else { throw x.error(Messages.Specs.mtpFalse) }
                draft = .mtp(layers: 1)
            } else {
                draft = .mtp(layers: try x.number(min: 0.001, max: 64, unit: "layers of the target model per drafted token"))
            }
        case (.some, .some):
            throw v.error(Messages.Text.eitherNotBoth("draft_model", "mtp"))
        case (nil, nil):
            throw v.error(Messages.Specs.speculationWithoutDraft)
        }
        return Speculative(draftTokens: try k.integer(min: 1, max: 32),
                           acceptance: try a.number(min: 0.001, max: 1, unit: "(probability, e.g. 0.7)"), draft: draft)
    }

    static func parseDisaggregation(_ v: YAMLValue) throws -> Disaggregation {
        let f = try v.fields(allowed: SpecSchema.disaggregated.keys)
        guard let p = f["prefill_gpus"], let d = f["decode_gpus"] else {
            throw v.error(Messages.Text.missingField(f["prefill_gpus"] == nil ? "prefill_gpus" : "decode_gpus",
                                                     help: "e.g. `disaggregated: {prefill_gpus: 1, decode_gpus: 3, link_gbs: 50}`"))
        }
        return Disaggregation(prefillGPUs: try p.integer(min: 1, max: 4096), decodeGPUs: try d.integer(min: 1, max: 4096),
                              linkBandwidth: try f["link_gbs"].map { try $0.number(min: 0.001, max: 1e6, unit: "GB/s") * 1e9 })
    }

    /// Whether `mode` applies to `model` at tensor-parallel degree `tp` (expert parallelism needs
    /// an MoE model and spreads its experts over the tp GPUs); the sweep skips the others.
    public func applies(_ mode: ServingMode, model: Model, tp: Int) -> Bool {
        if mode.ep > 1 && !(model.moe != nil && !model.isDeclared && mode.ep == tp) { return false }
        if let d = mode.disaggregated, !d.fits(replicaGPUs: tp * mode.pp) { return false }
        return true
    }

    /// The combinations the physics cannot evaluate, each refused naming its field.
    func checkServing() throws {
        let origin = location(of: "serving")
        func refuse(_ field: String, _ text: MessageText) -> RidgepointError {
            if fromFlag("serving") {
                // Set on the command line: name the flag, not a spec field.
                let flag = "--" + (field.split(separator: ".").last.map(String.init) ?? field).replacingOccurrences(of: "_", with: "-")
                return text.at(field: flag)
            }
            return text.at(file: origin.file, line: origin.line, field: field)
        }
        for mode in modes {
            if mode.pp > 1, let m = models.first(where: { $0.layers < mode.pp }) {
                throw refuse("serving.pp", Messages.Specs.ppAboveLayers(mode.pp, layers: m.layers, model: m.name))
            }
            if mode.ep > 1 {
                let moe = models.filter { $0.moe != nil && !$0.isDeclared }
                if moe.isEmpty {
                    throw refuse("serving.ep", Messages.Specs.epWithoutExperts(mode.ep, models: models.map(\.name)))
                }
                if let m = moe.first(where: { ($0.moe?.experts ?? 0) < mode.ep }) {
                    throw refuse("serving.ep", Messages.Specs.epAboveExperts(mode.ep, experts: m.moe?.experts ?? 0, model: m.name))
                }
                if !gpusPerReplica.contains(mode.ep) {
                    throw refuse("serving.ep", Messages.Specs.epNotATPDegree(mode.ep, tp: gpusPerReplica, flags: fromFlag("serving")))
                }
            }
            if mode.dpAttention, let tp = gpusPerReplica.max(), tp > 1, let b = batchSizes.min(), b < tp {
                throw refuse("serving.dp_attention", Messages.Specs.dpAttentionBatch(tp: tp, smallestBatch: b, flags: fromFlag("serving")))
            }
            if let d = mode.disaggregated {
                // In a sweep, a split need only fit some of the replica sizes it meets (the others
                // are skipped, as `applies` says).
                let sizes = Array(Set(modes.filter { $0.disaggregated == d }.flatMap { m in gpusPerReplica.map { $0 * m.pp } })).sorted()
                if !sizes.contains(where: { d.fits(replicaGPUs: $0) }) {
                    throw refuse("serving.disaggregated", Messages.Specs.splitNotWholeReplicas(prefill: d.prefillGPUs, decode: d.decodeGPUs, sizes: sizes, flags: fromFlag("serving")))
                }
                if d.linkBandwidth == nil, let g = gpus.first(where: { $0.links.scaleOutBandwidth <= 0 }) {
                    throw refuse("serving.disaggregated", Messages.Specs.noKVNetwork(g.name, flags: fromFlag("serving")))
                }
            }
        }
    }
}
