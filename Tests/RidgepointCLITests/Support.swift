import Foundation
import TestSupport

/// End-to-end tests run the built `ridgepoint` binary, one file per subcommand
/// (`<Subcommand>CommandTests.swift`), plus files for what every subcommand shares: errors and
/// exit codes, reliability (kills, locks, full disks) and reproducibility.
typealias Run = ChildProcess.Result

let packageRoot = Ridgepoint.packageRoot

func binary() -> URL { Ridgepoint.binary }

/// Runs the binary in `cwd` (the package root by default, so `examples/…` paths resolve).
func ridgepoint(_ args: [String], cwd: URL = packageRoot, env: [String: String] = [:], executable: URL? = nil) throws -> Run {
    try Ridgepoint.run(args, cwd: cwd, environment: env, executable: executable)
}

func tempDir() -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("ridgepoint-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}
