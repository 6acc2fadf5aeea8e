import Foundation
import Testing
@testable import Reports
@testable import RidgepointCore

/// The procurement report answers the buyer's questions, and says "robust" only when it is.
@Suite struct DecisionReportTests {
    static func twinsSpec(buyRent: Double) throws -> Spec {
        try Spec.parse("""
        title: Twins
        gpus:
          - {id: rent-me, base: h100-sxm, name: Rental Special H100 Cluster Node, usd_per_hour: 1.0, capex_usd: 200000}
          - {id: buy-me, base: h100-sxm, name: Buy Me, usd_per_hour: \(buyRent), capex_usd: 10000}
        models: [llama-3-8b]
        gpus_per_replica: [1]
        workloads: [{name: chat, input_tokens: 1000, output_tokens: 250, slo: {ttft_ms: 1000, tpot_ms: 50}, requests_per_s: 1}]
        efficiency: calibrated
        """, file: "twins.yaml", catalog: catalog)
    }

    static func text(_ spec: Spec) throws -> String {
        try ReportBuilder(spec: spec, template: try TemplateSet.load("procurement", relativeTo: nil), version: "test").build().templateText
    }

    @Test func aFlipWithinRangeIsNeverCalledRobust() throws {
        let text = try Self.text(try Self.twinsSpec(buyRent: 1.1))
        #expect(!text.contains("Robust result"))
        #expect(text.contains("Not robust: the Rental Special H100… price at") && text.contains("1.20/h makes the Buy Me cheapest"), "\(text.prefix(3000))")
    }

    @Test func aWideLeadIsRobustAndTheDecisionIsComplete() throws {
        let text = try Self.text(try Self.twinsSpec(buyRent: 3.0))
        #expect(text.contains("Robust result: no input varied by ±20 % changes the winner"))
        // Rent one, own the other; one request/s needs one replica; names, never ids.
        #expect(text.contains("rent **Rental Special H100…**") && text.contains("To own: **Buy Me** (not the Rental Special H100…)"))
        #expect(text.contains("The stated 1 request/s with 20 % headroom need 1 replica (1 GPU,"))
        #expect(text.contains("$730 a month"))
        #expect(!text.contains("rent-me") && !text.contains("buy-me"))
        #expect(text.contains("::: table decision") && text.contains("::: table sensitivity") && text.contains("::: chart tornado"))
    }

    @Test func unitsStayWithTheirNumbers() {
        #expect(Typography.bindUnits("TTFT 48.1 ms, 3 GPUs, 20 % and 1 request/s") == "TTFT 48.1\u{00A0}ms, 3\u{00A0}GPUs, 20\u{00A0}% and 1\u{00A0}request/s")
        #expect(Typography.bindUnits("3 B200 and 4 hours") == "3 B200 and 4 hours")
    }

    @Test func longCustomNamesAreShortenedNotReplacedByIds() throws {
        let spec = try Self.twinsSpec(buyRent: 3.0)
        #expect(spec.gpus[0].shortName == "Rental Special H100…")
        #expect(spec.gpus[1].shortName == "Buy Me")
    }
}
