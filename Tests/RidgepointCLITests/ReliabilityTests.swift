import Foundation
import Testing
import TestSupport

/// What a nightly job relies on: a killed run never leaves a folder that a rerun calls
/// "unchanged" while it mixes two specs; the manifest cannot make Ridgepoint delete what it did
/// not produce; two runs cannot share a folder; write errors end in messages, not traps.
/// No test here depends on timing: kills happen at a counted step (RIDGEPOINT_TEST_KILL_AFTER),
/// the lock test waits on a handshake file (RIDGEPOINT_TEST_HOLD_LOCK).
@Suite(.serialized) struct ReliabilityTests {
    static let specA = """
    title: Spec A
    formats: [pdf, pages, svg, png, csv, json, md]
    gpus: [h100-sxm, a100-80gb]
    models: [llama-3-8b]
    batch_sizes: [1, 8, 64]
    contexts: [1024, 8192]
    """
    /// Another template, other GPUs and contexts and a price: most files differ from spec A's.
    static let specB = """
    title: Spec B
    template: wiki
    formats: [pdf, pages, svg, png, csv, json, md]
    gpus: [h100-sxm, h200]
    models: [llama-3-8b]
    batch_sizes: [1, 16, 64]
    contexts: [2048]
    prices: {h200: 7.5}
    """

