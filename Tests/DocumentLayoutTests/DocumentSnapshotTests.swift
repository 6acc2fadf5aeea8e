import CairoBackend
import Canvas
import DocumentLayout
import Foundation
import Testing

/// The sample document (every kind of block) laid out and kept as text in
/// `Snapshots/sample-document.txt`: pages, text frames with their fonts and markup, rules, fills,
/// figures and links. A layout change is a readable diff there. Re-record deliberately with
/// `RIDGEPOINT_RECORD_GOLDEN=1 swift test --filter DocumentSnapshotTests` (that run fails).
@Suite struct DocumentSnapshotTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/sample-document.txt")

    @Test func sampleDocumentLayout() throws {
        let laid = try DocumentLayoutEngine.layout(sampleDocument(rows: 40), measurer: try PangoTextMeasurer())
        let text = laid.textSnapshot
        #expect(text.hasPrefix("page 1 "))
        if ProcessInfo.processInfo.environment["RIDGEPOINT_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: Self.file)
            Issue.record("Recorded \(Self.file.path); unset RIDGEPOINT_RECORD_GOLDEN and run again")
            return
        }
        #expect(text == (try String(contentsOf: Self.file, encoding: .utf8)),
                "the sample document's layout differs from Snapshots/sample-document.txt; diff them and re-record deliberately if intended")
    }
}
