import Foundation
import Testing
import RidgepointFormatting

/// `JSONValue` is the one JSON writer: every document's layout is a `JSONLayout` of it.
@Suite struct JSONWriterTests {
    let doc = JSONValue.object([
        ("b", .array([.integer(1), .significant(0.3658991, 6), .number(0.0001), .number(1e16)])),
        ("a", .object([("x", .string("q\"\\\n\t\u{1}")), ("y", .null), ("z", .bool(true))])),
        ("notes", .array([.object([("id", .string("n1"))])])),
        ("empty", .object([])), ("none", .array([])), ("nan", .significant(.nan, 6)), ("inf", .number(.infinity)),
    ])

    @Test func prettyPutsEveryMemberOnItsLine() {
        #expect(JSONValue.array([.integer(1), .object([("k", .number(2.5))])]).rendered() == "[\n  1,\n  {\n    \"k\": 2.5\n  }\n]")
    }

    @Test func depthAndKeysChooseWhatExpands() {
        let text = doc.rendered(JSONLayout(expandedDepth: 1, expandedKeys: ["notes"]))
        #expect(text == """
        {
          "b": [1, 0.365899, 0.0001, 1e+16],
          "a": {"x": "q\\"\\\\\\n\\t\\u0001", "y": null, "z": true},
          "notes": [
            {"id": "n1"}
          ],
          "empty": {},
          "none": [],
          "nan": null,
          "inf": null
        }
        """)
        // Whatever the layout, the text is JSON that reads back to the same values.
        let back = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect((back?["a"] as? [String: Any])?["x"] as? String == "q\"\\\n\t\u{1}")
    }

    @Test func sortedKeysAndSpacedColons() {
        let text = JSONValue.object([("b", .integer(1)), ("a", .object([("d", .integer(2)), ("c", .integer(3))]))])
            .rendered(JSONLayout(expandedDepth: .max, colon: " : ", sortedKeys: true))
        #expect(text == "{\n  \"a\" : {\n    \"c\" : 3,\n    \"d\" : 2\n  },\n  \"b\" : 1\n}")
    }

    @Test func renderedInsideADocumentIndentsFromItsDepth() {
        let v = JSONValue.array([.integer(1)])
        #expect(v.rendered(JSONLayout(expandedDepth: 2), depth: 1) == "[\n    1\n  ]")
    }

    @Test func numberForms() {
        #expect(JSON.exact(3) == "3")
        #expect(JSON.exact(-0.0) == "0")
        #expect(JSON.exact(2.5e-7) == "2.5e-07")
        #expect(JSON.exact(1e15) == "1000000000000000.0")
        #expect(JSON.exact(1e16) == "1e+16")
        #expect(JSON.number(1.0 / 3) == "0.333333")
        #expect(JSON.number(.nan) == "null")
    }
}
