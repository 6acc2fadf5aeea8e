import Foundation

/// An output folder that writes files atomically (temporary file + rename), skips files
/// whose bytes are unchanged, and refuses names that would escape the folder.
public struct OutputDirectory: Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if !isDir.boolValue { throw RidgepointError(file: path, message: "the output path exists and is not a folder") }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw RidgepointError(file: path, message: "cannot create the output folder: \(error.localizedDescription)")
            }
        }
    }

    /// Checks a relative file name: components of letters, digits, `.`, `_`, `-`, `+`, no `..`.
    public static func checkName(_ name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        for p in parts {
            if let problem = SafeName.problem(String(p)) {
                throw RidgepointError(file: name, message: "refusing to write an output file with this name: \(problem)")
            }
        }
    }

    /// Writes `text` to `name` unless the file already holds exactly these bytes; returns
    /// whether the file was (re)written.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> Bool { try write(name, Data(text.utf8)) }

    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> Bool {
        try OutputDirectory.checkName(name)
        let target = path + "/" + name
        let dir = (target as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        if let existing = FileManager.default.contents(atPath: target), existing == data { return false }
        let tmp = dir + "/." + (target as NSString).lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw RidgepointError(file: target, message: "cannot write the file (permissions or disk space?)")
        }
        if rename(tmp, target) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw RidgepointError(file: target, message: "cannot move the new file into place: \(err)")
        }
        return true
    }
}
