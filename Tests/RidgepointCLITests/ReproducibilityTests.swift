import Foundation
import Testing

/// Same inputs, same bytes: whatever the spelling of the spec path, the working folder, the
/// locale, the time zone, the user's fontconfig or the thread count. And a copy of the
/// executable alone works anywhere.
@Suite(.serialized) struct ReproducibilityTests {
    /// A spec with a custom GPU and a price override, whose notes once carried the spec path.
    static let spec = """
    title: Reproducibility check
    formats: [pdf, pages, svg, png, csv, json, md]
    gpus:
      - h100-sxm
      - {id: lab-card, memory_gb: 48, bandwidth_tbs: 1.2, bf16_tflops: 300, usd_per_hour: 0.9}
    models: [llama-3-8b]
    batch_sizes: [1, 8, 64]
    contexts: [2048]
    prices: {h100-sxm: 2.75}
    """

    func outputs(_ dir: URL) -> [String: Data] { ReliabilityTests.files(dir) }

    /// Renders with `args` in `cwd` and `env`, into a fresh folder; returns the files.
    func renderFiles(_ specPath: String, cwd: URL, env: [String: String] = [:], extra: [String] = [], executable: URL? = nil) throws -> [String: Data] {
        let out = tempDir().appendingPathComponent("out")
        let r = try ridgepoint(["render", specPath, "-o", out.path, "--quiet"] + extra, cwd: cwd, env: env, executable: executable)
        #expect(r.status == 0, "\(r.stderr)")
        return outputs(out)
    }

    @Test func noEnvironmentDetailChangesAByte() throws {
        let dir = tempDir()
        let specs = dir.appendingPathComponent("specs")
        try FileManager.default.createDirectory(at: specs, withIntermediateDirectories: true)
        let file = specs.appendingPathComponent("repro.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let reference = try renderFiles(file.path, cwd: dir)
        #expect(reference.count > 20)
        let text = String(decoding: reference["index.md"] ?? Data(), as: UTF8.self)
        #expect(text.contains("repro.yaml") && !text.contains(dir.path) && !text.contains("specs/repro.yaml"))

        // A user fontconfig that would substitute another font for DejaVu, through every route.
        let home = dir.appendingPathComponent("home")
        let fcDir = home.appendingPathComponent(".config/fontconfig")
        try FileManager.default.createDirectory(at: fcDir, withIntermediateDirectories: true)
        let hostile = """
        <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig><match target="pattern"><edit name="family" mode="prepend" binding="strong"><string>DejaVu Serif</string></edit></match>
        <match target="pattern"><edit name="pixelsize" mode="assign"><double>30</double></edit></match></fontconfig>
        """
        try hostile.write(to: fcDir.appendingPathComponent("fonts.conf"), atomically: true, encoding: .utf8)
        try hostile.write(to: dir.appendingPathComponent("hostile.conf"), atomically: true, encoding: .utf8)

        let variants: [(String, String, URL, [String: String], [String])] = [
            ("relative path from its folder", "repro.yaml", specs, [:], []),
            ("relative path with ..", "../specs/repro.yaml", dir.appendingPathComponent("specs"), [:], []),
            ("another working folder", file.path, FileManager.default.temporaryDirectory, [:], []),
            ("Arabic locale", file.path, dir, ["LANG": "ar_EG.UTF-8", "LC_ALL": "ar_EG.UTF-8", "LANGUAGE": "ar"], []),
            ("German locale", file.path, dir, ["LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"], []),
            ("time zone", file.path, dir, ["TZ": "Pacific/Kiritimati"], []),
            ("user fonts.conf", file.path, dir, ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path], []),
            ("FONTCONFIG_FILE", file.path, dir, ["FONTCONFIG_FILE": dir.appendingPathComponent("hostile.conf").path,
                                                 "FONTCONFIG_PATH": dir.path], []),
            ("one thread", file.path, dir, [:], ["--jobs", "1"]),
            ("many threads", file.path, dir, [:], ["--jobs", "7"]),
        ]
        for (what, path, cwd, env, extra) in variants {
            let files = try renderFiles(path, cwd: cwd, env: env, extra: extra)
            let diff = ReliabilityTests.differences(files, reference)
            #expect(diff.isEmpty, "\(what) changed \(diff.prefix(5))")
        }
    }

