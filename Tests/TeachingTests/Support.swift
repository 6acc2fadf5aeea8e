import Canvas
import DocumentLayout
import Foundation
import Testing
@testable import RidgepointCore
@testable import Teaching

let catalog: Catalog = {
    do { return try Catalog.builtIn() } catch { fatalError("built-in catalog failed to load: \(error)") }
}()

/// |a − b| ≤ tol·|b|
func close(_ a: Double?, _ b: Double, rel tol: Double = 0.005) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tol * abs(b)
}

func sheet(variant: Int = 0, convention: Convention = .physical, edition: Edition = .instructor,
           gpuA: String? = nil, gpuB: String? = nil, model: String? = nil) throws -> ExerciseSheet {
    try Teaching.exerciseSheet(TeachingOptions(variant: variant, gpuA: gpuA, gpuB: gpuB, model: model,
                                               convention: convention, edition: edition), catalog: catalog)
}

func ex(_ s: ExerciseSheet, _ id: String) throws -> Exercise {
    try #require(s.exercise(id))
}

func worked(_ o: WorkedOptions = .init()) throws -> [Exercise] { try WorkedExamples.all(o, catalog: catalog) }

func example(_ id: String, _ o: WorkedOptions = .init()) throws -> Exercise {
    try #require(try worked(o).first { $0.id == id })
}

/// Every text of a block list as the Pango markup it is drawn with, for well-formedness checks.
func markupStrings(_ blocks: [Block]) -> [String] {
    var out: [RichText] = []
    for b in blocks {
        switch b {
        case .heading(_, let t, _), .paragraph(let t), .lead(let t), .formula(let t): out.append(t)
        case .bullets(let xs), .numbered(let xs): out += xs
        case .table(let t): out += t.columns.map(\.title) + t.rows.flatMap { $0 } + [t.caption].compactMap { $0 }
        case .note(let n): out += [n.title].compactMap { $0 } + n.paragraphs
        case .figure(let f): out.append(f.caption)
        case .code, .pageBreak, .spacer: break
        }
    }
    return out.map(\.pangoMarkup)
}

/// A small check that `s` is well-formed Pango markup: only known tags, balanced, entities valid.
func wellFormedMarkup(_ s: String) -> Bool {
    var stack: [String] = []
    var i = s.startIndex
    let known: Set<String> = ["b", "i", "span", "tt", "sub", "sup", "u", "s", "big", "small"]
    while i < s.endIndex {
        let c = s[i]
        if c == "<" {
            guard let close = s[i...].firstIndex(of: ">") else { return false }
            let inner = s[s.index(after: i)..<close]
            if inner.hasPrefix("/") {
                let name = String(inner.dropFirst())
                guard stack.popLast() == name else { return false }
            } else {
                let name = String(inner.split(separator: " ").first ?? "")
                guard known.contains(name) else { return false }
                if !inner.hasSuffix("/") { stack.append(name) }
            }
            i = s.index(after: close)
            continue
        }
        if c == "&" {
            guard let semi = s[i...].firstIndex(of: ";") else { return false }
            let ent = String(s[s.index(after: i)..<semi])
            guard ["amp", "lt", "gt", "apos", "quot"].contains(ent) || ent.hasPrefix("#") else { return false }
            i = s.index(after: semi)
            continue
        }
        if c == ">" { return false }
        i = s.index(after: i)
    }
    return stack.isEmpty
}
