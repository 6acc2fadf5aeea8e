import ArgumentParser
import Foundation

/// `ridgepoint manual`: a man page (roff) built from the same help text as `--help`.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual",
        abstract: "Print the man page (roff): ridgepoint manual > ridgepoint.1; man ./ridgepoint.1")

    func run() throws {
        try reportingErrors { try emit(Self.page()) }
    }

    /// The page: name, synopsis, description, every subcommand's help, exit status.
    static func page() -> String {
        let root = Ridgepoint.configuration
        var s = ".TH RIDGEPOINT 1 \"\" \"ridgepoint \(RidgepointVersion.string)\" \"User Commands\"\n"
        s += ".SH NAME\nridgepoint \\- \(escape(root.abstract))\n"
        s += ".SH SYNOPSIS\n.B ridgepoint\n[\\fISUBCOMMAND\\fR] [\\fIOPTIONS\\fR] [\\fISPEC.yaml\\fR]\n"
        s += ".SH DESCRIPTION\n\(escape(root.discussion))\n"
        s += ".SH COMMANDS\n"
        for sub in root.subcommands {
            let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
            s += ".SS \(escape(name))\n.nf\n" + escape(Ridgepoint.helpMessage(for: sub, columns: 78)) + "\n.fi\n"
        }
        s += ".SH EXIT STATUS\n.TP\n0\nSuccess.\n.TP\n1\nBad input or a failure; the message names the file, line and field.\n.TP\n2\nA usage error: an unknown option or subcommand, a missing or malformed argument.\n"
        s += ".SH SEE ALSO\nREADME.md of the ridgepoint repository; ridgepoint schema for the spec format.\n"
        return s
    }

    /// Text safe in roff: backslashes escaped, a leading dot or quote protected, and every
    /// character outside ASCII written as a groff Unicode escape (\[u2014]).
    static func escape(_ text: String) -> String {
        var ascii = ""
        for u in text.replacingOccurrences(of: "\\", with: "\\e").unicodeScalars {
            if u.isASCII { ascii.unicodeScalars.append(u) } else { ascii += "\\[u" + String(format: "%04X", u.value) + "]" }
        }
        return ascii.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}
