import Canvas
import Testing
@testable import ChartEngine

@Suite struct LinearScaleTests {
    @Test func mapsAndInverts() {
        let s = LinearScale(domain: 0...10, range: 100...300)
        #expect(s(0) == 100)
        #expect(s(10) == 300)
        #expect(s(5) == 200)
        #expect(s.invert(250) == 7.5)
    }
    @Test func invertedYRange() {
        let y = LinearScale(domain: 0...100, range: 40...240, inverted: true)
        #expect(y(0) == 240)
        #expect(y(100) == 40)
        #expect(y.invert(140) == 50)
    }
    @Test func negativeDomain() {
        let s = LinearScale(domain: -100 ... -20, range: 0...80)
        #expect(s(-100) == 0)
        #expect(s(-60) == 40)
        #expect(s.invert(80) == -20)
    }
    @Test func zeroWidthDomainIsWidened() {
        #expect(LinearScale(domain: 5...5, range: 0...1).domain == 4.5...5.5)
        #expect(LinearScale(domain: 0...0, range: 0...1).domain == -1...1)
        let s = LinearScale(domain: 3...3, range: 0...100)
        #expect(s(3) == 50)
    }
    @Test func nicedExtendsToTickSteps() {
        #expect(LinearScale(domain: 0.3...9.7, range: 0...1).niced(targetTickCount: 6).domain == 0...10)
        #expect(LinearScale(domain: -93 ... -12, range: 0...1).niced(targetTickCount: 5).domain == -100 ... 0)
    }
}

@Suite struct LogScaleTests {
    @Test func decadesAreEvenlySpaced() throws {
        let s = try LogScale(domain: 1...1000, range: 0...300)
        #expect(abs(s(10) - 100) < 1e-9)
        #expect(abs(s(100) - 200) < 1e-9)
        #expect(abs(s.invert(200) - 100) < 1e-9)
        #expect(abs(s.decades - 3) < 1e-12)
    }
    @Test func invertedY() throws {
        let s = try LogScale(domain: 1e12...1e15, range: 10...310, inverted: true)
        #expect(s(1e12) == 310)
        #expect(s(1e15) == 10)
        #expect(abs(s.invert(110) - 1e14) / 1e14 < 1e-12)
    }
    @Test func rejectsNonPositiveDomain() {
        #expect(throws: ChartError.nonPositiveLogDomain(axis: "x", lower: 0, upper: 10)) {
            try LogScale(domain: 0...10, range: 0...1, axis: "x")
        }
        #expect(throws: ChartError.self) { try LogScale(domain: -5...10, range: 0...1) }
    }
    @Test func nonPositiveValuesMapToNaN() throws {
        let s = try LogScale(domain: 1...10, range: 0...1)
        #expect(s(0).isNaN)
        #expect(s(-1).isNaN)
        #expect(!AxisScale.log(s).accepts(0))
    }
    @Test func zeroWidthDomainIsOneDecade() throws {
        let s = try LogScale(domain: 100...100, range: 0...1)
        #expect(abs(s.decades - 1) < 1e-12)
        #expect(abs(s(100) - 0.5) < 1e-12)
    }
    @Test func nicedToWholeDecades() throws {
        #expect(try LogScale(domain: 3...700, range: 0...1).niced().domain == 1...1000)
        #expect(try LogScale(domain: 1e12...1e15, range: 0...1).niced().domain == 1e12...1e15)
        #expect(try LogScale(domain: 2e-12...8e-10, range: 0...1).niced().domain == 1e-12...1e-9)
    }
    @Test func snapOutwardTo125() {
        #expect(LogTickLocator.snapOutward(7.6e11...1.3e15) == 5e11...2e15)
        #expect(LogTickLocator.snapOutward(1...10) == 1...10)
    }
}
