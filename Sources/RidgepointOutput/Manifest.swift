import Foundation
import RidgepointCore
import RidgepointFormatting

/// `.ridgepoint/manifest.tsv`: for every output file, the fingerprint of the inputs it was made
/// from and what it holds on disk — or `pending` while a run is writing it.
///
/// The manifest is read as untrusted data: only names Ridgepoint produces (`OutputNames`) are
/// kept, malformed lines are ignored, and a file it lists is believed unchanged only when the
/// disk agrees (`OutputDirectory.holds`).
public struct OutputManifest: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        /// Written by a finished run from inputs with this fingerprint.
        case done(inputs: String, stamp: FileStamp)
        /// A run started writing it and may not have finished.
        case pending
    }

    public static let path = ".ridgepoint/manifest.tsv"
    static let header = "# ridgepoint output manifest 2: file, inputs fingerprint, size, mtime (ns), content fingerprint"
    /// A line saying that any `pages/report-NNN.svg` may be a file of an unfinished run.
    static let pagesMarker = "pages/*"

    public var entries: [String: Entry] = [:]
    /// Whether pages of an unfinished run may be in `pages/`.
    public var pagesPending = false

    public init() {}

    /// Reads the manifest of `out`; a missing or unreadable one is empty.
    public static func load(_ out: OutputDirectory) -> OutputManifest {
        let file = out.path + "/" + path
        var st = stat()
        guard lstat(file, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 64 << 20,
              let data = FileManager.default.contents(atPath: file) else { return OutputManifest() }
        return parse(String(decoding: data, as: UTF8.self))
    }

    public static func parse(_ text: String) -> OutputManifest {
        var m = OutputManifest()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if f.count == 2, f[1] == "pending" {
                if f[0] == pagesMarker { m.pagesPending = true } else if OutputNames.isProduced(f[0]) { m.entries[f[0]] = .pending }
                continue
            }
            guard f.count == 5, OutputNames.isProduced(f[0]), !f[1].isEmpty, f[1].allSatisfy(\.isHexDigit),
                  let size = Int(f[2]), size >= 0, let mtime = Int64(f[3]), f[4].count == 16, f[4].allSatisfy(\.isHexDigit) else { continue }
            m.entries[f[0]] = .done(inputs: f[1], stamp: FileStamp(size: size, mtime: mtime, hash: f[4]))
        }
        return m
    }

    public var text: String {
        var lines = [OutputManifest.header]
        if pagesPending { lines.append(OutputManifest.pagesMarker + "\tpending") }
        for name in entries.keys.sorted() {
            switch entries[name] {
            case .done(let inputs, let s)?: lines.append("\(name)\t\(inputs)\t\(s.size)\t\(s.mtime)\t\(s.hash)")
            case .pending?: lines.append("\(name)\tpending")
            case nil: break
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The inputs fingerprint of a finished entry.
    public func inputs(_ name: String) -> String? {
        if case .done(let inputs, _)? = entries[name] { return inputs }
        return nil
    }

    /// Writes the manifest durably: a temporary file, fsync, rename, fsync of the folder.
    public func write(to out: OutputDirectory) throws {
        let dir = out.path + "/.ridgepoint"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let target = out.path + "/" + OutputManifest.path
        let tmp = OutputDirectory.temporaryName(for: target)
        TestHooks.step()
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw Messages.cannotWrite(target, Messages.osError, what: "the manifest")
        }
        var data = Data(text.utf8)
        var failure = data.withUnsafeMutableBytes { OutputDirectory.writeAll(fd, UnsafeRawBufferPointer($0)) }
        if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        data = Data()
        if let failure {
            unlink(tmp)
            throw Messages.cannotWrite(target, failure, what: "the manifest", diskFull: true)
        }
        try OutputDirectory.moveIntoPlace(tmp, target)
        out.syncDirectory(of: OutputManifest.path)
    }
}

/// What every output depends on besides its own inputs: the running program itself (a hash of
/// the executable, which embeds the catalogs, templates and font configuration) and the
/// libraries and fonts that draw (passed in by the caller).
public enum BuildIdentity {
    /// FNV-1a of the running executable's bytes (`/proc/self/exe`), computed once.
    public static let executableFingerprint: String = {
        for path in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !path.isEmpty {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var hasher = Hasher64()
            let size = 1 << 20
            let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            defer { buf.deallocate() }
            var ok = true
            while true {
                let n = read(fd, buf, size)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                if n == 0 { break }
                hasher.combine(UnsafeRawBufferPointer(start: buf, count: n))
            }
            if ok { return hasher.hex }
        }
        return "unknown-executable"
    }()
}
