import Foundation
import Testing
import TestSupport

/// `ridgepoint chart` on the built binary: every format, splitting, errors, determinism.
@Suite struct ChartCommandTests {
    static let one = ["--gpu", "h100-sxm,h200", "--model", "llama-3.1-70b", "--context", "4096"]

    @Test func listNamesEveryChartType() throws {
        let r = try ridgepoint(["chart", "--list"])
        #expect(r.status == 0)
        let names = r.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(names == ["roofline", "cost-hyperbola", "throughput", "latency-throughput", "kv-cache", "ridge-generations",
                          "concurrency", "tokens-per-dollar", "parity", "tornado", "serving-modes", "disaggregation"])
    }

    /// The extension of -o picks the format; each file is valid for its checker and the same
    /// bytes on a second run.
    @Test func everyFormatIsValidAndStable() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        for ext in ["svg", "png", "pdf"] {
            let file = dir.appendingPathComponent("roofline.\(ext)").path
            let r = try ridgepoint(["chart", "roofline"] + Self.one + ["-o", file])
            #expect(r.status == 0 && r.stderr.isEmpty, "\(ext): \(r.stderr)")
            let first = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(try ridgepoint(["chart", "roofline"] + Self.one + ["-o", file]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == first, "\(ext) differs between two runs")
            switch ext {
            case "svg":
                #expect(String(decoding: first, as: UTF8.self).contains("<svg"))
                if Tool.available("rsvg-convert") { #expect(try Tool.status("rsvg-convert", [file, "-o", file + ".png"]) == 0) }
            case "png": #expect(Array(first.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            default:
                #expect(first.prefix(5) == Data("%PDF-".utf8))
                if Tool.available("qpdf") { #expect(try Tool.status("qpdf", ["--check", file]) == 0) }
            }
        }
    }

    /// A roofline shows at most 4 GPUs and 1 model: the default spec (6 GPUs × 3 models) becomes
    /// six numbered files, each named on stderr, none dropped.
    @Test func crowdedSelectionsAreSplitIntoNumberedFiles() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.svg").path
        let r = try ridgepoint(["chart", "roofline", "-o", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("wrote 6 charts"))
        for name in ["r.svg", "r-2.svg", "r-6.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
            #expect(r.stderr.contains(name))
        }
    }

    @Test func badTypeAndExtensionAreExplained() throws {
        let typo = try ridgepoint(["chart", "roofine", "-o", "/tmp/never.svg"])
        #expect(typo.status == 1 && typo.stderr == "error: TYPE: unknown chart type 'roofine'\n  help: did you mean 'roofline'?\n")
        let gif = try ridgepoint(["chart", "roofline", "-o", "/tmp/never.gif"])
        #expect(gif.status == 1 && gif.stderr.contains("unknown file extension '.gif'") && gif.stderr.contains("use .svg, .png or .pdf"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.gif"))
    }
}
