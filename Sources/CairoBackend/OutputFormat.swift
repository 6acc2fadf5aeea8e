/// The files the Cairo backend can produce.
public enum OutputFormat: String, Sendable, CaseIterable {
    case pdf, svg, png

    /// The format for a file extension (`"pdf"`, `".SVG"`, `"png"`); nil when unknown.
    public init?(fileExtension: String) {
        var ext = fileExtension.lowercased()
        if ext.hasPrefix(".") { ext.removeFirst() }
        self.init(rawValue: ext)
    }

    /// The usual file extension, without a dot.
    public var fileExtension: String { rawValue }

    public var mimeType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .svg: return "image/svg+xml"
        case .png: return "image/png"
        }
    }

    /// Whether `CairoCanvas.beginPage(size:)` is supported.
    public var supportsMultiplePages: Bool { self == .pdf }
}
