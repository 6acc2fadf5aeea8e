import Foundation
import Mustache
import RidgepointCore
import RidgepointOutput
import RidgepointResources

/// Escapes template values for `DocMarkup` (so a title such as `R&D *draft*` stays literal).
struct DocMarkupContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { DocMarkup.escapeText(text) }
}

/// A report template: a folder holding `report.mustache` and optional partials (`*.mustache`,
/// used as `{{> name}}`). Built-in templates live in `templates/` and can be copied and edited.
public struct TemplateSet: Sendable {
    public static let builtInNames = ["procurement", "wiki", "teaching"]
    public static let mainFile = "report.mustache"

    public var name: String
    /// Folder on disk, or `templates/NAME` for a built-in template.
    public var directory: String
    /// File name → text, for error messages and fingerprints.
    public var sources: [String: String]

    private static let contentTypeRegistered: Bool = {
        MustacheContentTypes.register(DocMarkupContentType(), named: "RIDGEPOINT")
        return true
    }()

    /// Whether this is one of the templates compiled into the executable.
    public var isBuiltIn = false

    /// Loads a built-in template by name (compiled into the executable), or a folder (absolute,
    /// or relative to `base`).
    public static func load(_ nameOrPath: String, relativeTo base: String?) throws -> TemplateSet {
        if builtInNames.contains(nameOrPath.lowercased()) { return try builtIn(nameOrPath.lowercased()) }
        var dir = nameOrPath
        if !dir.hasPrefix("/"), let base { dir = base + "/" + dir }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw Messages.Templates.unknownTemplate(nameOrPath, builtIn: builtInNames).at(file: nameOrPath, field: "template")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        guard files.contains(mainFile) else {
            throw Messages.Templates.noMainFile(mainFile).at(file: dir, field: "template")
        }
        if files.count > TemplateLimits.maxFiles {
            throw Messages.Templates.tooManyFiles(files.count, limit: TemplateLimits.maxFiles).at(file: dir, field: "template")
        }
        // Partials are confined to the folder: a link that leads outside it is refused.
        let realDir = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        var sources: [String: String] = [:]
        var total = 0
        for f in files {
            let path = dir + "/" + f
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard real.hasPrefix(realDir + "/") else {
                throw Messages.Templates.leadsOutside(to: real).at(file: path, field: "template")
            }
            var st = stat()
            guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                throw Messages.Templates.notRegularFile.at(file: path, field: "template")
            }
            if Int(st.st_size) > TemplateLimits.maxFileBytes {
                throw Messages.Templates.fileTooLarge(Int64(st.st_size), limit: TemplateLimits.maxFileBytes).at(file: path, field: "template")
            }
            total += Int(st.st_size)
            if total > TemplateLimits.maxTotalBytes {
                throw Messages.Templates.filesTooLarge(limit: TemplateLimits.maxTotalBytes).at(file: dir, field: "template")
            }
            guard let data = FileManager.default.contents(atPath: real), let text = String(data: data, encoding: .utf8) else {
                throw Messages.Templates.notUTF8.at(file: path)
            }
            sources[f] = text
        }
        let set = TemplateSet(name: (dir as NSString).lastPathComponent, directory: dir, sources: sources)
        try set.checkStructure()
        return set
    }

    /// A built-in template, from the executable.
    public static func builtIn(_ name: String) throws -> TemplateSet {
        let prefix = "templates/\(name)/"
        var sources: [String: String] = [:]
        for path in EmbeddedResources.paths where path.hasPrefix(prefix) {
            sources[String(path.dropFirst(prefix.count))] = EmbeddedResources.text(path)
        }
        guard sources[mainFile] != nil else {
            throw Messages.missingResource("the built-in template", file: prefix + mainFile)
        }
        var set = TemplateSet(name: name, directory: "templates/\(name)", sources: sources)
        set.isBuiltIn = true
        try set.checkStructure()
        return set
    }

    /// Writes the template's files into `folder` (for `ridgepoint templates export`-style copies
    /// and tests); refuses to overwrite existing files.
    public func export(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            let path = folder + "/" + file
            guard !FileManager.default.fileExists(atPath: path) else {
                throw Messages.Templates.wouldOverwrite.at(file: path)
            }
            try OutputDirectory.writeAtomically(Data(text.utf8), to: path)
        }
    }

    /// A display path for messages: `templates/NAME/FILE` for built-ins.
    public func displayPath(_ file: String) -> String { directory + "/" + file }

    /// Renders `report.mustache` with `context`; Mustache syntax errors name the file and line.
    public func render(_ context: [String: Any]) throws -> String {
        _ = TemplateSet.contentTypeRegistered
        try checkStructure()
        var library = MustacheLibrary()
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            let name = String(file.dropLast(".mustache".count))
            do {
                // The pragma shares the first line, so template line numbers are unchanged.
                try library.register("{{% CONTENT_TYPE: RIDGEPOINT}}" + text, named: name)
            } catch let e as MustacheTemplate.ParserError {
                throw Messages.Templates.syntax("\(e.error)", near: e.context.line.trimmingCharacters(in: .whitespaces))
                    .at(file: displayPath(file), line: e.context.lineNumber, column: e.context.columnNumber)
            } catch {
                throw Messages.Templates.syntax("\(error)").at(file: displayPath(file))
            }
        }
        guard let text = library.render(TemplateValue.wrap(context), withTemplate: "report") else {
            throw Messages.Templates.notRendered.at(file: displayPath(TemplateSet.mainFile))
        }
        return text
    }

    /// The template line that produced a rendered directive, found by the directive's text up
    /// to its first `{{` (best effort: sections may repeat lines).
    public func locate(_ rendered: String) -> (file: String, line: Int)? {
        let key = rendered.trimmingCharacters(in: .whitespaces)
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            for (i, l) in text.components(separatedBy: "\n").enumerated() {
                let t = l.trimmingCharacters(in: .whitespaces)
                let prefix = t.components(separatedBy: "{{").first ?? t
                if !prefix.isEmpty, key.hasPrefix(prefix), prefix.count >= min(key.count, 6) { return (file, i + 1) }
            }
        }
        return nil
    }

    /// A stable fingerprint of the template files.
    public var fingerprint: String {
        sources.sorted { $0.key < $1.key }.map { "\($0.key)\n\($0.value)" }.joined(separator: "\u{1}")
    }
}