    /// The executable copied alone into an empty folder renders the default report, lists its
    /// catalog, exports a template; and an upgraded executable re-renders what it made before.
    @Test func aCopyOfTheExecutableAloneWorksAnywhere() throws {
        let dir = tempDir()
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let copy = bin.appendingPathComponent("ridgepoint")
        try FileManager.default.copyItem(at: binary(), to: copy)
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let catalog = try ridgepoint(["catalog", "gpus"], cwd: work, executable: copy)
        #expect(catalog.status == 0 && catalog.stdout.contains("h100-sxm"), "\(catalog.stderr)")
        let export = try ridgepoint(["templates", "export", "wiki", "my-wiki"], cwd: work, executable: copy)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("my-wiki/report.mustache").path))
        let again = try ridgepoint(["templates", "export", "wiki", "my-wiki"], cwd: work, executable: copy)
        #expect(again.status == 1 && again.stderr.contains("not overwriting"))

        try ReproducibilityTests.spec.write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let r = try ridgepoint(["render", "s.yaml", "-o", "out", "--template", "my-wiki"], cwd: work, executable: copy)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/index.md").path))
        let unchanged = try ridgepoint(["render", "s.yaml", "-o", "out", "--template", "my-wiki"], cwd: work, executable: copy)
        #expect(unchanged.stderr.contains("wrote nothing (unchanged)"))

        // An upgrade (here: the same program with other bytes) makes every output again.
        var bytes = try Data(contentsOf: copy)
        bytes.append(contentsOf: Array("upgrade".utf8))
        let upgraded = bin.appendingPathComponent("ridgepoint-2")
        try bytes.write(to: upgraded)
        chmod(upgraded.path, 0o755)
        let after = try ridgepoint(["render", "s.yaml", "-o", "out", "--template", "my-wiki"], cwd: work, executable: upgraded)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains(" 0 unchanged") && after.stderr.contains("made again with identical bytes"), "\(after.stderr)")

        // The default run of the copied binary.
        let d = try ridgepoint(["--quiet"], cwd: work, executable: copy)
        #expect(d.status == 0, "\(d.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("output/report.pdf").path))
    }

    /// Template errors are messages with file and line, and create no output folder.
    @Test func hostileTemplatesAreRefusedBeforeAnythingIsCreated() throws {
        let dir = tempDir()
        try ReproducibilityTests.spec.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        func check(_ name: String, _ files: [String: String], expect needle: String, setup: ((URL) throws -> Void)? = nil) throws {
            let t = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: t, withIntermediateDirectories: true)
            for (f, text) in files { try text.write(to: t.appendingPathComponent(f), atomically: true, encoding: .utf8) }
            try setup?(t)
            let out = dir.appendingPathComponent("out-\(name)")
            let r = try ridgepoint(["render", "s.yaml", "-o", out.path, "--template", t.path], cwd: dir)
            #expect(r.status == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(name) created the output folder")
        }
        try check("self", ["report.mustache": "# T\n\n{{> loop}}\n", "loop.mustache": "x\n{{> loop}}\n"],
                  expect: "loop.mustache:2: error: partial 'loop' includes itself")
        try check("pair", ["report.mustache": "# T\n{{> a}}\n", "a.mustache": "{{> b}}\n", "b.mustache": "\n\n{{> a}}\n"],
                  expect: "includes itself")
        let deep = String(repeating: "{{#models}}", count: 200) + String(repeating: "{{/models}}", count: 200)
        try check("deep", ["report.mustache": "# T\n" + deep + "\n"], expect: "report.mustache:2: error: sections and partials nest more than")
        try check("dynamic", ["report.mustache": "# T\n{{>*name}}\n"], expect: "report.mustache:2")
        try check("outside", ["report.mustache": "# T\n{{> secret}}\n"], expect: "leads outside the template folder") { t in
            try "secret\n".write(to: dir.appendingPathComponent("secret.mustache"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(at: t.appendingPathComponent("secret.mustache"), withDestinationURL: dir.appendingPathComponent("secret.mustache"))
        }
        try check("directive", ["report.mustache": "# T\n\n::: chart rooflin\n"], expect: "report.mustache:3: error: ::: chart rooflin: unknown chart type")
    }

    /// A template that prints a mapping gets the same text every run (keys sorted).
    @Test func printingAMappingIsDeterministic() throws {
        let dir = tempDir()
        try ReproducibilityTests.spec.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let t = dir.appendingPathComponent("t")
        try FileManager.default.createDirectory(at: t, withIntermediateDirectories: true)
        try "# Dump\n\n{{#models}}{{.}}{{/models}}\n\n{{#gpus}}{{.}}{{/gpus}}\n".write(to: t.appendingPathComponent("report.mustache"), atomically: true, encoding: .utf8)
        var outputs: [Data] = []
        for i in 0..<4 {
            let out = dir.appendingPathComponent("out\(i)")
            let r = try ridgepoint(["render", "s.yaml", "-o", out.path, "--template", t.path, "--format", "md"], cwd: dir)
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append((try? Data(contentsOf: out.appendingPathComponent("index.md"))) ?? Data())
        }
        #expect(Set(outputs).count == 1)
        let md = String(decoding: outputs[0], as: UTF8.self)
        #expect(md.contains("id: llama-3-8b") || md.contains("\"id\""), "\(md.prefix(400))")
    }
}
