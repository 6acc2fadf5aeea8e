// swift-tools-version:6.0
// Ridgepoint: LLM inference-hardware economics, from a spec to charts and reports.
//
// Module graph (arrows point from user to used):
//
//   ridgepoint (CLI) ─┬─► Reports ─┬─► DocumentLayout ─► Canvas
//                     │            ├─► Teaching ─► RidgepointCore, DocumentLayout
//                     │            ├─► RidgepointCharts ─► ChartEngine ─► Canvas
//                     │            │          └──────────► RidgepointCore
//                     │            └─► CairoBackend ─► Canvas, CCairoPango (system library)
//                     └─► RidgepointCore (physics, catalogs, spec) ─► Yams, RidgepointResources
//
// RidgepointFormatting (numbers, JSON strings, Markdown tables) is a leaf every module may use.
// RidgepointCore imports no drawing code; ChartEngine and DocumentLayout know nothing of
// LLMs; only CairoBackend imports the C module.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Ridgepoint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ridgepoint", targets: ["ridgepoint"]),
        .library(name: "RidgepointCore", targets: ["RidgepointCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // Locale-independent number formatting, JSON string escaping, the Markdown table layout and fingerprints.
        .target(name: "RidgepointFormatting", swiftSettings: strict),
        // The catalogs, the default spec and the built-in templates, compiled into the executable
        // (generated from the files beside it by `scripts/embed-resources`), so that a copy of the
        // binary alone works anywhere.
        .target(name: "RidgepointResources", exclude: ["catalog", "specs", "templates", "measurements"], swiftSettings: strict),
        // Physics, catalogs, spec files, the evaluation layer and its writers. No drawing, no files written.
        .target(
            name: "RidgepointCore",
            dependencies: ["RidgepointFormatting", "RidgepointResources", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        // The vector canvas protocol, geometry and the recording canvas.
        .target(name: "Canvas", swiftSettings: strict),
        // Output folders: atomic writes, the folder lock.
        .target(name: "RidgepointOutput", dependencies: ["RidgepointCore", "RidgepointFormatting"], swiftSettings: strict),
        // Cairo + Pango, reached through pkg-config.
        .systemLibrary(
            name: "CCairoPango", path: "Sources/CCairoPango", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        // The only module that imports CCairoPango: PDF, SVG and PNG from one Canvas.
        .target(name: "CairoBackend", dependencies: ["Canvas", "CCairoPango"], swiftSettings: strict),
        // Scales, ticks, axes, legends, label placement: a chart engine that knows nothing of LLMs.
        .target(name: "ChartEngine", dependencies: ["Canvas", "RidgepointFormatting"], swiftSettings: strict),
        // The nine Ridgepoint chart types, from evaluated data to ChartEngine charts.
        .target(name: "RidgepointCharts", dependencies: ["ChartEngine", "RidgepointCore", "RidgepointFormatting"], swiftSettings: strict),
        // Page layout: headings, paragraphs, lists, tables, figures, TOC, outline; PDF/SVG pages and Markdown.
        .target(name: "DocumentLayout", dependencies: ["Canvas", "RidgepointFormatting"], swiftSettings: strict),
        // Exercises with worked solutions, editions and variants.
        .target(name: "Teaching", dependencies: ["RidgepointCore", "RidgepointFormatting", "RidgepointResources", "DocumentLayout", "Canvas"], swiftSettings: strict),
        // Spec → templates → documents, charts and data files in an output folder.
        .target(
            name: "Reports",
            dependencies: [
                "RidgepointCore", "RidgepointFormatting", "RidgepointOutput", "RidgepointCharts", "ChartEngine", "DocumentLayout",
                "Teaching", "Canvas", "CairoBackend", "RidgepointResources",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "ridgepoint",
            dependencies: [
                "RidgepointCore", "RidgepointFormatting", "RidgepointCharts", "CairoBackend", "ChartEngine", "Canvas", "Reports", "RidgepointOutput",
                "Teaching", "DocumentLayout",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Helpers shared by the test targets: the one child-process runner (the built binary, qpdf,
        // pdffonts, …) and temporary folders.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "RidgepointCoreTests", dependencies: ["RidgepointCore", "RidgepointFormatting", "RidgepointResources", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CanvasTests", dependencies: ["Canvas"], swiftSettings: strict),
        .testTarget(name: "CairoBackendTests", dependencies: ["CairoBackend", "Canvas", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ChartEngineTests", dependencies: ["ChartEngine", "Canvas", "CairoBackend", "RidgepointFormatting"], swiftSettings: strict),
        .testTarget(
            name: "RidgepointChartsTests",
            dependencies: ["RidgepointCharts", "ChartEngine", "Canvas", "CairoBackend", "RidgepointCore", "RidgepointFormatting", "TestSupport"],
            exclude: ["Golden", "Snapshots"],
            swiftSettings: strict),
        .testTarget(name: "RidgepointCLITests", dependencies: ["RidgepointCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DocumentLayoutTests", dependencies: ["DocumentLayout", "Canvas", "CairoBackend", "TestSupport"], exclude: ["Snapshots"], swiftSettings: strict),
        .testTarget(name: "TeachingTests", dependencies: ["Teaching", "RidgepointCore", "RidgepointFormatting", "DocumentLayout", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "RidgepointCore", "RidgepointFormatting", "RidgepointOutput", "DocumentLayout", "Canvas", "CairoBackend", "Teaching", "TestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: strict),
    ]
)
