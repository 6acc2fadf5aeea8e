import ArgumentParser
import Foundation
import RidgepointCore

@main
struct Ridgepoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ridgepoint",
        abstract: "LLM inference-hardware economics: rooflines, KV cache and cost per token, from a spec to tables, charts and reports.",
        discussion: "With no arguments, renders the embedded default spec into output/.",
        version: RidgepointVersion.string,
        subcommands: [Render.self, Eval.self, ChartCommand.self, CatalogCommand.self, ExercisesCommand.self],
        defaultSubcommand: Render.self)
}

enum RidgepointVersion { static let string = "0.1.0" }

/// Runs `body`, turning Ridgepoint's input errors into a message on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as RidgepointError {
        FileHandle.standardError.write(Data((e.description + "\n").utf8))
        throw ExitCode(1)
    }
}

/// Writes text to stdout without buffering surprises.
func emit(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }
func progress(_ s: String, quiet: Bool) { if !quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) } }
