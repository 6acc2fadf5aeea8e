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
        subcommands: [Render.self, Eval.self, ChartCommand.self, CalibrateCommand.self, CatalogCommand.self, ExercisesCommand.self, TemplatesCommand.self],
        defaultSubcommand: Render.self)

    /// A closed pipe or a full disk on stdout must become an error message, not a signal: with
    /// SIGPIPE ignored, writes fail with EPIPE and `emitBytes` reports it.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        Self.main(nil)
    }
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
    }
}

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
            throw RidgepointError(message: "cannot write to standard output: \(String(cString: strerror(errno)))")
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
