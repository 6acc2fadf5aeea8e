import Foundation
import RidgepointCore
import RidgepointFormatting

/// What a file holds on disk, as the manifest records it: size, modification time and a content
/// fingerprint.
public struct FileStamp: Sendable, Equatable {
    public var size: Int
    /// Modification time, nanoseconds since the epoch.
    public var mtime: Int64
    /// FNV-1a of the bytes, 16 hex digits.
    public var hash: String
    public init(size: Int, mtime: Int64, hash: String) { self.size = size; self.mtime = mtime; self.hash = hash }
}

/// The files Ridgepoint writes into an output folder. Clean-up removes nothing else.
public enum OutputNames {
    public static let topLevel: Set<String> = ["report.pdf", "index.md", "matrix.csv", "matrix.json"]

    /// Whether `name` (relative to the output folder) is a file Ridgepoint produces: one of the
    /// top-level files, `charts/…/NAME.svg|png` (one to three folders deep, safe names only) or
    /// `pages/report-NNN.svg`.
    public static func isProduced(_ name: String) -> Bool {
        if topLevel.contains(name) { return true }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy({ SafeName.problem($0, maxLength: 128) == nil && !$0.hasPrefix(".") }) else {
            return false
        }
        if parts[0] == "charts" && parts.count <= 4 {
            return parts.last.map { $0.hasSuffix(".svg") || $0.hasSuffix(".png") } ?? false
        }
        if parts[0] == "pages" && parts.count == 2 { return isPage(parts[1]) }
        return false
    }

    /// `report-NNN.svg` with three to five digits.
    static func isPage(_ file: String) -> Bool {
        guard file.hasPrefix("report-"), file.hasSuffix(".svg") else { return false }
        let digits = file.dropFirst("report-".count).dropLast(".svg".count)
        return (3...5).contains(digits.count) && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }
}

