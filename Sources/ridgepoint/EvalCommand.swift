import ArgumentParser
import Foundation
import RidgepointCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the matrix (GPUs × models × batch sizes × contexts) and print the numbers.",
        discussion: "Lists are comma-separated; flags override the spec. The CSV header's first 21 columns are a stable contract.")

    @OptionGroup var matrix: MatrixOptions
    @Option(help: "table, csv, json or md.", completion: .list(["table", "csv", "json", "md"]))
    var format: String = "table"
    @Flag(help: "List the columns (name, unit, meaning) instead of evaluating.")
    var columns = false

    func run() throws {
        try reportingErrors {
            guard let f = EvalFormat(rawValue: format.lowercased()) else {
                throw Messages.unknown("format", format, field: "--format", among: EvalFormat.allCases.map(\.rawValue))
            }
            if columns { try emit(EvalWriter.columnsTable(format: f)); return }
            let spec = try matrix.resolve()
            let sweep = Sweep(spec: spec)
            warnBeyondMaxContext(spec)
            switch f {
            case .csv: try EvalWriter.writeCSVBytes(sweep, to: emitBytes)
            case .json: try EvalWriter.writeJSONBytes(sweep, to: emitBytes)
            case .table: try emit(EvalWriter.table(sweep))
            case .md: try emit(EvalWriter.markdown(sweep))
            }
        }
    }
}
