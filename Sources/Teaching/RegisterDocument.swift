import Canvas
import DocumentLayout
import Foundation
import RidgepointFormatting
import RidgepointCore

extension ErrataRegister {
    /// Seed file → a short description of the article (for the register's section headings).
    static let articleTitles: [String: String] = [
        "000": "PagedAttention and the batch-size threshold",
        "001": "Batched decode: the GEMV problem",
        "002": "Roofline bounds and the economics of batch size",
        "003": "Arithmetic intensity and the ridge point across GPU generations",
        "004": "Why prefill is compute-bound and decode is memory-bound",
    ]

    /// The register as JSON: `{title, entries: [{id, seed_file, location, line, quote, printed,
    /// recomputed, correct, why, kind}]}` (absent values are null, keys always present).
    public var json: JSONValue {
        .object([
            ("title", .string("Errata register of the seed articles")),
            ("entries", .array(entries.map(\.json))),
        ])
    }

    public var jsonText: String { json.rendered() + "\n" }

    /// The register as a document: one section per seed file, one entry per wrong statement.
    public func document(pageSize: Size = .a4) -> Document {
        var blocks: [Block] = [
            .heading(level: 1, text: "About this register", id: "about"),
            .paragraph("Every statement in the five seed articles that Ridgepoint found wrong, with the article's own words, the value as printed, the article's own method with the arithmetic done right (where that differs), the correct value and the reason. Every number in the last three is computed by the Ridgepoint engine from the catalog; quotes are verbatim (LaTeX source included) and can be found in the seed file at the line given."),
            .paragraph("The exercise sheets and lecture notes draw their erratum boxes from this register, so a box and the register cannot disagree. A statement the article gets right within its own stated approximation has no entry."),
        ]
        for file in seedFiles {
            let es = entries.filter { $0.seedFile == file }
            let seed = String(file.prefix(3))
            blocks.append(.pageBreak)
            blocks.append(.heading(level: 1, text: ("Seed \(seed): " + Markup.escape(Self.articleTitles[seed] ?? file)).rich, id: "seed-\(seed)"))
            blocks.append(.paragraph("<tt>\(Markup.escape(file))</tt> · \(es.count) entr\(es.count == 1 ? "y" : "ies")"))
            for e in es {
                var rows: [[String]] = [["Quote", "“" + Markup.escape(e.quote) + "”"]]
                if let p = e.printed { rows.append(["Printed", Markup.escape(p)]) }
                if let r = e.recomputed { rows.append(["Its own method gives", Markup.escape(r)]) }
                rows.append(["Correct", Markup.escape(e.correct)])
                rows.append(["Why", Markup.escape(e.why)])
                rows.append(["Kind", e.kind.rawValue])
                blocks.append(.heading(level: 2, text: ("Line \(e.line): " + Markup.escape(e.location)).rich, id: "e-\(e.id)"))
                blocks.append(.table(Table(columns: [TableColumn("Field", weight: 1), TableColumn("Entry \(e.id)", weight: 5)],
                                           rows: rows.map { $0.map(\.rich) }, caption: "Erratum \(e.id)", fontSize: 8)))
            }
        }
        return Document(
            metadata: DocumentMetadata(title: "Errata register of the seed articles", author: "Ridgepoint",
                                       subject: "Wrong statements in the seed articles, with computed corrections",
                                       keywords: "errata, roofline, LLM inference", creator: "ridgepoint"),
            pageSize: pageSize,
            titlePage: TitlePage(title: "Errata register", subtitle: "The seed articles, line by line · \(entries.count) entries",
                                 lines: ["Every number is computed by the Ridgepoint engine.", TeachingDocuments.units.rich]),
            tableOfContents: true, numberHeadings: false, runningHeader: "Errata register of the seed articles", blocks: blocks)
    }
}

extension RegisterEntry {
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("seed_file", .string(seedFile)), ("location", .string(location)), ("line", .number(Double(line))),
            ("quote", .string(quote)), ("printed", printed.map(JSONValue.string) ?? .null),
            ("recomputed", recomputed.map(JSONValue.string) ?? .null), ("correct", .string(correct)), ("why", .string(why)),
            ("kind", .string(kind.rawValue)),
        ])
    }
}