    /// Every regular file under `dir` except Ridgepoint's own state, by relative path.
    static func files(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir.path)
        while let f = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = dir.appendingPathComponent(f).path
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue, !f.hasPrefix(".ridgepoint/") {
                out[f] = FileManager.default.contents(atPath: p)
            }
        }
        return out
    }

    static func differences(_ a: [String: Data], _ b: [String: Data]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
    }

    func write(_ text: String, _ dir: URL, _ name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func copyTree(_ from: URL, _ to: URL) throws {
        try? FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: from, to: to)
    }

    /// Kill -9 at many moments of a run of spec B into a folder holding spec A's output; each
    /// time a rerun of B equals a clean run of B byte for byte, and a rerun of A equals a clean
    /// run of A (the folder never keeps a mix of the two while reporting "unchanged").
    @Test func killedAtAnyStepThenRerunEqualsACleanRun() throws {
        let dir = tempDir()
        let a = try write(Self.specA, dir, "a.yaml"), b = try write(Self.specB, dir, "b.yaml")
        let cleanA = dir.appendingPathComponent("clean-a"), cleanB = dir.appendingPathComponent("clean-b")
        #expect(try ridgepoint(["render", a, "-o", cleanA.path, "--quiet"]).status == 0)
        #expect(try ridgepoint(["render", b, "-o", cleanB.path, "--quiet"]).status == 0)
        let filesA = Self.files(cleanA), filesB = Self.files(cleanB)
        #expect(filesA.count > 30 && filesB.count > 15)

        let work = dir.appendingPathComponent("work")
        var killedRuns = 0
        var step = 1
        while step < 400 {
            try copyTree(cleanA, work)
            let killed = try ridgepoint(["render", b, "-o", work.path, "--quiet"], env: ["RIDGEPOINT_TEST_KILL_AFTER": "\(step)"])
            if killed.status == 0 { break }  // the run had fewer steps: every moment was covered
            killedRuns += 1
            // Whatever the moment, every file in the folder is complete.
            for (name, data) in Self.files(work) where !(name as NSString).lastPathComponent.hasPrefix(".") {
                #expect(data == filesA[name] || data == filesB[name], "step \(step): \(name) is neither A's nor B's")
            }
            // Rerunning the killed spec finishes the job.
            let saved = dir.appendingPathComponent("saved")
            try copyTree(work, saved)
            let rerunB = try ridgepoint(["render", b, "-o", work.path, "--quiet"])
            #expect(rerunB.status == 0, "step \(step): \(rerunB.stderr)")
            #expect(Self.differences(Self.files(work), filesB).isEmpty, "step \(step): rerun of B differs from a clean run: \(Self.differences(Self.files(work), filesB))")
            // Going back to the earlier spec instead restores it exactly.
            let rerunA = try ridgepoint(["render", a, "-o", saved.path, "--quiet"])
            #expect(rerunA.status == 0, "step \(step): \(rerunA.stderr)")
            #expect(!rerunA.stderr.contains("unchanged") || Self.files(saved) == filesA)
            #expect(Self.differences(Self.files(saved), filesA).isEmpty, "step \(step): rerun of A differs from a clean run: \(Self.differences(Self.files(saved), filesA))")
            step += step < 8 ? 1 : step / 3
        }
        #expect(killedRuns >= 10, "only \(killedRuns) kill points")
        #expect(step < 400, "the run never finished under the kill hook")
    }

    @Test func missingTruncatedOrEditedOutputsAreMadeAgain() throws {
        let dir = tempDir()
        let a = try write(Self.specA, dir, "a.yaml")
        let out = dir.appendingPathComponent("out")
        #expect(try ridgepoint(["render", a, "-o", out.path, "--quiet"]).status == 0)
        let clean = Self.files(out)
        let fm = FileManager.default
        try fm.removeItem(at: out.appendingPathComponent("matrix.csv"))
        try Data().write(to: out.appendingPathComponent("report.pdf"))
        let svg = clean.keys.sorted().first { $0.hasPrefix("charts/") && $0.hasSuffix(".svg") }!
        try Data("<svg/>".utf8).write(to: out.appendingPathComponent(svg))
        let pageFile = out.appendingPathComponent("pages/report-002.svg")
        let h = try FileHandle(forWritingTo: pageFile)
        try h.truncate(atOffset: 100); try h.close()
        let r = try ridgepoint(["render", a, "-o", out.path])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("wrote nothing"))
        #expect(Self.differences(Self.files(out), clean).isEmpty)
        // And now there is nothing left to do, not even the manifest is rewritten.
        let manifest = out.appendingPathComponent(".ridgepoint/manifest.tsv")
        let before = try fm.attributesOfItem(atPath: manifest.path)[.modificationDate] as? Date
        let again = try ridgepoint(["render", a, "-o", out.path])
        #expect(again.stderr.contains("wrote nothing (unchanged)"))
        #expect(try fm.attributesOfItem(atPath: manifest.path)[.modificationDate] as? Date == before)
    }

    /// A hand-edited manifest that names folders, files Ridgepoint never writes, paths outside
    /// the folder and its own state makes the clean-up delete none of them.
    @Test func aCorruptedManifestCannotDeleteWhatRidgepointDidNotProduce() throws {
        let dir = tempDir()
        let a = try write(Self.specA, dir, "a.yaml")
        let out = dir.appendingPathComponent("out")
        #expect(try ridgepoint(["render", a, "-o", out.path, "--quiet"]).status == 0)
        let fm = FileManager.default
        try fm.createDirectory(at: out.appendingPathComponent("charts/keep-me"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: out.appendingPathComponent("charts/keep-me/notes.txt"))
        try Data("mine".utf8).write(to: out.appendingPathComponent("README.txt"))
        try Data("outside".utf8).write(to: dir.appendingPathComponent("outside.svg"))
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("charts/link.svg").path, withDestinationPath: dir.appendingPathComponent("outside.svg").path)
        let fp = String(repeating: "a", count: 16)
        let lines = ["charts", "charts/keep-me", "charts/keep-me/notes.txt", "README.txt", "../outside.svg", "/etc/passwd",
                     "charts/link.svg", ".ridgepoint/lock", ".ridgepoint", "pages", "a.yaml", "charts/../../outside.svg"]
            .map { "\($0)\t\(fp)\t4\t0\t\(fp)" }
        try ("# corrupted\n" + lines.joined(separator: "\n") + "\nnot a line at all\n\u{0}\u{1}\n")
            .write(to: out.appendingPathComponent(".ridgepoint/manifest.tsv"), atomically: true, encoding: .utf8)
        let r = try ridgepoint(["render", a, "-o", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for kept in ["charts/keep-me/notes.txt", "README.txt", "charts/link.svg"] {
            #expect(fm.fileExists(atPath: out.appendingPathComponent(kept).path), "\(kept) was deleted")
        }
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("outside.svg").path))
        #expect(fm.fileExists(atPath: "/etc/passwd"))
        // The outputs themselves were all made again (the manifest vouched for none of them).
        var produced = Self.files(out)
        for extra in ["charts/keep-me/notes.txt", "README.txt", "charts/link.svg"] { produced[extra] = nil }
        let clean = dir.appendingPathComponent("clean")
        #expect(try ridgepoint(["render", a, "-o", clean.path, "--quiet"]).status == 0)
        #expect(Self.differences(produced, Self.files(clean)).isEmpty)
    }

    /// The second run is refused while the first holds the lock; the first is held at the
    /// moment it took the lock by a handshake file, so there is no race to win.
    @Test func aSecondRunIntoTheSameFolderIsRefused() throws {
        let dir = tempDir()
        let a = try write(Self.specA, dir, "a.yaml")
        let out = dir.appendingPathComponent("out")
        let hold = dir.appendingPathComponent("hold").path
        let first = try ChildProcess.launch(binary(), ["render", a, "-o", out.path, "--quiet"],
                                            environment: ["RIDGEPOINT_TEST_HOLD_LOCK": hold], stdout: .discard, stderr: .discard)
        // Wait (on the handshake, not on a clock) until the first run holds the lock.
        while !FileManager.default.fileExists(atPath: hold) && first.isRunning { usleep(5_000) }
        #expect(FileManager.default.fileExists(atPath: hold), "the first run ended without taking the lock")
        let second = try ridgepoint(["render", a, "-o", out.path, "--quiet"])
        #expect(second.status == 1)
        #expect(second.stderr == "\(out.path): error: another ridgepoint run is writing to this folder\n  help: wait for it to finish, or choose another folder with -o\n")
        try FileManager.default.removeItem(atPath: hold)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        // Once the lock is free, a run goes through.
        #expect(try ridgepoint(["render", a, "-o", out.path, "--quiet"]).status == 0)
    }

    /// A temporary file of a live run in a nested output folder is not another run's litter.
    @Test func liveTemporaryFilesOfAnotherRunAreLeftAlone() throws {
        let dir = tempDir()
        let a = try write(Self.specA, dir, "a.yaml")
        let out = dir.appendingPathComponent("out")
        let fm = FileManager.default
        try fm.createDirectory(at: out.appendingPathComponent("nested/charts"), withIntermediateDirectories: true)
        try fm.createDirectory(at: out.appendingPathComponent("nested/.ridgepoint"), withIntermediateDirectories: true)
        try fm.createDirectory(at: out.appendingPathComponent("charts"), withIntermediateDirectories: true)
        let live = getpid()  // this test process is alive
        let nestedTemp = out.appendingPathComponent("nested/charts/.x.svg.tmp-\(live)")
        let ownLive = out.appendingPathComponent("charts/.y.svg.tmp-\(live)")
        let dead = out.appendingPathComponent("charts/.z.svg.tmp-999999999")
        for f in [nestedTemp, ownLive, dead] { try Data("partial".utf8).write(to: f) }
        #expect(try ridgepoint(["render", a, "-o", out.path, "--quiet"]).status == 0)
        #expect(fm.fileExists(atPath: nestedTemp.path))
        #expect(fm.fileExists(atPath: ownLive.path))
        #expect(!fm.fileExists(atPath: dead.path))
    }

    /// Disk full or a closed pipe on stdout is a message and exit 1, never a trap.
    @Test func stdoutWriteErrorsAreMessages() throws {
        let full = try Ridgepoint.run(["eval", "--gpu", "h100-sxm", "--model", "llama-3-8b"], stdout: .file("/dev/full"))
        #expect(full.exited && full.status == 1)
        #expect(full.stderr.contains("error: cannot write to standard output"), "\(full.stderr)")

        // A reader that goes away after the first bytes (like `| head -c 1`).
        let p = try ChildProcess.launch(binary(), ["eval", "--gpu", "h100-sxm,h200,a100-80gb", "--model", "llama-3-8b,llama-3-70b",
                                                   "--batch", "1,2,4,8,16,32,64,128", "--context", "512,1024,2048,4096,8192"])
        guard let out = p.standardOutput as? Pipe, let e2 = p.standardError as? Pipe else { Issue.record("no pipes"); return }
        _ = out.fileHandleForReading.readData(ofLength: 1)
        try out.fileHandleForReading.close()
        let m2 = String(decoding: e2.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit, "killed by a signal: \(m2)")
        #expect(p.terminationStatus == 0 || p.terminationStatus == 1)
        if p.terminationStatus == 1 { #expect(m2.contains("cannot write to standard output")) }

        // Progress on a broken stderr is ignored: the run succeeds.
        let outDir = tempDir().appendingPathComponent("out")
        let q = try ChildProcess.launch(binary(), ["render", "examples/custom-hardware.yaml", "-o", outDir.path, "--format", "csv"],
                                        cwd: packageRoot, stdout: .discard, stderr: .file("/dev/full"))
        q.waitUntilExit()
        #expect(q.terminationReason == .exit && q.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: outDir.appendingPathComponent("matrix.csv").path))
    }

    /// A spec far too large is refused from its size, before a byte of it is read.
    @Test func aHugeSpecIsRefusedBeforeReading() throws {
        let dir = tempDir()
        let path = dir.appendingPathComponent("huge.yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let h = try #require(FileHandle(forWritingAtPath: path))
        try h.truncate(atOffset: 3 << 30)  // sparse: 3 GB that take no disk
        try h.close()
        let r = try ridgepoint(["eval", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path): error:") && r.stderr.contains("too large"), "\(r.stderr)")
        let fifo = dir.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let f = try ridgepoint(["eval", fifo])
        #expect(f.status == 1 && f.stderr.contains("not a regular file"), "\(f.stderr)")
    }
}
