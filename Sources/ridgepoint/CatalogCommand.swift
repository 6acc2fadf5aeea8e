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
                throw RidgepointError(field: "--format", message: "unknown format '\(format)'", help: "use table, csv, json or md")
            }
            switch kind.lowercased() {
            case "gpus": try emit(CatalogListing.gpus(catalog, format: f))
            case "models": try emit(CatalogListing.models(catalog, format: f))
            default:
                throw RidgepointError(field: "kind", message: "unknown catalog '\(kind)'",
                                      help: Suggest.help(kind, in: ["gpus", "models"]) ?? "use gpus or models")
            }
        }
    }
}
