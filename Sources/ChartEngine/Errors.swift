/// Every error ChartEngine throws, with its user-facing message in one place.
public enum ChartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A log axis was given (or derived) a domain that is not strictly positive.
    case nonPositiveLogDomain(axis: String, lower: Double, upper: Double)
    /// A domain bound is NaN or infinite, or lower > upper.
    case invalidDomain(axis: String, lower: Double, upper: Double)
    /// A log axis has no positive data to derive an automatic domain from.
    case noPositiveData(axis: String)
    /// The canvas is too small to hold a plot area after margins.
    case canvasTooSmall(width: Double, height: Double)

    public var description: String {
        switch self {
        case let .nonPositiveLogDomain(axis, lo, hi):
            return "\(axis) axis: a log scale needs a positive domain, got \(lo)…\(hi)"
        case let .invalidDomain(axis, lo, hi):
            return "\(axis) axis: invalid domain \(lo)…\(hi) (bounds must be finite, lower ≤ upper)"
        case let .noPositiveData(axis):
            return "\(axis) axis: log scale, but no positive data to derive a domain from; give an explicit domain"
        case let .canvasTooSmall(w, h):
            return "chart size \(w)×\(h) pt leaves no room for a plot area"
        }
    }
}
