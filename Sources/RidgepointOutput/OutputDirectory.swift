import Foundation
import RidgepointCore
import RidgepointFormatting

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
            if let problem = SafeName.problem(String(p), maxLength: 128) {
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
        if OutputDirectory.fileHolds(target, data) { return false }
        let tmp = dir + "/." + (target as NSString).lastPathComponent + ".tmp-\(getpid())"
        // Plain POSIX writes: the rename below is what makes the file appear whole. (Foundation's
        // createFile syncs every file to disk, which costs more than rendering small charts.)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw RidgepointError(file: target, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        var ok = true
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buf.count, let base = buf.baseAddress {
                let n = Foundation.write(fd, base + offset, buf.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; ok = false; return }
                offset += n
            }
        }
        if close(fd) != 0 { ok = false }
        guard ok else {
            let err = String(cString: strerror(errno)); unlink(tmp)
            throw RidgepointError(file: target, message: "cannot write the file (disk full?): \(err)")
        }
        if rename(tmp, target) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw RidgepointError(file: target, message: "cannot move the new file into place: \(err)")
        }
        return true
    }

    /// Whether `path` exists and holds exactly `data` (sizes are compared before contents).
    static func fileHolds(_ path: String, _ data: Data) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, Int(st.st_size) == data.count else { return false }
        return FileManager.default.contents(atPath: path) == data
    }
}

extension OutputDirectory {
    /// Writes a large file in chunks to a temporary file, then renames it into place unless the
    /// existing file already holds the same bytes; returns whether the file was (re)written.
    @discardableResult
    public func writeStreaming(_ name: String, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> Bool {
        try OutputDirectory.checkName(name)
        let target = path + "/" + name
        let tmp = path + "/." + (name as NSString).lastPathComponent + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw RidgepointError(file: target, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        var closed = false
        do {
            try produce { chunk in
                guard var p = chunk.baseAddress else { return }
                var left = chunk.count
                while left > 0 {
                    let n = Foundation.write(fd, p, left)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw RidgepointError(file: target, message: "cannot write the file (disk full?): \(String(cString: strerror(errno)))")
                    }
                    p += n; left -= n
                }
            }
            closed = true
            if close(fd) != 0 {
                throw RidgepointError(file: target, message: "cannot write the file (disk full?): \(String(cString: strerror(errno)))")
            }
        } catch {
            if !closed { close(fd) }
            unlink(tmp)
            throw error as? RidgepointError ?? RidgepointError(file: target, message: "cannot write the file: \(error.localizedDescription)")
        }
        if OutputDirectory.sameContents(tmp, target) { unlink(tmp); return false }
        if rename(tmp, target) != 0 {
            let err = String(cString: strerror(errno)); unlink(tmp)
            throw RidgepointError(file: target, message: "cannot move the new file into place: \(err)")
        }
        return true
    }

    /// Compares two files chunk by chunk.
    static func sameContents(_ a: String, _ b: String) -> Bool {
        guard let sa = try? FileManager.default.attributesOfItem(atPath: a)[.size] as? Int,
              let sb = try? FileManager.default.attributesOfItem(atPath: b)[.size] as? Int, sa == sb,
              let ha = FileHandle(forReadingAtPath: a), let hb = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? ha.close(); try? hb.close() }
        while true {
            let x = (try? ha.read(upToCount: 1 << 20)) ?? nil, y = (try? hb.read(upToCount: 1 << 20)) ?? nil
            if x != y { return false }
            if x == nil || x?.isEmpty == true { return true }
        }
    }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }

    /// Removes a file this tool wrote earlier; returns whether it existed.
    @discardableResult
    public func remove(_ name: String) -> Bool {
        guard (try? OutputDirectory.checkName(name)) != nil else { return false }
        return (try? FileManager.default.removeItem(atPath: path + "/" + name)) != nil
    }

    /// Deletes temporary files left by a run that was killed before renaming them into place.
    public func removeStaleTemporaryFiles() {
        guard let e = FileManager.default.enumerator(atPath: path) else { return }
        while let f = e.nextObject() as? String {
            let base = (f as NSString).lastPathComponent
            if base.hasPrefix("."), base.contains(".tmp-") { try? FileManager.default.removeItem(atPath: path + "/" + f) }
        }
    }
}

/// An exclusive lock on an output folder (`.ridgepoint/lock`, held with `flock`), so two runs
/// cannot interleave their writes. The kernel releases it if the process dies.
public final class OutputLock {
    private var fd: Int32

    public init(directory: String) throws {
        let dir = directory + "/.ridgepoint"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        fd = open(dir + "/lock", O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw RidgepointError(file: directory, message: "cannot create the lock file: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd); fd = -1
            throw RidgepointError(file: directory, message: "another ridgepoint run is writing to this folder",
                                  help: "wait for it to finish, or choose another folder with -o")
        }
    }

    public func release() {
        if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    deinit { release() }
}
