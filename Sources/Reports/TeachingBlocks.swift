import DocumentLayout
import Foundation
import RidgepointCore

/// Exercise and worked-example blocks for the `teaching` template (from the Teaching module).
enum TeachingBlocks {
    static func blocks(_ d: DocMarkup.Directive, spec: Spec) throws -> [Block] {
        throw ReportBuilder.DirectiveError(message: "the teaching blocks are not wired in yet", help: nil)
    }
}
