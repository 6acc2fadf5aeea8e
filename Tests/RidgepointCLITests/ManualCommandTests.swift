import Foundation
import Testing

/// `ridgepoint manual` on the built binary: a man page from the help text, every subcommand in it, plain ASCII roff.
@Suite struct ManualCommandTests {
    @Test func manPageCoversEverySubcommand() throws {
        let r = try ridgepoint(["manual"])
        #expect(r.status == 0 && r.stdout.hasPrefix(".TH RIDGEPOINT 1"))
        for name in ["render", "eval", "chart", "calibrate", "catalog", "exercises", "templates", "init", "schema", "manual"] {
            #expect(r.stdout.contains(".SS \(name)\n"), "\(name)")
        }
        let ascii = r.stdout.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(r.stdout.contains(".SH EXIT STATUS"))
    }
}
