import Foundation

/// The one way tests run a child process: the built `ridgepoint` binary or a system tool
/// (poppler-utils, qpdf, librsvg2-bin, python3). Both output pipes are drained at the same time,
/// so a child that writes much to either cannot block.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// False when the child was ended by a signal (a trap or a kill).
        public var exited: Bool
    }

    /// Where the child's standard output goes.
    public enum Output: Sendable {
        case capture
        case discard
        /// Written into this file or device (e.g. /dev/full).
        case file(String)
    }

    /// Runs `executable` with `arguments` and waits for it.
    public static func run(_ executable: URL, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
                           stdout: Output = .capture) throws -> Result {
        let p = try launch(executable, arguments, cwd: cwd, environment: environment, stdout: stdout, stderr: .capture)
        let out = p.standardOutput as? Pipe, err = p.standardError as? Pipe
        // Read both pipes concurrently: a child blocked on a full stderr pipe would never close stdout.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err?.fileHandleForReading.readDataToEndOfFile() ?? Data() }
        let outData = out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), exited: p.terminationReason == .exit)
    }

    /// Starts `executable` without waiting: for tests that act on a running child (a held lock,
    /// a reader that closes early). `.capture` streams are pipes the caller reads.
    public static func launch(_ executable: URL, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
                              stdout: Output = .capture, stderr: Output = .capture) throws -> Process {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        func handle(_ o: Output) -> Any {
            switch o {
            case .capture: return Pipe()
            case .discard: return FileHandle.nullDevice
            case .file(let path): return FileHandle(forWritingAtPath: path) ?? FileHandle.nullDevice
            }
        }
        p.standardOutput = handle(stdout)
        p.standardError = handle(stderr)
        try p.run()
        return p
    }
}

/// Command-line tools the tests use to check output (poppler-utils, qpdf, librsvg2-bin, python3).
public enum Tool {
    public static func path(_ name: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for d in dirs {
            let p = "\(d)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    public static func available(_ names: String...) -> Bool { names.allSatisfy { path($0) != nil } }

    public typealias Result = ChildProcess.Result

    /// Runs `name` with `arguments`; nil when the tool is not installed.
    public static func run(_ name: String, _ arguments: [String]) throws -> Result? {
        guard let exe = path(name) else { return nil }
        return try ChildProcess.run(URL(fileURLWithPath: exe), arguments)
    }

    /// The exit status of `name`, or 127 (as a shell says) when it is not installed.
    @discardableResult
    public static func status(_ name: String, _ arguments: [String]) throws -> Int32 {
        try run(name, arguments)?.status ?? 127
    }

    /// Standard output of `name`, empty when it is not installed.
    public static func output(_ name: String, _ arguments: [String]) throws -> String {
        try run(name, arguments)?.stdout ?? ""
    }
}

/// The built `ridgepoint` executable next to the test bundle, and a runner for it.
public enum Ridgepoint {
    /// The package's root folder (where Package.swift is).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The test bundle sits next to the products (…/.build/debug/RidgepointPackageTests.xctest).
    public static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ridgepoint").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("ridgepoint")
    }

    /// Runs the binary (or `executable`, e.g. a copy of it) in `cwd`, by default the package root.
    public static func run(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:], executable: URL? = nil,
                           stdout: ChildProcess.Output = .capture) throws -> ChildProcess.Result {
        try ChildProcess.run(executable ?? binary, args, cwd: cwd ?? packageRoot, environment: environment, stdout: stdout)
    }
}

/// A fresh temporary directory for one test.
public func makeTempDir(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("ridgepoint-tests-\(getpid())-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `bytes` to `dir/name` and returns the path.
public func write(_ bytes: [UInt8], to dir: URL, _ name: String) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}
