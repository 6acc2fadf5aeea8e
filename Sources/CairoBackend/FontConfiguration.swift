import CCairoPango
import Foundation

/// Pins the fonts Pango can see to the DejaVu directory, with a fontconfig configuration built
/// in memory, so that neither an installed font, the system's `/etc/fonts/conf.d` nor a user's
/// `~/.config/fontconfig/fonts.conf` (nor `FONTCONFIG_FILE`) changes a byte of the output.
///
/// The configuration names the DejaVu directory, a private cache folder, the generic aliases
/// (`sans-serif`, `serif`, `monospace` → DejaVu) and fontconfig's synthetic-oblique and
/// synthetic-bold rules; it is created once per process (fontconfig configurations are immutable
/// once built and safe to share) and set on every font map Ridgepoint creates.
public enum FontConfiguration {
    /// The only font directory fontconfig is told about.
    public static let fontDirectory = "/usr/share/fonts/truetype/dejavu"

    /// Builds the configuration once per process (idempotent, thread-safe).
    public static func pin() { _ = shared }

    /// Why building the configuration failed, nil when it worked.
    public static var pinningError: String? { shared.error }

    /// The XML the configuration is parsed from.
    public static var configurationXML: String { xml(cacheDir: cacheDirectory) }

    /// A fingerprint of what the output depends on here: the fontconfig version and the pinned
    /// font files (names and sizes).
    public static var fingerprint: String {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: fontDirectory)) ?? []).sorted().map { name -> String in
            var st = stat()
            let size = stat(fontDirectory + "/" + name, &st) == 0 ? Int(st.st_size) : -1
            return "\(name)=\(size)"
        }
        return "fontconfig \(FcGetVersion()); " + files.joined(separator: ",")
    }

    /// Points `fontMap` at the pinned configuration.
    static func apply(to fontMap: UnsafeMutablePointer<PangoFontMap>) {
        guard let config = shared.config else { return }
        CCairoPango_font_map_set_config(fontMap, config)
    }

    private final class State: @unchecked Sendable {
        // Safety: the FcConfig is fully built before it is published and never modified after;
        // fontconfig lookups on a built configuration are thread-safe.
        let config: OpaquePointer?
        let error: String?
        init(config: OpaquePointer?, error: String?) { self.config = config; self.error = error }
    }

    private static let shared: State = make()

    private static var cacheDirectory: String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("ridgepoint-fontconfig-cache-\(getuid())")
    }

    private static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func xml(cacheDir: String) -> String {
        func alias(_ generic: String, _ family: String) -> String {
            "  <alias binding=\"same\"><family>\(generic)</family><prefer><family>\(family)</family></prefer></alias>\n"
        }
        return """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
            <fontconfig>
              <dir>\(xmlEscape(fontDirectory))</dir>
              <cachedir>\(xmlEscape(cacheDir))</cachedir>

            """
            + alias("sans-serif", "DejaVu Sans") + alias("sans", "DejaVu Sans") + alias("system-ui", "DejaVu Sans")
            + alias("serif", "DejaVu Serif") + alias("monospace", "DejaVu Sans Mono") + alias("mono", "DejaVu Sans Mono")
            + """
              <!-- The language a pattern asks for is always English: without it fontconfig adds the
                   process locale's (LANG, LC_ALL, FC_LANG), and for Arabic it then prefers the
                   upright DejaVu Sans (which covers Arabic) slanted over DejaVu Sans Oblique. -->
              <match target="pattern">
                <edit name="lang" mode="assign" binding="strong"><string>en-us</string></edit>
              </match>
              <match target="font">
                <test name="slant" compare="eq"><const>roman</const></test>
                <test target="pattern" name="slant" compare="not_eq"><const>roman</const></test>
                <edit name="matrix" mode="assign"><times><name>matrix</name>
                  <matrix><double>1</double><double>0.2</double><double>0</double><double>1</double></matrix></times></edit>
                <edit name="slant" mode="assign"><const>oblique</const></edit>
                <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
              </match>
              <match target="font">
                <test name="weight" compare="less_eq"><const>medium</const></test>
                <test target="pattern" name="weight" compare="more"><const>medium</const></test>
                <edit name="embolden" mode="assign"><bool>true</bool></edit>
                <edit name="weight" mode="assign"><const>bold</const></edit>
              </match>
            </fontconfig>

            """
    }

    private static func make() -> State {
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        guard let config = FcConfigCreate() else { return State(config: nil, error: "FcConfigCreate failed") }
        let text = xml(cacheDir: cacheDirectory)
        let parsed = text.withCString { p in
            p.withMemoryRebound(to: FcChar8.self, capacity: text.utf8.count + 1) { FcConfigParseAndLoadFromMemory(config, $0, 1) }
        }
        guard parsed != 0 else {
            FcConfigDestroy(config)
            return State(config: nil, error: "fontconfig could not parse Ridgepoint's font configuration")
        }
        guard FcConfigBuildFonts(config) != 0 else {
            FcConfigDestroy(config)
            return State(config: nil, error: "fontconfig could not scan \(fontDirectory)")
        }
        return State(config: config, error: nil)
    }
}
