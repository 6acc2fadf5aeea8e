import CCairoPango

/// Errors raised by the Cairo/Pango backend.
public enum CairoError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A Cairo call failed; `status` is the text of `cairo_status_to_string`.
    case cairo(operation: String, status: String)
    /// Pango rejected the markup; `message` is Pango's own error message.
    case invalidMarkup(markup: String, message: String)
    /// The requested font family is not installed (fontconfig substituted `resolved`).
    case fontUnavailable(requested: String, resolved: String)
    /// A size, width or resolution was not a positive finite number, or similar.
    case invalidArgument(String)
    /// The operation is not available for this output format (e.g. `beginPage` on SVG or PNG).
    case unsupported(String)
    /// A link or outline entry names a destination that `addDestination` never defined (PDF).
    case undefinedDestination(String)
    /// `finish()` was called twice.
    case alreadyFinished

    public var description: String {
        switch self {
        case .cairo(let op, let status):
            return "cairo error in \(op): \(status)"
        case .invalidMarkup(let markup, let message):
            let shown = markup.count > 120 ? String(markup.prefix(117)) + "..." : markup
            return "invalid Pango markup (\(message)) in: \(shown)"
        case .fontUnavailable(let requested, let resolved):
            return "font family '\(requested)' is not available (fontconfig resolved it to '\(resolved)'); "
                + "install fonts-dejavu-core and fonts-dejavu-extra (fonts are pinned to "
                + "\(FontConfiguration.fontDirectory) by an in-memory fontconfig configuration)"
        case .invalidArgument(let what):
            return "invalid argument: \(what)"
        case .unsupported(let what):
            return "unsupported: \(what)"
        case .undefinedDestination(let name):
            return "link or outline entry to undefined destination '\(name)'"
        case .alreadyFinished:
            return "the canvas was already finished"
        }
    }

    /// Throws `.cairo` unless `status` is `CAIRO_STATUS_SUCCESS`.
    static func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw CairoError.cairo(operation: operation, status: statusString(status))
    }

    static func statusString(_ status: cairo_status_t) -> String {
        guard let s = cairo_status_to_string(status) else { return "status \(status.rawValue)" }
        return String(cString: s)
    }
}
