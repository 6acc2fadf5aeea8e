import Canvas
import Testing
@testable import ChartEngine
import RidgepointFormatting

@Suite struct FormatTests {
    @Test func siPrefixes() {
        let f = TickFormat.si()
        #expect(f.label(1e12) == "1 T")
        #expect(f.label(1e11) == "100 G")
        #expect(f.label(2500) == "2.5 k")
        #expect(f.label(0.5) == "500 m")
        #expect(f.label(1e-6) == "1 \u{00B5}")
        #expect(f.label(3e-9) == "3 n")
        #expect(f.label(1e-12) == "1 p")
        #expect(f.label(1) == "1")
        #expect(f.label(0) == "0")
        #expect(f.label(-2500) == "\u{2212}2.5 k")
        #expect(f.label(999.7) == "1 k")
        #expect(f.label(1234567) == "1.23 M")
    }
    @Test func siWithUnit() {
        let f = TickFormat.si(unit: "FLOP/s")
        #expect(f.label(1e12) == "1 TFLOP/s")
        #expect(f.label(1) == "1 FLOP/s")
        #expect(f.label(3.35e12) == "3.35 TFLOP/s")
        #expect(TickFormat.si(unit: "B/s").label(3.35e12) == "3.35 TB/s")
    }
    @Test func unitsAreEscaped() {
        #expect(TickFormat.si(unit: "<x>").label(1000) == "1 k&lt;x&gt;")
    }
    @Test func scientific() {
        #expect(TickFormat.scientific().label(1e12) == "1e12")
        #expect(TickFormat.scientific().label(2.5e-3) == "2.5e-3")
        #expect(TickFormat.scientific().label(-4e6) == "-4e6")
        #expect(TickFormat.scientific(superscript: true).label(1e12) == "10" + Markup.sup("12"))
        #expect(TickFormat.scientific(superscript: true).label(1e-3) == "10" + Markup.sup("\u{2212}3"))
        #expect(TickFormat.scientific(superscript: true).label(2.5e6) == "2.5\u{00D7}10" + Markup.sup("6"))
    }
    @Test func plainSharesDecimals() {
        #expect(TickFormat.plain.labels([0, 0.5, 1]) == ["0.0", "0.5", "1.0"])
        #expect(TickFormat.plain.labels([0, 20, 40]) == ["0", "20", "40"])
        #expect(TickFormat.plain.labels([0.1 * 3]) == ["0.3"])
        #expect(TickFormat.plain.labels([-40, -20, 0]) == ["\u{2212}40", "\u{2212}20", "0"])
    }
    @Test func neverMinusZero() {
        #expect(Fmt.signedFixed(-0.0001, decimals: 2) == "0.00")
        #expect(TickFormat.plain.label(-0.0) == "0")
    }
    @Test func fixedPercentCurrency() {
        #expect(TickFormat.fixed(digits: 2).label(1.5) == "1.50")
        #expect(TickFormat.percent().label(0.25) == "25%")
        #expect(TickFormat.percent().labels([0, 0.125]) == ["0.0%", "12.5%"])
        #expect(TickFormat.percent(digits: 1).label(0.5) == "50.0%")
        #expect(TickFormat.currency().label(0.12) == "$0.12")
        #expect(TickFormat.currency().labels([1, 2]) == ["$1", "$2"])
        #expect(TickFormat.currency().labels([0.5, 1]) == ["$0.50", "$1.00"])
        #expect(TickFormat.currency().label(-3) == "\u{2212}$3")
        #expect(TickFormat.currency(symbol: "€", digits: 3).label(0.0125) == "€0.013")
    }
    @Test func autoChoosesPlainOrSI() {
        #expect(TickFormat.auto.labels([0, 50, 100]) == ["0", "50", "100"])
        #expect(TickFormat.auto.labels([0, 5e5, 1e6]) == ["0", "500 k", "1 M"])
        #expect(TickFormat.auto.labels([0.01, 0.1, 1, 10], scale: .log) == ["0.01", "0.1", "1", "10"])
    }
}
