import ArgumentParser
import Foundation
import RidgepointCharts
import RidgepointCore

/// Shell completions (`ridgepoint --generate-completion-script bash|zsh|fish`): catalog GPU and
/// model ids (after the last comma of a list), formats, templates, editions, conventions, spec files.
enum Completions {
    static let specFile = CompletionKind.file(extensions: ["yaml", "yml"])

    /// Catalog ids, completing the last item of a comma-separated list.
    static func ids(_ pick: @escaping @Sendable (Catalog) -> [String]) -> CompletionKind {
        .custom { _, _, prefix in
            let ids = (try? Catalog.builtIn()).map(pick) ?? []
            let head = prefix.lastIndex(of: ",").map { String(prefix[...$0]) } ?? ""
            return ids.map { head + $0 }.filter { $0.hasPrefix(prefix) }
        }
    }
    static var gpus: CompletionKind { ids { $0.gpus.map(\.id) } }
    static var models: CompletionKind { ids { $0.models.map(\.id) } }
    static let conventions = CompletionKind.list(Convention.all.map(\.name))
    static let editions = CompletionKind.list(Spec.editions)
    static let templates = CompletionKind.list(["procurement", "wiki", "teaching"])
    static let charts = CompletionKind.list(ChartKind.allCases.map(\.rawValue))
}