/// An output folder that writes files atomically (temporary file + rename), skips files whose
/// bytes are unchanged, refuses names that would escape the folder, and removes only files
/// Ridgepoint produces.
public struct OutputDirectory: Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if !isDir.boolValue { throw Messages.notAFolder(path) }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw Messages.cannotCreateFolder(path, error.localizedDescription, output: true)
            }
        }
    }

    /// Checks a relative file name: components of letters, digits, `.`, `_`, `-`, `+`, no `..`.
    public static func checkName(_ name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        for p in parts {
            if let problem = SafeName.problem(String(p), maxLength: 128) {
                throw Messages.refusedFileName(name, problem)
            }
        }
    }

    /// The temporary name a file is written under before it is renamed into place.
    /// Writes `data` to `path` (anywhere, e.g. a command's `-o FILE`) the way every output is
    /// written: POSIX writes to a temporary file beside it, then a rename, so the file appears
    /// whole or not at all, and a full disk is an error naming the file.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        var target = path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") ? path : "./" + path
        var st = stat()
        if lstat(target, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                // Write through a link to the file it names (created if missing); the link stays.
                if let real = realpath(target, nil) {
                    target = String(cString: real); free(real)
                } else if let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: target) {
                    target = dest.hasPrefix("/") ? dest : ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
                }
                if stat(target, &st) != 0 { st = stat() }
            }
            let resolved = st.st_mode & S_IFMT
            if resolved == S_IFDIR { throw Messages.isAFolder(path) }
            if resolved != 0 && resolved != S_IFREG {
                // A device or pipe (/dev/stdout, a FIFO): write into it; renaming over it would
                // replace the device with a file.
                let fd = open(target, O_WRONLY)
                guard fd >= 0 else { throw Messages.cannotWrite(path, Messages.osError, what: "") }
                var failure: String?
                data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in failure = writeAll(fd, buf) }
                if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
                if let failure { throw Messages.cannotWrite(path, failure, what: "", diskFull: true) }
                return
            }
        }
        let tmp = temporaryName(for: target)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw Messages.cannotWrite(path, Messages.osError, help: "does the folder exist?")
        }
        var failure: String?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in failure = writeAll(fd, buf) }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(tmp)
            throw Messages.cannotWrite(path, failure, diskFull: true)
        }
        try moveIntoPlace(tmp, target)
    }

    static func temporaryName(for target: String) -> String {
        let dir = (target as NSString).deletingLastPathComponent
        return dir + "/." + (target as NSString).lastPathComponent + ".tmp-\(getpid())"
    }

    /// Writes `text` to `name` unless the file already holds exactly these bytes.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> (written: Bool, stamp: FileStamp) { try write(name, Data(text.utf8)) }

    /// Writes `data` to `name` unless the file already holds exactly these bytes; returns whether
    /// the file was (re)written and what it holds now.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> (written: Bool, stamp: FileStamp) {
        try OutputDirectory.checkName(name)
        let target = path + "/" + name
        let dir = (target as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        var hasher = Hasher64()
        data.withUnsafeBytes { hasher.combine($0) }
        if OutputDirectory.fileHolds(target, data), let st = OutputDirectory.lstatRegular(target) {
            return (false, FileStamp(size: st.size, mtime: st.mtime, hash: hasher.hex))
        }
        let tmp = OutputDirectory.temporaryName(for: target)
        TestHooks.step()
        // Plain POSIX writes: the rename below is what makes the file appear whole.
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw Messages.cannotWrite(target, Messages.osError)
        }
        var failure: String?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in failure = OutputDirectory.writeAll(fd, buf) }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(tmp)
            throw Messages.cannotWrite(target, failure, diskFull: true)
        }
        try OutputDirectory.moveIntoPlace(tmp, target)
        guard let st = OutputDirectory.lstatRegular(target) else {
            throw Messages.vanished(target)
        }
        return (true, FileStamp(size: st.size, mtime: st.mtime, hash: hasher.hex))
    }

    /// Writes a large file in chunks to a temporary file, then renames it into place unless the
    /// existing file already holds the same bytes; returns whether the file was (re)written and
    /// what it holds now.
    @discardableResult
    public func writeStreaming(_ name: String, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws
        -> (written: Bool, stamp: FileStamp)
    {
        try OutputDirectory.checkName(name)
        let target = path + "/" + name
        let tmp = OutputDirectory.temporaryName(for: target)
        TestHooks.step()
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw Messages.cannotWrite(target, Messages.osError)
        }
        var hasher = Hasher64()
        var closed = false
        do {
            try produce { chunk in
                hasher.combine(chunk)
                if let failure = OutputDirectory.writeAll(fd, chunk) {
                    throw Messages.cannotWrite(target, failure, diskFull: true)
                }
            }
            closed = true
            if close(fd) != 0 {
                throw Messages.cannotWrite(target, Messages.osError, diskFull: true)
            }
        } catch {
            if !closed { close(fd) }
            unlink(tmp)
            throw error as? RidgepointError ?? Messages.cannotWrite(target, error.localizedDescription)
        }
        var written = true
        if OutputDirectory.sameContents(tmp, target) {
            unlink(tmp)
            written = false
        } else {
            try OutputDirectory.moveIntoPlace(tmp, target)
        }
        guard let st = OutputDirectory.lstatRegular(target) else {
            throw Messages.vanished(target)
        }
        return (written, FileStamp(size: st.size, mtime: st.mtime, hash: hasher.hex))
    }

    /// Writes every byte of `buf` to `fd`; returns the error text on failure.
    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> String? {
        guard var p = buf.baseAddress else { return nil }
        var left = buf.count
        while left > 0 {
            let n = Foundation.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            if n == 0 { return "no progress writing" }
            p += n; left -= n
        }
        return nil
    }

    static func moveIntoPlace(_ tmp: String, _ target: String) throws {
        TestHooks.step()
        if rename(tmp, target) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw Messages.cannotMoveIntoPlace(target, err)
        }
    }

    /// Size and modification time of a regular file (not following links), nil otherwise.
    static func lstatRegular(_ path: String) -> (size: Int, mtime: Int64)? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    /// Whether `path` exists and holds exactly `data` (sizes are compared before contents).
    static func fileHolds(_ path: String, _ data: Data) -> Bool {
        guard let st = lstatRegular(path), st.size == data.count else { return false }
        return FileManager.default.contents(atPath: path) == data
    }

    /// The content fingerprint of a regular file, read in chunks; nil when it cannot be read.
    static func contentHash(_ path: String) -> String? {
        guard lstatRegular(path) != nil else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = Hasher64()
        let size = 1 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buf.deallocate() }
        while true {
            let n = read(fd, buf, size)
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            hasher.combine(UnsafeRawBufferPointer(start: buf, count: n))
        }
        return hasher.hex
    }

    /// Compares two files chunk by chunk.
    static func sameContents(_ a: String, _ b: String) -> Bool {
        guard let sa = lstatRegular(a), let sb = lstatRegular(b), sa.size == sb.size,
              let ha = FileHandle(forReadingAtPath: a), let hb = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? ha.close(); try? hb.close() }
        while true {
            let x = (try? ha.read(upToCount: 1 << 20)) ?? nil, y = (try? hb.read(upToCount: 1 << 20)) ?? nil
            if x != y { return false }
            if x == nil || x?.isEmpty == true { return true }
        }
    }

    /// Whether `name` on disk still holds what `stamp` records: a regular file of that size whose
    /// modification time matches, or (when the time differs, e.g. after a copy) whose content
    /// fingerprint does. Truncated, emptied, edited or missing files fail.
    public func holds(_ name: String, _ stamp: FileStamp) -> Bool {
        let target = path + "/" + name
        guard let st = OutputDirectory.lstatRegular(target), st.size == stamp.size else { return false }
        if st.mtime == stamp.mtime { return true }
        return OutputDirectory.contentHash(target) == stamp.hash
    }

    /// The current stamp of `name` (size, time and content fingerprint), nil if it is not a
    /// regular file.
    public func stamp(_ name: String) -> FileStamp? {
        let target = path + "/" + name
        guard let st = OutputDirectory.lstatRegular(target), let h = OutputDirectory.contentHash(target) else { return nil }
        return FileStamp(size: st.size, mtime: st.mtime, hash: h)
    }

    public func exists(_ name: String) -> Bool { OutputDirectory.lstatRegular(path + "/" + name) != nil }

    /// Removes a file Ridgepoint produced earlier — only a regular file whose name is one of
    /// Ridgepoint's (`OutputNames.isProduced`); never a folder, a link or its own state. Returns
    /// whether a file was removed.
    @discardableResult
    public func removeProduced(_ name: String) -> Bool {
        guard OutputNames.isProduced(name), (try? OutputDirectory.checkName(name)) != nil else { return false }
        let target = path + "/" + name
        guard OutputDirectory.lstatRegular(target) != nil else { return false }
        TestHooks.step()
        return unlink(target) == 0
    }

    /// The files of a produced-name pattern that exist under `pages/` (`report-NNN.svg`).
    public func existingPages() -> [String] {
        let dir = path + "/pages"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter(OutputNames.isPage).map { "pages/" + $0 }.filter(exists).sorted()
    }

    /// Deletes temporary files that runs killed before renaming them left behind: only names of
    /// Ridgepoint's own pattern (`.NAME.tmp-PID`) whose process is gone, only in the folders
    /// Ridgepoint writes (the root, `charts/…`, `pages/`, `.ridgepoint/`), and never inside a
    /// sub-folder that is another output folder (it has a `.ridgepoint/` of its own).
    public func removeStaleTemporaryFiles() {
        var dirs = [path, path + "/pages", path + "/.ridgepoint"]
        // charts/ and up to three levels below it.
        var frontier = [path + "/charts"]
        for _ in 0..<4 {
            var next: [String] = []
            for d in frontier where OutputDirectory.isPlainDirectory(d) && !OutputDirectory.isPlainDirectory(d + "/.ridgepoint") {
                dirs.append(d)
                for e in (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? [] where !e.hasPrefix(".") {
                    next.append(d + "/" + e)
                }
            }
            frontier = next
        }
        for d in dirs where OutputDirectory.isPlainDirectory(d) {
            for e in (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? [] {
                guard e.hasPrefix("."), let r = e.range(of: ".tmp-", options: .backwards),
                      let pid = Int32(e[r.upperBound...]) else { continue }
                if pid == getpid() { continue }
                if kill(pid, 0) == 0 || errno != ESRCH { continue }  // a live process (or one we may not signal)
                let p = d + "/" + e
                if OutputDirectory.lstatRegular(p) != nil { unlink(p) }
            }
        }
    }

    static func isPlainDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Makes the folder entries of `name`'s directory durable (after a rename).
    public func syncDirectory(of name: String) {
        let dir = ((path + "/" + name) as NSString).deletingLastPathComponent
        let fd = open(dir, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
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
            throw Messages.cannotLock(directory, Messages.osError)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd); fd = -1
            throw Messages.folderInUse(directory)
        }
        TestHooks.holdLockIfAsked()
    }

    public func release() {
        if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    deinit { release() }
}

/// Deterministic hooks for the crash and lock tests, read from the environment (never set in
/// normal use):
/// - `RIDGEPOINT_TEST_KILL_AFTER=N`: the process kills itself with SIGKILL before its N-th change
///   to the output folder (a write, rename, removal or manifest update), N ≥ 1.
/// - `RIDGEPOINT_TEST_HOLD_LOCK=FILE`: after taking the folder lock the run creates FILE and waits
///   (up to a minute) until it is deleted — a handshake for the lock test.
public enum TestHooks {
    private static let killAfter: Int? = ProcessInfo.processInfo.environment["RIDGEPOINT_TEST_KILL_AFTER"].flatMap(Int.init)
    private static let counter = Counter()

    private final class Counter: @unchecked Sendable {
        // Safety: `value` is only touched under `lock`.
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }

    /// Counts one change to the output folder; kills the process at the configured count.
    public static func step() {
        guard let n = killAfter else { return }
        if counter.next() >= n { kill(getpid(), SIGKILL) }
    }

    static func holdLockIfAsked() {
        guard let file = ProcessInfo.processInfo.environment["RIDGEPOINT_TEST_HOLD_LOCK"], !file.isEmpty else { return }
        FileManager.default.createFile(atPath: file, contents: Data("held\n".utf8))
        for _ in 0..<6000 where FileManager.default.fileExists(atPath: file) { usleep(10_000) }
    }
}
