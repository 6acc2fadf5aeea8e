import ArgumentParser
import Foundation
import RidgepointCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "List the built-in GPUs or models with their sources.")

    @Argument(help: "gpus or models.", completion: .list(["gpus", "models"]))
    var kind: String
    @Option(help: "table, csv, json or md.", completion: .list(["table", "csv", "json", "md"]))
    var format: String = "table"

    func run() throws {
        try reportingErrors {
            let catalog = try Catalog.builtIn()
            guard let f = EvalFormat(rawValue: format.lowercased()) else {
                throw Messages.unknown("format", format, field: "--format", among: ["table", "csv", "json", "md"])
            }
            switch kind.lowercased() {
            case "gpus": try emit(CatalogListing.gpus(catalog, format: f))
            case "models": try emit(CatalogListing.models(catalog, format: f))
            default:
                throw Messages.unknown("catalog", kind, field: "kind", among: ["gpus", "models"])
            }
        }
    }
}
