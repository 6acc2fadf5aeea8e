import Foundation
import RidgepointFormatting

extension Calibration {
    /// Whether a fit to measured serving results may replace a GPU's default `calibrated`
    /// compute and memory factors (which come from microbenchmarks: a BF16 matmul and a
    /// bandwidth test). A fit is adopted only when
    /// - it rests on at least `minPoints` points and pins both factors (neither kept at its default),
    /// - it generalises: its held-out error is at most `maxHeldOut`, and
    /// - it is physically possible: a serving stack cannot run matrix math or stream memory faster
    ///   than the microbenchmark that measured the part's ceiling (5 % tolerance).
    /// Otherwise the microbenchmark factors stay, and the verdict says why.
    public struct Adoption: Sendable {
        public var fit: Fit
        public var adopted: Bool
        public var reason: String
    }

    public static let adoptionMaxHeldOut = 0.10
    public static let adoptionMinPoints = 5

    public static func adoption(_ fit: Fit) -> Adoption {
        func no(_ why: String) -> Adoption { Adoption(fit: fit, adopted: false, reason: why) }
        guard fit.points >= adoptionMinPoints else { return no("only \(fit.points) measured points (at least \(adoptionMinPoints) needed)") }
        if let k = ["compute", "memory"].first(where: { fit.kept[$0] != nil }) {
            return no("the measurements do not pin the \(k) factor (\(fit.kept[k] ?? ""))")
        }
        guard let held = fit.leaveOneOutMape else { return no("no held-out error could be computed") }
        // Fit errors are in per cent.
        guard held <= adoptionMaxHeldOut * 100 else {
            return no("the fit does not generalise: \(Fmt.g(held, 3)) % error on held-out points (at most \(Fmt.g(adoptionMaxHeldOut * 100, 2)) % allowed)")
        }
        if let bench = fit.gpu.calibration {
            if fit.efficiency.compute > bench.compute * 1.05 {
                return no("the fitted compute factor \(Fmt.g(fit.efficiency.compute, 2)) exceeds the matmul microbenchmark's \(Fmt.g(bench.compute, 2)), which no serving stack can beat")
            }
            if fit.efficiency.memory > bench.memory * 1.05 {
                return no("the fitted memory factor \(Fmt.g(fit.efficiency.memory, 2)) exceeds the bandwidth microbenchmark's \(Fmt.g(bench.memory, 2)), which no serving stack can beat")
            }
        }
        return Adoption(fit: fit, adopted: true,
                        reason: "\(fit.points) points, \(Fmt.g(held, 3)) % held-out error, within the microbenchmark ceilings")
    }

    /// The default `calibrated` factors of `gpu`: a qualifying fit to `measurements` (the
    /// published set shipped with Ridgepoint) when there is one, else the catalog's
    /// microbenchmark factors. Nil when the GPU has neither.
    public static func defaultFactors(for gpu: GPU, measurements: [MeasuredPoint], spec: Spec) -> (efficiency: Efficiency, source: String)? {
        let points = measurements.filter { $0.gpu.id == gpu.id }
        if !points.isEmpty {
            var base = spec
            base.efficiency = .calibrated
            for fit in fitAll(points, spec: base) {
                let a = adoption(fit)
                if a.adopted {
                    var e = fit.efficiency
                    e.name = "calibrated"
                    return (e, "fitted to \(fit.points) published measurements\(fit.engine.isEmpty || fit.engine == "all" ? "" : " (\(fit.engine))"): \(a.reason)")
                }
            }
        }
        return gpu.calibration.map { ($0, $0.source) }
    }
}
