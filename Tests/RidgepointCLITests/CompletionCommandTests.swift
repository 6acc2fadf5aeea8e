import Foundation
import Testing

/// Shell completion scripts and the callbacks they make, on the built binary.
@Suite struct CompletionCommandTests {
    @Test func scriptsAndCatalogIDs() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try ridgepoint(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains("---completion") && r.stdout.contains("exercises"), "\(shell)")
        }
        // What the generated scripts call back: the word being completed, after a comma.
        let r = try ridgepoint(["---completion", "eval", "--", "--gpu", "3", "11", "ridgepoint", "eval", "--gpu", "h100-sxm,h2"])
        #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == ["h100-sxm,h200", "h100-sxm,h20"])
        let m = try ridgepoint(["---completion", "exercises", "--", "--model", "3", "5", "ridgepoint", "exercises", "--model", "qwen2"])
        #expect(m.stdout.contains("qwen2.5-7b") && !m.stdout.contains("llama"))
    }
}
