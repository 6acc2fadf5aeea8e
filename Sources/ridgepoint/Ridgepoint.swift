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
        subcommands: [Render.self, Eval.self, ChartCommand.self, CalibrateCommand.self, CatalogCommand.self, ExercisesCommand.self, TemplatesCommand.self,
                      InitCommand.self, SchemaCommand.self, ManualCommand.self],
        defaultSubcommand: Render.self)

    /// A closed pipe or a full disk on stdout must become an error message, not a signal: with
    /// SIGPIPE ignored, writes fail with EPIPE and `emitBytes` reports it.
    ///
    /// Exit codes: 0 success, 1 bad input or a failure (the message says which), 2 a usage error
    /// (an unknown option or subcommand, a missing or malformed argument).
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        let args = Array(CommandLine.arguments.dropFirst())
        // Completion callbacks from the generated shell scripts take the parser's own path.
        if args.first == "---completion" { Self.main(args); return }
        if let problem = unknownHelpTopic(args) {
            writeStderr(problem + "\n")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(args)
            try command.run()
            Foundation.exit(0)
        } catch {
            finish(with: error)
        }
    }

    /// Prints what `error` asks for and exits with Ridgepoint's code for it.
    static func finish(with error: Error) -> Never {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            // Help, --version and completion scripts: a failing stdout (a full disk) is an error too.
            do { if !message.isEmpty { try emit(message + "\n") } } catch {
                writeStderr("\(error)\n")
                Foundation.exit(1)
            }
            Foundation.exit(0)
        }
        if !message.isEmpty { writeStderr(message + "\n") }
        Foundation.exit(code == .validationFailure || code.rawValue == 2 ? 2 : 1)
    }

    /// Every subcommand's name (a command without an explicit name is called by its type's name).
    static var subcommandNames: [String] {
        configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
    }

    /// `ridgepoint help TOPIC` for a topic that is no subcommand: the argument parser would print
    /// the general help and succeed.
    static func unknownHelpTopic(_ args: [String]) -> String? {
        guard args.count >= 2, args[0] == "help" else { return nil }
        let names = subcommandNames + ["help"]
        guard !names.contains(args[1]) else { return nil }
        return Messages.unknownHelpTopic(args[1], topics: names)
    }
}

/// A first argument that is no spec file but looks like a subcommand or a catalog listing
/// (`ridgepoint gpus`): the hint to give instead of "no such spec file".
func subcommandHint(for word: String) -> String? {
    guard !word.contains("/"), !word.hasSuffix(".yaml"), !word.hasSuffix(".yml"), !FileManager.default.fileExists(atPath: word) else { return nil }
    let lower = word.lowercased()
    if ["gpus", "gpu", "models", "model", "list"].contains(lower) {
        let kind = lower.hasPrefix("gpu") ? "gpus" : (lower == "list" ? "gpus" : "models")
        return "did you mean `ridgepoint catalog \(kind)`?"
    }
    let names = Ridgepoint.subcommandNames
    return Suggest.nearest(lower, in: names).map { "did you mean `ridgepoint \($0)`?" }
}

enum RidgepointVersion { static let string = "0.1.0" }

/// Runs `body`, turning Ridgepoint's input errors into a message on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    defer { for w in Warnings.drain() { writeStderr("warning: \(w)\n") } }
    do {
        return try body()
    } catch let e as RidgepointError {
        writeStderr(e.description + "\n")
        throw ExitCode(1)
    } catch let u as UsageFailure {
        writeStderr(u.error.description + "\n")
        throw ExitCode(2)
    }
}

/// A usage error in Ridgepoint's own words (exit code 2), e.g. a mistyped subcommand.
struct UsageFailure: Error { var error: RidgepointError }

/// Writes to stderr, ignoring failures (a closed or full stderr must not stop the run).
func writeStderr(_ s: String) {
    var s = s
    s.withUTF8 { u in
        guard var p = u.baseAddress else { return }
        var left = u.count
        while left > 0 {
            let n = Foundation.write(2, p, left)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            p += n; left -= n
        }
    }
}

/// Writes text to stdout without buffering surprises.
func emit(_ s: String) throws {
    var s = s
    try s.withUTF8 { try emitBytes(UnsafeRawBufferPointer($0)) }
}

/// Writes bytes to stdout with POSIX `write`, retrying short writes; a failure (a closed pipe, a
/// full disk) becomes an error instead of a trap.
func emitBytes(_ bytes: UnsafeRawBufferPointer) throws {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
        let n = Foundation.write(1, p, left)
        if n < 0 {
            if errno == EINTR { continue }
            throw Messages.cannotWriteStandardOutput(Messages.osError)
        }
        p += n; left -= n
    }
}
func progress(_ s: String, quiet: Bool) { if !quiet { writeStderr(s + "\n") } }

/// One warning line per model whose maximum context the spec's contexts or workloads exceed.
func warnBeyondMaxContext(_ spec: Spec) {
    for w in Sweep(spec: spec).contextWarnings {
        writeStderr("warning: \(w.model.id) supports \(w.max) tokens of context; rows up to \(w.asked) tokens are evaluated and flagged beyond_max_context=true\n")
    }
}
