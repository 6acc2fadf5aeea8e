import Foundation
import Testing
import TestSupport
@testable import RidgepointCore

let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `ridgepoint schema` (issue 16): the schema and the parser share their keys; every example
/// conforms; an unknown key or a wrong type does not.
@Suite struct SpecSchemaTests {
    @Test func parserAndSchemaShareTheirKeys() {
        #expect(Spec.allowedKeys == SpecSchema.root.keys)
        #expect(Spec.servingKeys == SpecSchema.serving.keys)
        // Every custom GPU and model key has a type of its own (none falls back to "string").
        for k in Catalog.customGPUKeys { #expect(SpecSchema.gpuTypes[k] != nil, "GPU key \(k)") }
        for k in Catalog.modelKeys + ["base", "config"] { #expect(SpecSchema.modelTypes[k] != nil, "model key \(k)") }
        #expect(Set(SpecSchema.gpuTypes.keys) == Set(Catalog.customGPUKeys))
        #expect(Set(SpecSchema.modelTypes.keys) == Set(Catalog.modelKeys + ["base", "config"]))
        for p in SpecSchema.root.properties { #expect(!p.description.isEmpty, "\(p.name)") }
    }

    @Test func jsonSchemaIsDeterministicDraft202012() throws {
        let text = SpecSchema.jsonSchema(version: "t")
        #expect(text == SpecSchema.jsonSchema(version: "t"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(object["additionalProperties"] as? Bool == false)
        #expect((object["required"] as? [String]) == ["gpus", "models"])
        let props = try #require(object["properties"] as? [String: Any])
        #expect(Set(props.keys) == Set(Spec.allowedKeys))
    }

    @Test func examplesConformAndMistakesDoNot() throws {
        let folders = [packageFolder.appendingPathComponent("examples"), packageFolder.appendingPathComponent("Sources/RidgepointResources/specs")]
        var checked = 0
        for folder in folders {
            for f in try FileManager.default.contentsOfDirectory(atPath: folder.path) where f.hasSuffix(".yaml") {
                let text = try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8)
                let problems = try SpecSchema.violations(ofYAML: text)
                #expect(problems.isEmpty, "\(f): \(problems)")
                checked += 1
            }
        }
        #expect(checked >= 9)
        #expect(try SpecSchema.violations(ofYAML: "gpus: [h100]\nmodels: [llama-3-8b]\nbatch_size: [1]\n") == ["the spec: unknown key 'batch_size'"])
        #expect(try SpecSchema.violations(ofYAML: "gpus: [h100]\nmodels: [llama-3-8b]\nbatch_sizes: [0]\n").first?.contains("below") == true)
        #expect(try SpecSchema.violations(ofYAML: "gpus: [h100]\nmodels: [llama-3-8b]\nprecision: {weights: fp9}\n").first?.contains("'fp9' is not one of") == true)
        #expect(try SpecSchema.violations(ofYAML: "models: [llama-3-8b]\n") == ["the spec: missing 'gpus'"])
        #expect(try SpecSchema.violations(ofYAML: "gpus: [{id: g, bandwidth_tb: 3}]\nmodels: [m]\n").first?.contains("unknown key 'bandwidth_tb'") == true)
    }

    /// With a JSON Schema validator at hand (python3 with jsonschema and PyYAML), the printed
    /// schema validates the examples the same way.
    @Test(.enabled(if: pythonJSONSchema(), "python3 with jsonschema and PyYAML is not installed"))
    func externalValidatorAgrees() throws {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try SpecSchema.jsonSchema(version: "t").write(to: schema, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: schema) }
        let script = """
        import json, sys, glob, yaml, jsonschema
        s = json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s)
        v = jsonschema.Draft202012Validator(s)
        bad = [f for f in glob.glob(sys.argv[2] + '/examples/*.yaml') if list(v.iter_errors(yaml.safe_load(open(f))))]
        unknown = list(v.iter_errors({'gpus': ['h100'], 'models': ['m'], 'batch_size': [1]}))
        print('ok' if not bad and unknown else 'bad %s %s' % (bad, len(unknown)))
        """
        let out = try Tool.output("python3", ["-c", script, schema.path, packageFolder.path])
        #expect(out.hasPrefix("ok"), "\(out)")
    }
}

func pythonJSONSchema() -> Bool {
    (try? Tool.status("python3", ["-c", "import jsonschema, yaml"])) == 0
}
