import ArgumentParser
import Foundation
import RidgepointCore
import RidgepointFormatting

/// `ridgepoint calibrate FILE...`: fits each GPU's efficiency factors to measured points and
/// says how well they fit (and how well they predict a point left out).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the efficiency model (compute, memory, per-step overhead) of each GPU to measured points.",
        discussion: """
            FILE is Ridgepoint's measurement CSV (header: \(MeasurementReader.requiredColumns.joined(separator: ","))) or the JSON \
            `vllm bench serve --save-result` writes (give --gpu and --gpus for those). Use the factors with \
            `--measurements FILE --efficiency fitted` on eval, chart and render, or `efficiency: fitted` with `measurements:` in a spec.
            """)

    @Argument(help: "Measurement files: CSV, or vLLM result JSON.", completion: .file(extensions: ["csv", "json"]))
    var files: [String] = []
    @Option(help: "The GPU that ran the vLLM result files.", completion: Completions.gpus)
    var gpu: String?
    @Option(help: "GPUs per replica in the vLLM runs (default 1).")
    var gpus: Int?
    @Option(help: "table, json or csv.")
    var format: String = "table"
    @Option(help: "A spec whose custom GPUs/models, precisions and convention the fit uses.")
    var spec: String?

    func run() throws {
        try reportingErrors {
            guard ["table", "json", "csv"].contains(format.lowercased()) else {
                throw Messages.unknown("format", format, field: "--format", among: ["table", "json", "csv"])
            }
            guard !files.isEmpty else { throw Messages.missing("measurement file", field: "FILE", help: "e.g. ridgepoint calibrate runs.csv") }
            if let gpus, !(1...4096).contains(gpus) { throw Messages.expected("1…4096 GPUs", got: "\(gpus)", field: "--gpus") }
            let catalog = try Catalog.builtIn()
            var base = try spec.map { try Spec.load(path: $0, catalog: catalog) } ?? Spec(catalog: catalog)
            base.efficiency = .calibrated
            let points = try files.flatMap { try MeasurementReader.load($0, catalog: base.catalog, gpu: gpu, gpus: gpus) }
            let fits = Calibration.fitAll(points, spec: base, perEngine: true)
            switch format.lowercased() {
            case "json": try emit(CalibrationReport.json(fits))
            case "csv": try emit(CalibrationReport.csv(fits))
            default: try emit(CalibrationReport.table(fits))
            }
        }
    }
}
