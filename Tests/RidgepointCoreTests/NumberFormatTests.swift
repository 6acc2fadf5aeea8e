import Testing
import RidgepointFormatting

/// `Fmt` is the one number formatter: every style below is built from its primitives.
@Suite struct NumberFormatTests {
    @Test func primitives() {
        #expect(Fmt.rounded(2.345, decimals: 2) == 2.35)
        #expect(Fmt.rounded(-2.5, decimals: 0) == -3)
        #expect(Fmt.rounded(1234, decimals: -2) == 1200)
        #expect(Fmt.trimmingZeros("2.500") == "2.5")
        #expect(Fmt.trimmingZeros("3.0") == "3")
        #expect(Fmt.trimmingZeros("300") == "300")
        #expect(Fmt.groupingDigits("1234567.5") == "1,234,567.5")
        #expect(Fmt.groupingDigits("999") == "999")
        #expect(Fmt.superscript(-12) == "⁻¹²")
        #expect(Decimal10.exponent(999.9999999999999) == 2)
        #expect(Decimal10.exponent(1000) == 3)
        #expect(Decimal10.exponent(0.001) == -3)
    }

    /// Typeset numbers round half away from zero at the decimal digit, as a reader does by hand:
    /// 0.78 × 2.25 PFLOP/s = 1.755 PFLOP/s prints "1.76" (the binary value is just below the tie).
    @Test func typesetNumbersRoundTiesAwayFromZero() {
        #expect(Fmt.si(0.78 * 2.25e15, "FLOP/s") == "1.76 PFLOP/s")
        #expect(Fmt.decimal(0.125, sig: 2) == "0.13")
        #expect(Fmt.sigGrouped(2.5, 1) == "3")
        // Machine formats keep printf's %g of the binary value.
        #expect(Fmt.g(0.78 * 2.25e15 / 1e15, 3) == "1.75")
    }

    @Test func decimalStyles() {
        #expect(Fmt.decimal(295.33, sig: 4) == "295.3")
        #expect(Fmt.decimal(123456, sig: 4) == "123,456")
        #expect(Fmt.decimal(123456, sig: 4, keepWholeDigits: false) == "123,500")
        #expect(Fmt.decimal(-0.000846, sig: 3) == "\u{2212}0.000846")
        #expect(Fmt.decimal(-0.0001, sig: 1, keepWholeDigits: true, trim: true, group: false, minus: "-") == "-0.0001")
        #expect(Fmt.decimal(9.9996, sig: 4) == "10")
        #expect(Fmt.decimal(2.5, sig: 4, trim: false) == "2.500")
        #expect(Fmt.scientificParts(2.035e8, sig: 4) == ("2.035", 8))
        #expect(Fmt.scientificParts(9.9996e7, sig: 4) == ("1", 8))
        #expect(Fmt.scientificParts(-1.2e-7, sig: 3) == ("\u{2212}1.2", -7))
    }

    @Test func siPrefixesCarry() {
        #expect(Fmt.si(3.35e12, "B/s") == "3.35 TB/s")
        #expect(Fmt.si(999.7, "B") == "1 kB")
        #expect(Fmt.si(999.7, "B", sig: 4) == "999.7 B")
        #expect(Fmt.si(0, "B") == "0 B")
        #expect(Fmt.si(-2.5e-6, "s") == "-2.5 \u{00B5}s")
        #expect(Fmt.siParts(1e-13, sig: 3, minus: "-") == ("100", "f"))
        #expect(Fmt.siParts(2.5e3, sig: 3, minus: "-") == ("2.5", "k"))
    }

    @Test func styles() {
        #expect(Fmt.sigGrouped(11856.3, 3) == "11,900")
        #expect(Fmt.sigGrouped(1234.5, 6) == "1,235")
        #expect(Fmt.sigGrouped(-0.01612, 3) == "-0.0161")
        #expect(Fmt.number(10000) == "10,000")
        #expect(Fmt.number(2.5) == "2.5")
        #expect(Fmt.duration(0.0042) == "4.2 ms")
        #expect(Fmt.duration(1003) == "1,000 s")
        #expect(Fmt.money(0.0000064) == "0.00000640")
        #expect(Fmt.money(1234.5) == "1,234.50")
        #expect(Fmt.usd3(24090) == "24,100")
        #expect(Fmt.percent(0.123) == "12\u{00A0}%")
        #expect(Fmt.grouped(-819200) == "-819,200")
        #expect(Fmt.grouped(Int.min) == "-9,223,372,036,854,775,808")
        #expect(Fmt.signedFixed(-0.0001, decimals: 2) == "0.00")
        #expect(Fmt.signedFixed(-1.5, decimals: 1) == "\u{2212}1.5")
        #expect(Fmt.sharedDecimals([0.5, 1, 1.25]) == 2)
    }

    /// Values beyond Int's range used to trap when grouped (`Int(r.rounded())`).
    @Test func hugeValuesDoNotTrap() {
        #expect(Fmt.sigGrouped(1e20, 3) == "100,000,000,000,000,000,000")
        #expect(Fmt.usd3(-3.3e19) == "-33,000,000,000,000,000,000")
        #expect(Fmt.number(1e300).hasPrefix("1,000,000,000,000,000,0"))
        #expect(Fmt.decimal(.nan, sig: 3) == "nan")
    }
}
