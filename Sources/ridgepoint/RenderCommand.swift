import ArgumentParser
import Foundation
import RidgepointCore

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a spec into an output folder (the default command).",
        discussion: "Writes the evaluated matrix as CSV, JSON and Markdown; with no spec, renders the embedded default spec into output/.")

    @Argument(help: "A spec file (YAML). Without one, the embedded default spec is used.")
    var spec: String?
    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "output"
    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    func run() throws {
        try reportingErrors {
            let catalog = try Catalog.builtIn()
            let spec = try spec.map { try Spec.load(path: $0, catalog: catalog) } ?? Spec.defaultSpec(catalog: catalog)
            let sweep = Sweep(spec: spec)
            let out = try OutputDirectory(path: output)
            progress("ridgepoint: \(spec.cellCount) cells from \(spec.file)", quiet: quiet)
            var written: [String] = []
            if spec.formats.contains("csv") { if try out.write("matrix.csv", EvalWriter.csv(sweep)) { written.append("matrix.csv") } }
            if spec.formats.contains("json") { if try out.write("matrix.json", EvalWriter.json(sweep)) { written.append("matrix.json") } }
            if spec.formats.contains("md") { if try out.write("matrix.md", EvalWriter.markdown(sweep)) { written.append("matrix.md") } }
            progress("ridgepoint: wrote \(written.isEmpty ? "nothing (unchanged)" : written.joined(separator: ", ")) in \(output)/", quiet: quiet)
            if !quiet { emit(EvalWriter.table(Sweep(spec: summarySpec(spec)))) }
        }
    }

    /// The console summary: decode at the middle context, one replica size.
    func summarySpec(_ s: Spec) -> Spec {
        var t = s
        t.phases = [.decode]
        t.contexts = [s.contexts[s.contexts.count / 2]]
        t.gpusPerReplica = [s.gpusPerReplica.last ?? 1]
        return t
    }
}
