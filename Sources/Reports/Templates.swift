import Foundation
import Mustache
import RidgepointCore

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
    /// Folder on disk (built-in templates resolve to the installed resource folder).
    public var directory: String
    /// File name → text, for error messages and fingerprints.
    public var sources: [String: String]

    private static let contentTypeRegistered: Bool = {
        MustacheContentTypes.register(DocMarkupContentType(), named: "RIDGEPOINT")
        return true
    }()

    /// The built-in templates folder inside the installation.
    public static var builtInRoot: String? {
        Bundle.module.url(forResource: "templates", withExtension: nil)?.path
    }

    /// Loads a built-in template by name, or a folder (absolute, or relative to `base`).
    public static func load(_ nameOrPath: String, relativeTo base: String?) throws -> TemplateSet {
        var dir: String
        if builtInNames.contains(nameOrPath.lowercased()), let root = builtInRoot {
            dir = root + "/" + nameOrPath.lowercased()
        } else {
            dir = nameOrPath
            if !dir.hasPrefix("/"), let base { dir = base + "/" + dir }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw RidgepointError(file: nameOrPath, field: "template",
                                      message: "no built-in template or template folder by this name",
                                      help: Suggest.help(nameOrPath, in: builtInNames).map { $0 + " (or a folder holding report.mustache)" }
                                        ?? "use \(builtInNames.joined(separator: ", ")) or a folder holding report.mustache")
            }
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        guard files.contains(mainFile) else {
            throw RidgepointError(file: dir, field: "template", message: "the template folder has no \(mainFile)")
        }
        var sources: [String: String] = [:]
        for f in files {
            guard let data = FileManager.default.contents(atPath: dir + "/" + f), let text = String(data: data, encoding: .utf8) else {
                throw RidgepointError(file: dir + "/" + f, message: "cannot read the template file as UTF-8 text")
            }
            sources[f] = text
        }
        return TemplateSet(name: (dir as NSString).lastPathComponent, directory: dir, sources: sources)
    }

    /// A display path for messages: `templates/NAME/FILE` for built-ins.
    public func displayPath(_ file: String) -> String {
        if let root = TemplateSet.builtInRoot, directory.hasPrefix(root) { return "templates/\(name)/\(file)" }
        return directory + "/" + file
    }

    /// Renders `report.mustache` with `context`; Mustache syntax errors name the file and line.
    public func render(_ context: [String: Any]) throws -> String {
        _ = TemplateSet.contentTypeRegistered
        var library = MustacheLibrary()
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            let name = String(file.dropLast(".mustache".count))
            do {
                // The pragma shares the first line, so template line numbers are unchanged.
                try library.register("{{% CONTENT_TYPE: RIDGEPOINT}}" + text, named: name)
            } catch let e as MustacheTemplate.ParserError {
                throw RidgepointError(file: displayPath(file), line: e.context.lineNumber, column: e.context.columnNumber,
                                      message: "template syntax error: \(e.error)", help: "near: \(e.context.line.trimmingCharacters(in: .whitespaces))")
            } catch {
                throw RidgepointError(file: displayPath(file), message: "template syntax error: \(error)")
            }
        }
        guard let text = library.render(context, withTemplate: "report") else {
            throw RidgepointError(file: displayPath(TemplateSet.mainFile), message: "the template could not be rendered")
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
