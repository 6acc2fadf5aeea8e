import Foundation

/// Pins the fonts Pango can see to the DejaVu directory, so that installing another font on the
/// machine does not change the output (fallbacks, subset names).
///
/// `pin()` writes a small fontconfig file to the temporary directory and sets `FONTCONFIG_FILE`.
/// It must run before the first Pango/fontconfig call in the process; `PangoTextMeasurer` and
/// `CairoCanvas` call it from their initialisers, and the CLI may call it at start-up.
/// Idempotent and thread-safe (the work happens once, in a lazily initialised `static let`).
public enum FontConfiguration {
    /// The only font directory fontconfig is told about.
    public static let fontDirectory = "/usr/share/fonts/truetype/dejavu"

    /// Runs the pinning once per process.
    public static func pin() { _ = state }

    /// The fontconfig file in use, nil when it could not be written (then the system fonts are used).
    public static var configFilePath: String? { state.path }

    /// Why pinning failed, nil when it worked.
    public static var pinningError: String? { state.error }

    private struct State: Sendable { var path: String?; var error: String? }

    private static let state: State = makeState()

    private static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func makeState() -> State {
        let tmp = NSTemporaryDirectory()
        let uid = getuid()
        let cacheDir = (tmp as NSString).appendingPathComponent("ridgepoint-fontconfig-cache-\(uid)")
        let confDir = (tmp as NSString).appendingPathComponent("ridgepoint-fontconfig-\(uid)")
        let confPath = (confDir as NSString).appendingPathComponent("fonts.conf")
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
            <!-- Written by Ridgepoint (CairoBackend.FontConfiguration): only the DejaVu fonts are visible. -->
            <fontconfig>
              <dir>\(xmlEscape(fontDirectory))</dir>
              <cachedir>\(xmlEscape(cacheDir))</cachedir>
              <include ignore_missing="yes">/etc/fonts/conf.d</include>
            </fontconfig>

            """
        let data = Data(xml.utf8)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: confDir, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
            if fm.contents(atPath: confPath) != data {
                // Write to a private name and rename: concurrent processes never see a partial file.
                let partial = confPath + ".\(getpid()).partial"
                try data.write(to: URL(fileURLWithPath: partial))
                guard rename(partial, confPath) == 0 else {
                    let err = String(cString: strerror(errno))
                    unlink(partial)
                    return State(path: nil, error: "cannot rename \(partial) to \(confPath): \(err)")
                }
            }
        } catch {
            return State(path: nil, error: "cannot write \(confPath): \(error)")
        }
        setenv("FONTCONFIG_FILE", confPath, 1)
        return State(path: confPath, error: nil)
    }
}