/// Bounds on what a template may do, checked before it is parsed or rendered.
public enum TemplateLimits {
    public static let maxFiles = 200
    public static let maxFileBytes = 1 << 20
    public static let maxTotalBytes = 4 << 20
    /// Sections open at once, counting those of the partials a tag includes.
    public static let maxDepth = 64
}

extension TemplateSet {
    /// A tag of interest in a template file.
    struct Tag { var kind: Character; var name: String; var line: Int }

    /// The section, partial and inheritance tags of `text`, following `{{=<% %>=}}` delimiter
    /// changes; throws on a dynamic partial (`{{>*name}}`), whose target cannot be checked.
    func tags(_ file: String, _ text: String) throws -> [Tag] {
        var open = Array("{{"), close = Array("}}")
        let chars = Array(text)
        var out: [Tag] = []
        var i = 0, line = 1
        func matches(_ pattern: [Character], at k: Int) -> Bool {
            k + pattern.count <= chars.count && Array(chars[k..<(k + pattern.count)]) == pattern
        }
        while i < chars.count {
            if chars[i] == "\n" { line += 1; i += 1; continue }
            guard matches(open, at: i) else { i += 1; continue }
            var j = i + open.count
            let triple = open == Array("{{") && j < chars.count && chars[j] == "{"
            if triple { j += 1 }
            var end = j
            while end < chars.count && !matches(close, at: end) { end += 1 }
            guard end < chars.count else { break }   // unterminated: the parser reports it
            let body = String(chars[j..<end]).trimmingCharacters(in: .whitespaces)
            let tagLine = line
            for c in chars[i..<end] where c == "\n" { line += 1 }
            i = end + close.count + (triple && end + close.count < chars.count && chars[end + close.count] == "}" ? 1 : 0)
            guard let kind = body.first else { continue }
            let name = body.dropFirst().trimmingCharacters(in: .whitespaces)
            switch kind {
            case "=":
                // {{=<% %>=}}: new open and close delimiters.
                let inner = body.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
                if inner.count == 2 { open = Array(inner[0]); close = Array(inner[1]) }
            case ">":
                if name.hasPrefix("*") {
                    throw Messages.Templates.dynamicPartial.at(file: displayPath(file), line: tagLine)
                }
                out.append(Tag(kind: ">", name: name, line: tagLine))
            case "#", "^", "$", "<", "/":
                out.append(Tag(kind: kind, name: name, line: tagLine))
            default: break
            }
        }
        return out
    }

    /// Refuses partial cycles (a partial that includes itself, directly or not) and nesting
    /// deeper than `TemplateLimits.maxDepth`, naming the file and line, before anything is parsed.
    func checkStructure() throws {
        var tagsOf: [String: [Tag]] = [:]
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            tagsOf[String(file.dropLast(".mustache".count))] = try tags(file, text)
        }
        var depthOf: [String: Int] = [:]
        var visiting: [String] = []
        func depth(_ name: String, from: (file: String, line: Int)?) throws -> Int {
            if let d = depthOf[name] { return d }
            if visiting.contains(name) {
                let chain = (visiting.drop { $0 != name } + [name]).joined(separator: " → ")
                throw Messages.Templates.partialCycle(name, chain: chain).at(file: from.map { displayPath($0.file) }, line: from?.line)
            }
            guard let tags = tagsOf[name] else { return 0 }   // a missing partial renders as nothing
            visiting.append(name)
            defer { visiting.removeLast() }
            var level = 0, deepest = 0
            for t in tags {
                switch t.kind {
                case "#", "^", "$", "<":
                    level += 1
                    var below = 0
                    if t.kind == "<" { below = try depth(t.name, from: (name + ".mustache", t.line)) }
                    deepest = max(deepest, level + below)
                case "/": level = max(0, level - 1)
                case ">": deepest = max(deepest, level + 1 + (try depth(t.name, from: (name + ".mustache", t.line))))
                default: break
                }
                if deepest > TemplateLimits.maxDepth {
                    throw Messages.Templates.tooDeep(limit: TemplateLimits.maxDepth).at(file: displayPath(name + ".mustache"), line: t.line)
                }
            }
            depthOf[name] = deepest
            return deepest
        }
        for name in tagsOf.keys.sorted() { _ = try depth(name, from: nil) }
    }
}

/// Template values with a deterministic text: a mapping printed in a template (`{{.}}`) lists
/// its keys in order (a Swift dictionary would print them in a per-process random order).
struct TemplateValue: MustacheParent, MustacheCustomRenderable, CustomStringConvertible {
    let fields: [String: Any]

    func child(named: String) -> Any? { fields[named] }
    var renderText: String { description }
    var isNull: Bool { false }
    var description: String {
        "{" + fields.keys.sorted().map { "\($0): \(fields[$0].map { String(describing: $0) } ?? "")" }.joined(separator: ", ") + "}"
    }

    /// Wraps every dictionary inside `value` (arrays included).
    static func wrap(_ value: Any) -> Any {
        if let d = value as? [String: Any] { return TemplateValue(fields: d.mapValues(wrap)) }
        if let a = value as? [Any] { return a.map(wrap) }
        return value
    }
}
