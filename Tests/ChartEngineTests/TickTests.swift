import Canvas
import Testing
@testable import ChartEngine

@Suite struct LinearTickTests {
    func values(_ d: ClosedRange<Double>, _ n: Int = 5) -> [Double] { LinearTickLocator(targetCount: n).ticks(in: d).map(\.value) }

    @Test func unitInterval() { #expect(values(0...1, 6) == [0, 0.2, 0.4, 0.6, 0.8, 1]) }
    @Test func decimalsAreExact() {
        // 3 × 0.1 must be 0.3, not 0.30000000000000004.
        #expect(values(0...1, 11).contains(0.3))
        #expect(values(0...1, 11).contains(0.7))
    }
    @Test func negativeRange() { #expect(values(-100 ... -20) == [-100, -80, -60, -40, -20]) }
    @Test func straddlingZero() { #expect(values(-1...1, 5) == [-1, -0.5, 0, 0.5, 1]) }
    @Test func tinyValues() {
        let v = values(1e-12...1e-9, 6)
        #expect(v.count >= 4 && v.count <= 8)
        #expect(v.allSatisfy { $0 >= 1e-12 && $0 <= 1e-9 })
        #expect(v.last == 1e-9)
        #expect(TickFormat.si().labels(v).last == "1 n")
    }
    @Test func hugeValues() {
        let v = values(1e15...1e18, 5)
        #expect(v == [0, 2e17, 4e17, 6e17, 8e17, 1e18].filter { $0 >= 1e15 })
        #expect(TickFormat.si().labels(v) == ["200 P", "400 P", "600 P", "800 P", "1 E"])
    }
    @Test func zeroWidthDomainStillHasTicks() {
        let v = values(5...5)
        #expect(v.count >= 2)
        #expect(v.contains(5))
    }
    @Test func stepIsClosestToTarget() {
        #expect(LinearTickLocator.step(for: 0...100, targetCount: 6) == NiceStep(mantissa: 2, exponent: 1))
        #expect(LinearTickLocator.step(for: 0...100, targetCount: 11) == NiceStep(mantissa: 1, exponent: 1))
        #expect(LinearTickLocator.step(for: 0...100, targetCount: 3) == NiceStep(mantissa: 5, exponent: 1))
    }
}

@Suite struct LogTickTests {
    let locator = LogTickLocator()
    func majors(_ d: ClosedRange<Double>) -> [Double] { locator.ticks(in: d).filter(\.isMajor).map(\.value) }
    func minors(_ d: ClosedRange<Double>) -> [Double] { locator.ticks(in: d).filter { !$0.isMajor }.map(\.value) }

    @Test func oneMajorPerDecadeWithSILabels() {
        let m = majors(1e12...1e15)
        #expect(m == [1e12, 1e13, 1e14, 1e15])
        #expect(TickFormat.si().labels(m, scale: .log) == ["1 T", "10 T", "100 T", "1 P"])
        #expect(TickFormat.si(unit: "FLOP/s").labels(m, scale: .log) == ["1 TFLOP/s", "10 TFLOP/s", "100 TFLOP/s", "1 PFLOP/s"])
    }
    @Test func minorTicksTwoToNine() {
        let mi = minors(1e12...1e15)
        #expect(mi.count == 24)
        #expect(mi.first == 2e12)
        #expect(mi.last == 9e14)
    }
    @Test func noMinorsBeyondSixDecades() {
        #expect(minors(1...1e7).isEmpty)
        #expect(!minors(1...1e6).isEmpty)
    }
    @Test func twelveDecadesAreStrided() {
        let m = majors(1e-3...1e9)
        #expect(m.count >= 2 && m.count <= 8)
        #expect(m == [1e-2, 1, 1e2, 1e4, 1e6, 1e8])
        // Skipped decades stay as (unlabelled) minor ticks; no 2…9 minors.
        #expect(minors(1e-3...1e9) == [1e-3, 1e-1, 10, 1e3, 1e5, 1e7, 1e9])
    }
    @Test func insideOneDecadeFallsBackToMantissas() {
        let t = locator.ticks(in: 2...8)
        let m = t.filter(\.isMajor).map(\.value)
        #expect(m.count >= 2)
        #expect(m == [2, 3, 4, 5, 6, 7, 8])
        #expect(TickFormat.auto.labels(m, scale: .log) == ["2", "3", "4", "5", "6", "7", "8"])
    }
    @Test func straddlingOnePowerUses125() {
        #expect(majors(5...50) == [5, 10, 20, 50])
        #expect(minors(5...50) == [6, 7, 8, 9, 30, 40])
    }
    @Test func narrowRangeFallsBackToLinear() {
        let m = majors(2.1...2.9)
        #expect(m.count >= 2)
        #expect(m.allSatisfy { $0 >= 2.1 && $0 <= 2.9 })
    }
    @Test func tinyDecades() {
        let m = majors(1e-12...1e-9)
        #expect(m == [1e-12, 1e-11, 1e-10, 1e-9])
        #expect(TickFormat.si().labels(m, scale: .log) == ["1 p", "10 p", "100 p", "1 n"])
        #expect(TickFormat.auto.labels(m, scale: .log) == ["1 p", "10 p", "100 p", "1 n"])
    }
    @Test func hugeDecades() {
        let m = majors(1e15...1e18)
        #expect(TickFormat.si().labels(m, scale: .log) == ["1 P", "10 P", "100 P", "1 E"])
        #expect(TickFormat.scientific().labels(m) == ["1e15", "1e16", "1e17", "1e18"])
    }
    @Test func edgesSlightlyOffDecadeStillIncluded() {
        // Padding arithmetic can leave 1e12 as 0.99999999999e12.
        #expect(majors(1e12 * (1 - 1e-12)...1e15 * (1 + 1e-12)) == [1e12, 1e13, 1e14, 1e15])
    }
}
