import Canvas
import DocumentLayout
import Testing
@testable import Reports

@Suite struct DocMarkupTests {
    @Test func inlineMarkup() {
        #expect(DocMarkup.inline("**bold** and *it* and `c<d>` I_{kv} 10^{12}").pangoMarkup ==
            "<b>bold</b> and <i>it</i> and <tt>c&lt;d&gt;</tt> I<span size='smaller' rise='-2pt'>kv</span> 10<span size='smaller' rise='4pt'>12</span>")
        #expect(DocMarkup.inline("R&D <b>").pangoMarkup == "R&amp;D &lt;b&gt;")
        #expect(DocMarkup.inline("a \\* b").pangoMarkup == "a * b")
        // Overlapping emphasis is balanced by construction (a PDF render used to fail on it).
        #expect(DocMarkup.inline("**bold *and** italic*").pangoMarkup == "<b>bold <i>and</i></b><i> italic</i>")
        #expect(DocMarkup.inline("*a **b").pangoMarkup == "<i>a <b>b</b></i>")
        #expect(DocMarkup.inline("**bold *and** italic*").nodes == [.styled(.strong, [.text("bold "), .styled(.emphasis, [.text("and")])]),
                                                                  .styled(.emphasis, [.text(" italic")])])
    }

    @Test func valuesAreEscapedForTheMarkup() {
        let v = DocMarkup.escapeText("R&D *draft* x_{1} ::: chart")
        #expect(DocMarkup.inline(v).pangoMarkup == "R&amp;D *draft* x_{1} ::: chart")
    }

    @Test func blocks() throws {
        let text = """
        # Title {#top}
        First line
        continues here.

        - one
        - two
        1. first
        $$ I^{*} = Π/β $$
        ::: chart roofline model=llama-3-8b
        ::: warning Careful
        Body **text**.

        Second paragraph.
        :::
        ::: pagebreak
        """
        let els = try DocMarkup.parse(text)
        #expect(els.count == 8)
        #expect(els[0] == .heading(level: 1, text: "Title", id: "top"))
        #expect(els[1] == .paragraph("First line continues here."))
        #expect(els[2] == .bullets(["one", "two"]))
        #expect(els[3] == .numbered(["first"]))
        if case .directive(let d) = els[5] {
            #expect(d.name == "chart" && d.args == ["roofline"] && d.options == ["model": "llama-3-8b"] && d.line == 9)
        } else { Issue.record("expected a directive") }
        #expect(els[6] == .note(kind: .warning, title: "Careful", paragraphs: ["Body <b>text</b>.", "Second paragraph."]))
        #expect(els[7] == .pageBreak)
    }

    @Test func unclosedNoteIsAnError() {
        #expect(throws: DocMarkupError(line: 2, message: "the '::: note' block is never closed with a ':::' line")) {
            try DocMarkup.parse("text\n::: note\nbody\n")
        }
    }
}
