import Foundation

/// Command-line tools the tests use to check output (poppler-utils, qpdf, librsvg2-bin).
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

    public struct Result: Sendable { public var status: Int32; public var stdout: String; public var stderr: String }

    /// Runs `name` with `arguments`; nil when the tool is not installed.
    public static func run(_ name: String, _ arguments: [String]) throws -> Result? {
        guard let exe = path(name) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
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
