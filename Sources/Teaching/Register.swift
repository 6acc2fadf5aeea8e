import Canvas
import DocumentLayout
import Foundation
import RidgepointCore
import RidgepointFormatting
import RidgepointResources

/// One wrong statement in a seed article: where it is, the article's own words, and the numbers
/// recomputed by the engine. The words come from `errata/statements.json` (verbatim quotes);
/// `recomputed`, `correct` and `why` are computed here from the catalog and the evaluation layer,
/// so a reason can never contradict its numbers.
public struct RegisterEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The article's own method, with its own inputs, gives another number.
        case arithmetic
        /// A counting convention (weights read twice, sparse peaks as dense, max of streams).
        case convention
        /// A hardware or model figure that the datasheet or config.json contradicts.
        case datasheet
        /// A claim in words (a trend, a rule, a mechanism) that the physics contradicts.
        case qualitative
    }
    /// Stable key: seed number, line and a letter when one line holds several ("003-204a").
    public var id: String
    /// The seed's file name, e.g. `003_a0da9808c8afff92.txt`.
    public var seedFile: String
    /// Section (and box) of the statement.
    public var location: String
    /// Line of the seed file the quote is on (1-based).
    public var line: Int
    /// The seed's words, verbatim.
    public var quote: String
    /// The value as the seed prints it (plain text), when the statement is numeric.
    public var printed: String?
    /// The seed's own method with the arithmetic done right, where that differs from `printed`.
    public var recomputed: String?
    /// The physical value or the correct statement (plain text).
    public var correct: String
    /// Why, in one or two sentences built from the same numbers.
    public var why: String
    public var kind: Kind

    /// "003".
    public var seed: String { String(seedFile.prefix(3)) }
    /// "§1.2, line 45".
    public var place: String { "\(location), line \(line)" }

    /// The entry as a box in a sheet or the lecture notes (markup).
    public var erratum: Erratum {
        var e = Erratum(seed: seed, location: Markup.escape(place), printed: "“" + Markup.escape(quote) + "”",
                        correct: Markup.escape(correct), reason: Markup.escape(why))
        e.entry = self
        return e
    }
}

/// Every statement in the five seed articles that is wrong, computed for one catalog.
public struct ErrataRegister: Sendable {
    public var entries: [RegisterEntry]

    /// The entry with `id`.
    public func entry(_ id: String) -> RegisterEntry? { entries.first { $0.id == id } }

    /// Boxes for the entries with `ids`, in that order (an unknown id is a programming error the
    /// tests catch; it yields no box rather than a wrong one).
    public func boxes(_ ids: [String]) -> [Erratum] { ids.compactMap { entry($0)?.erratum } }

    /// The seed files the register covers, in order.
    public var seedFiles: [String] { Array(Set(entries.map(\.seedFile))).sorted() }

    /// The register for `catalog` (the built-in one unless a spec replaces GPUs or models: the
    /// seeds' hardware is looked up by catalog id).
    public static func build(catalog: Catalog) throws -> ErrataRegister {
        let facts = try RegisterFacts(catalog)
        let statements = try Statement.load()
        var out: [RegisterEntry] = []
        for s in statements {
            guard let compute = RegisterComputations.table[s.id] else {
                throw Messages.Teaching.noComputation(s.id)
            }
            let r = compute(facts)
            out.append(RegisterEntry(id: s.id, seedFile: s.seed_file, location: s.location, line: s.line, quote: s.quote,
                                     printed: s.printed, recomputed: r.recomputed, correct: r.correct, why: r.why,
                                     kind: RegisterEntry.Kind(rawValue: s.kind) ?? .qualitative))
        }
        // In reading order: seed file, then line.
        out.sort { ($0.seedFile, $0.line, $0.id) < ($1.seedFile, $1.line, $1.id) }
        return ErrataRegister(entries: out)
    }

    /// The register for the built-in catalog, computed once: the seeds' statements are about the
    /// seeds' hardware, whatever catalog or spec a sheet uses.
    public static func builtIn() throws -> ErrataRegister { try shared.get() }
    private static let shared = Result { try ErrataRegister.build(catalog: Catalog.builtIn()) }

    /// Boxes from the built-in register (none if it cannot be built, which the tests rule out).
    static func builtInBoxes(_ ids: [String]) -> [Erratum] { (try? builtIn())?.boxes(ids) ?? [] }

    /// The seed statements as stored (quote, location, printed value, kind).
    struct Statement: Decodable {
        var id: String
        var seed_file: String
        var location: String
        var line: Int
        var quote: String
        var printed: String?
        var kind: String

        static func load() throws -> [Statement] {
            guard let text = EmbeddedResources.text("errata/statements.json") else {
                throw Messages.missingResource("the errata register's statements", file: "errata/statements.json")
            }
            return try JSONDecoder().decode([Statement].self, from: Data(text.utf8))
        }
    }
}

