import ArgumentParser
import Foundation
import RidgepointCore

/// `ridgepoint schema`: the spec format as JSON Schema, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the spec format as JSON Schema (draft 2020-12), for editor validation and completion.",
        discussion: """
            Save it beside your specs (ridgepoint schema > ridgepoint.schema.json) and add \
            `# yaml-language-server: $schema=./ridgepoint.schema.json` as a spec's first line. The schema is \
            generated from the definitions the parser reads its keys from.
            """)

    func run() throws {
        try reportingErrors { try emit(SpecSchema.jsonSchema(version: RidgepointVersion.string)) }
    }
}
