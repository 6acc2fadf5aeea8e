import ArgumentParser
import Foundation
import RidgepointCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the matrix (GPUs × models × batch sizes × contexts) and print the numbers.",
        discussion: "Lists are comma-separated; flags override the spec. The CSV header's first 21 columns are a stable contract.")

    @OptionGroup var matrix: MatrixOptions
    @Option(help: "table, csv, json or md.")
    var format: String = "table"

    func run() throws {
        try reportingErrors {
            let spec = try matrix.resolve()
            guard let f = EvalFormat(rawValue: format.lowercased()) else {
                throw RidgepointError(field: "--format", message: "unknown format '\(format)'",
                                      help: Suggest.help(format, in: EvalFormat.allCases.map(\.rawValue)) ?? "use table, csv, json or md")
            }
            let sweep = Sweep(spec: spec)
            switch f {
            case .csv: EvalWriter.writeCSV(sweep) { emit($0) }
            case .json: emit(EvalWriter.json(sweep))
            case .table: emit(EvalWriter.table(sweep))
            case .md: emit(EvalWriter.markdown(sweep))
            }
        }
    }
}
