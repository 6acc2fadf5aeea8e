import Foundation

/// Runs `work` for 0..<count on every core and returns the results in index order (nil results
/// dropped): deterministic output from independent, parallel work.
func parallelMap<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T?) -> [T] {
    let slots = ParallelSlots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, work(i)) }
    return slots.values.compactMap { $0 }
}

/// Result slots written by concurrent workers, one per index.
final class ParallelSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ v: T?) { lock.lock(); values[i] = v; lock.unlock() }
}
