import ArgumentParser
import Foundation
import Reports
import RidgepointCore

/// The built-in templates live inside the executable; `export` writes one into a folder so it
/// can be edited and used with `--template FOLDER` (or `template: FOLDER` in a spec).
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "List the built-in report templates, or copy one into a folder to edit.",
        subcommands: [List.self, Export.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in templates and their files.")
        func run() throws {
            try reportingErrors {
                var lines: [String] = []
                for name in TemplateSet.builtInNames {
                    let t = try TemplateSet.builtIn(name)
                    lines.append("\(name)\t" + t.sources.keys.sorted().joined(separator: " "))
                }
                try emit(lines.joined(separator: "\n") + "\n")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a built-in template's files into a folder (never overwriting a file).")
        @Argument(help: "procurement, wiki or teaching.")
        var name: String
        @Argument(help: "The folder to write into (created if missing).")
        var folder: String
        func run() throws {
            try reportingErrors {
                guard TemplateSet.builtInNames.contains(name.lowercased()) else {
                    throw Messages.unknown("built-in template", name, field: "name", among: TemplateSet.builtInNames)
                }
                try TemplateSet.builtIn(name.lowercased()).export(to: folder)
                writeStderr("ridgepoint: wrote the \(name.lowercased()) template into \(folder)/; render with --template \(folder)\n")
            }
        }
    }
}
