import Foundation
import Testing
@testable import RidgepointCore

let catalog: Catalog = {
    do { return try Catalog.builtIn() } catch { fatalError("built-in catalog failed to load: \(error)") }
}()

func gpu(_ id: String) -> GPU { catalog.gpu(id)! }
func model(_ id: String) -> Model { catalog.model(id)! }

/// A GPU with the round figures an article states (TFLOPS, TB/s, GB, $/h).
func statedGPU(_ id: String, tflops: Double, sparseTflops: Double? = nil, tbs: Double, gb: Double = 80,
               usd: Double = 1, linkGBs: Double = 900, base: String = "h100-sxm") -> GPU {
    var g = gpu(base)
    g.id = id; g.name = id
    g.peaks = [.bf16: Peak(dense: tflops * 1e12, sparse: (sparseTflops ?? 2 * tflops) * 1e12),
               .fp16: Peak(dense: tflops * 1e12, sparse: (sparseTflops ?? 2 * tflops) * 1e12)]
    g.bandwidth = tbs * 1e12
    g.memoryBytes = gb * 1e9
    g.reportedMemoryBytes = nil   // an article's round figure: no device-reported capacity
    g.price = Price(usdPerHour: usd, asOf: "", source: "test")
    g.links.bandwidth = linkGBs * 1e9
    return g
}

/// |a − b| ≤ tol·|b|
func close(_ a: Double, _ b: Double, rel tol: Double = 0.005) -> Bool { abs(a - b) <= tol * abs(b) }
