/// The one GitHub-Markdown table layout: `| a | b |`, a separator row, then the rows. Callers
/// escape their cells and choose the separator cells (`---`, `---:`, ` :---: `, …): the matrix
/// writer packs them (`|---|---:|`), documents pad them (`| --- | ---: |`).
public enum MarkdownTable {
    public static func lines(header: [String], separators: [String], rows: [[String]]) -> [String] {
        ["| " + header.joined(separator: " | ") + " |", "|" + separators.joined(separator: "|") + "|"]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }
    }
}
