import Foundation
import Testing

/// `ridgepoint schema` on the built binary.
@Suite struct SchemaCommandTests {
    @Test func schemaIsPrinted() throws {
        let r = try ridgepoint(["schema"])
        #expect(r.status == 0 && r.stdout.contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\""))
    }
}