/// The hardware and models the seeds use, from the catalog (datasheet figures) and as the seeds
/// state them.
struct RegisterFacts {
    let a100, a100_40, h100, h200, b200, gb200, mi300x, p100, v100: GPU
    /// Seed 003's table as printed (A100 312/2.0, H100 1,979/3.35, H200 1,979/4.8, B200 4,500/8, P100 21.2/0.72, V100 125/0.9).
    let sA100, sH100, sH200, sB200, sP100, sV100: GPU
    /// Seed 000's A100: 312 TFLOPS, "2 TB/s".
    let a100_000: GPU
    let l2_13b, l2_70b, l3_8b, l3_70b, dsv3: Model
    /// Round parameter counts the seeds use: 7B (14 GB), 8B, 13B (26 GB), 70B (140 GB).
    let m7, m8, m13, m70: Model

    init(_ c: Catalog) throws {
        a100 = try c.requireGPU("a100-80gb"); a100_40 = try c.requireGPU("a100-40gb")
        h100 = try c.requireGPU("h100-sxm"); h200 = try c.requireGPU("h200"); b200 = try c.requireGPU("b200"); gb200 = try c.requireGPU("gb200")
        mi300x = try c.requireGPU("mi300x"); p100 = try c.requireGPU("p100"); v100 = try c.requireGPU("v100")
        sA100 = Stated.gpu(a100, tflops: 312, tbs: 2.0, seed: "003")
        sH100 = Stated.gpu(h100, tflops: 1979, tbs: 3.35, seed: "003", usd: 2.50)
        sH200 = Stated.gpu(h200, tflops: 1979, tbs: 4.80, seed: "003", usd: 3.50)
        sB200 = Stated.gpu(b200, tflops: 4500, tbs: 8.0, seed: "003")
        sP100 = Stated.gpu(p100, tflops: 21.2, tbs: 0.72, seed: "003")
        sV100 = Stated.gpu(v100, tflops: 125, tbs: 0.90, seed: "003")
        a100_000 = Stated.gpu(a100, tflops: 312, tbs: 2.0, seed: "000")
        l2_13b = try c.requireModel("llama-2-13b"); l2_70b = try c.requireModel("llama-2-70b")
        l3_8b = try c.requireModel("llama-3-8b"); l3_70b = try c.requireModel("llama-3-70b")
        dsv3 = try c.requireModel("deepseek-v3")
        m7 = Stated.model(try c.requireModel("llama-2-7b"), params: 7e9)
        m8 = Stated.model(l3_8b, params: 8e9)
        m13 = Stated.model(l2_13b, params: 13e9)
        m70 = Stated.model(l2_70b, params: 70e9)
    }

    func dep(_ g: GPU, _ m: Model, _ c: Convention = .physical, price: Double? = nil, gpus: Int = 1) -> Deployment {
        Gen.dep(g, m, c, price: price, gpus: gpus)
    }
    /// Dense ridge point of a GPU (BF16).
    func ridge(_ g: GPU) -> Double { dep(g, m7).ridge }
    /// Ridge point under seed 003's convention (sparse Hopper/Blackwell peaks).
    func seedRidge(_ g: GPU) -> Double { dep(g, m7, .seed003).ridge }
    /// Fraction of the peak a batch-1 decode step of a 4096 × 4096 BF16 layer can use.
    func gemvUtilisation(_ g: GPU) -> Double {
        LinearLayer(m: 4096, k: 4096, tokens: 1).intensity * g.bandwidth / (dep(g, m7).peakFlops)
    }
}

/// Plain-text numbers for the register (Unicode superscripts, grouped thousands).
enum RN {
    static func n(_ x: Double, _ sig: Int = 4) -> String {
        guard x.isFinite else { return x.isNaN ? "—" : "∞" }
        if x != 0 && (abs(x) >= 1e7 || abs(x) < 1e-4) {
            let (m, e) = Num.mantissa(x, sig: sig)
            return "\(m) × 10" + sup(e)
        }
        return Fmt.decimal(x, sig: sig, keepWholeDigits: false)
    }
    /// Whole number, grouped.
    static func i(_ x: Double) -> String { Fmt.grouped(Int(x.rounded())) }
    static func pct(_ f: Double, _ sig: Int = 2) -> String { Num.percent(f, sig: sig) }
    /// "×1.89".
    static func x(_ r: Double, _ sig: Int = 3) -> String { n(r, sig) + "×" }
    /// Bytes in GB (10⁹).
    static func gb(_ b: Double, _ sig: Int = 3) -> String { n(b / 1e9, sig) + " GB" }
    static func tflops(_ f: Double) -> String { n(f / 1e12, 5) + " TFLOPS" }
    static func tbs(_ b: Double) -> String { n(b / 1e12, 4) + " TB/s" }
    static func sup(_ e: Int) -> String { Fmt.superscript(e) }
}
