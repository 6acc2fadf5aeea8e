import Foundation
import Testing

/// `ridgepoint catalog` on the built binary.
@Suite struct CatalogCommandTests {
    @Test func catalogListsWithSources() throws {
        let g = try ridgepoint(["catalog", "gpus", "--format", "csv"])
        #expect(g.status == 0)
        #expect(g.stdout.split(separator: "\n").count == 18)   // header + 17 GPUs
        for id in ["b300", "gb300", "h20", "mi325x", "mi355x"] { #expect(g.stdout.contains("\n\(id),"), "\(id)") }
        #expect(g.stdout.contains("h100-sxm") && g.stdout.contains("datasheet"))
        let m = try ridgepoint(["catalog", "models"])
        #expect(m.status == 0 && m.stdout.contains("deepseek-v3") && m.stdout.contains("MLA"))
    }
}
