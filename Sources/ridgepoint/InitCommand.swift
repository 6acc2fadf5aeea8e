import ArgumentParser
import Foundation
import RidgepointCore
import RidgepointOutput
import RidgepointResources

/// `ridgepoint init [FILE]`: writes a commented starter spec that evaluates as written.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter spec (ridgepoint.yaml by default) that evaluates as written.")

    @Argument(help: "The spec file to write.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String = "ridgepoint.yaml"
    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    func run() throws {
        try reportingErrors {
            guard let text = EmbeddedResources.text("specs/starter.yaml") else {
                throw Messages.missingResource("the starter spec")
            }
            if FileManager.default.fileExists(atPath: file) && !force {
                throw Messages.alreadyExists(file)
            }
            // The starter must parse with this catalog: a stale resource fails here, not at the user's next step.
            _ = try Spec.parse(text, file: file, catalog: Catalog.builtIn())
            try OutputDirectory.writeAtomically(Data(text.replacingOccurrences(of: "THIS_FILE", with: file).utf8), to: file)
            writeStderr("wrote \(file); next: ridgepoint eval \(file)\n")
        }
    }
}
