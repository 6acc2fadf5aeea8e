import Foundation
import Testing

/// A run killed with SIGKILL at any moment leaves every file of the previous output complete,
/// and the next run finishes the job; two runs into one folder cannot interleave.
@Suite(.serialized) struct AtomicityTests {
    static let spec = """
    title: Atomicity check
    formats: [pdf, svg, png, csv, json, md]
    gpus: [h100-sxm, h200, a100-80gb]
    models: [llama-3-8b, mistral-7b]
    batch_sizes: [1, 8, 64]
    contexts: [1024, 8192]
    gpus_per_replica: [1, 2]
    slo: {tpot_ms: 40, ttft_ms: 1500}
    """

    func files(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir.path)
        while let f = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = dir.appendingPathComponent(f).path
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue, !f.hasPrefix(".ridgepoint/lock") {
                out[f] = FileManager.default.contents(atPath: p)
            }
        }
        return out
    }

    func complete(_ name: String, _ d: Data) -> Bool {
        if name.hasSuffix(".pdf") { return d.starts(with: Array("%PDF".utf8)) && String(decoding: d.suffix(32), as: UTF8.self).contains("%%EOF") }
        if name.hasSuffix(".png") { return d.starts(with: [0x89, 0x50, 0x4E, 0x47]) && Data(d.suffix(12)).range(of: Data("IEND".utf8)) != nil }
        if name.hasSuffix(".svg") { return String(decoding: d.suffix(16), as: UTF8.self).contains("</svg>") }
        return !d.isEmpty
    }

    @Test func killedRunsLeaveCompleteFiles() throws {
        let dir = tempDir()
        let specFile = dir.appendingPathComponent("spec.yaml")
        try AtomicityTests.spec.write(to: specFile, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        #expect(try ridgepoint(["render", specFile.path, "-o", out.path, "--quiet"]).status == 0)
        let before = files(out)
        #expect(before.count > 20)
        // Change a price so that a rerun rewrites the cost charts and the report, then kill it.
        try (AtomicityTests.spec + "\nprices: {h200: 7.5}\n").write(to: specFile, atomically: true, encoding: .utf8)
        for delay in [0.05, 0.15, 0.3, 0.6] {
            let p = Process()
            p.executableURL = binary()
            p.arguments = ["render", specFile.path, "-o", out.path, "--quiet"]
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            for (name, data) in files(out) where !(name as NSString).lastPathComponent.hasPrefix(".") {
                #expect(complete(name, data), "\(name) is incomplete after a kill at \(delay) s")
            }
            // Every file the manifest on disk lists exists (old or new content, always complete).
            let manifest = (try? String(contentsOf: out.appendingPathComponent(".ridgepoint/manifest.tsv"), encoding: .utf8)) ?? ""
            for line in manifest.split(separator: "\n") {
                let name = String(line.split(separator: "\t")[0])
                guard name != "pages" else { continue }
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) listed but missing after a kill at \(delay) s")
            }
        }
        // The next run completes, cleans up temporary files, and the PDF is valid.
        let final = try ridgepoint(["render", specFile.path, "-o", out.path, "--quiet"])
        #expect(final.status == 0, "final run failed: \(final.stderr)")
        #expect(!files(out).keys.contains { ($0 as NSString).lastPathComponent.contains(".tmp-") })
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env"); check.arguments = ["qpdf", "--check", out.appendingPathComponent("report.pdf").path]
        check.standardOutput = FileHandle.nullDevice; check.standardError = FileHandle.nullDevice
        try check.run(); check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    @Test func concurrentRunIsRefusedWithAMessage() throws {
        let dir = tempDir()
        let specFile = dir.appendingPathComponent("spec.yaml")
        try AtomicityTests.spec.write(to: specFile, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let message = "\(out.path): error: another ridgepoint run is writing to this folder\n  help: wait for it to finish, or choose another folder with -o\n"
        // Start a long run, then keep trying a second one until one of them is refused.
        let first = Process()
        first.executableURL = binary()
        first.arguments = ["render", specFile.path, "-o", out.path, "--quiet"]
        let err = Pipe()
        first.standardOutput = FileHandle.nullDevice; first.standardError = err
        try first.run()
        var refused = false
        for _ in 0..<200 where first.isRunning {
            let second = try ridgepoint(["render", specFile.path, "-o", out.path, "--quiet"])
            if second.status != 0 { #expect(second.stderr == message); refused = true; break }
        }
        let firstErr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.waitUntilExit()
        // Whichever run lost the race was refused with the message; the other finished.
        if first.terminationStatus != 0 { #expect(firstErr == message) } else { #expect(refused || firstErr.isEmpty) }
    }
}
