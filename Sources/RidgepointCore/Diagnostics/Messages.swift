import Foundation
import RidgepointFormatting

/// The catalogue of user-facing error messages: each kind of mistake has one named
/// constructor, so its wording lives in one place and is tested once (`MessagesTests`).
/// Call sites say what went wrong (`Messages.unknown("format", f, field: "--format", among: …)`),
/// never how to phrase it.
///
/// Errors with a place in a spec or catalog are built from a `MessageText` (`Messages.Text`) and
/// the YAML node they concern (`YAMLValue.error(_:)`), so the wording stays here and the
/// location comes from the node; checks after the command-line overrides take the location from
/// `Spec.location(of:)` (a file line or a flag).
///
/// Sections: the families every reader shares (unknown, expected, missing, listed twice, …),
/// files and folders, reading files and YAML, specs, catalogs and model imports, measurements and
/// CSV, templates and directives, charts, teaching, help. `MessagesTests` fails when a source
/// file outside this one writes a message literal into an error.
public enum Messages {
    // MARK: - Names and values

    /// "unknown KIND 'VALUE'" with "did you mean 'x'?" for a near miss, else "use a, b or c".
    public static func unknown(_ kind: String, _ value: String, field: String?, among names: [String], file: String? = nil) -> RidgepointError {
        Text.unknown(kind, value, among: names).at(file: file, field: field)
    }

    /// "expected EXPECTED, got GOT" (a number out of range, a malformed value).
    public static func expected(_ expected: String, got: String, field: String?, file: String? = nil, help: String? = nil) -> RidgepointError {
        Text.expected(expected, got: got, help: help).at(file: file, field: field)
    }

    /// A required argument or option is absent: "missing WHAT", with what to give.
    public static func missing(_ what: String, field: String, help: String) -> RidgepointError {
        Text.missing(what, help: help).at(field: field)
    }

    /// "'ITEM' is listed twice".
    public static func listedTwice(_ item: String, field: String) -> RidgepointError {
        Text.listedTwice("'\(item)'").at(field: field)
    }

    /// "V is implausibly large (limit MAX)".
    public static func implausiblyLarge(_ value: Int, limit: Int, field: String) -> RidgepointError {
        Text.implausiblyLarge("\(value)", limit: "\(limit)").at(field: field)
    }

    /// A flag that needs another: "WHAT needs OTHER".
    public static func needs(_ what: String, _ other: String, field: String, help: String? = nil) -> RidgepointError {
        RidgepointError(field: field, message: "\(what) needs \(other)", help: help)
    }

    /// The texts of the families above without a location: spec and catalog readers attach
    /// their node's file, line, column and field path (`YAMLValue.error(_:)`).
    public enum Text {
        public static func unknown(_ kind: String, _ value: String, among names: [String]) -> MessageText {
            MessageText("unknown \(kind) '\(value)'", help: Suggest.help(value, in: names) ?? "use " + list(names))
        }
        public static func expected(_ expected: String, got: String, help: String? = nil) -> MessageText {
            MessageText("expected \(expected), got \(got)", help: help)
        }
        public static func missing(_ what: String, help: String? = nil) -> MessageText { MessageText("missing \(what)", help: help) }
        /// "missing required field 'KEY'".
        public static func missingField(_ key: String, help: String? = nil) -> MessageText {
            missing("required field '\(key)'", help: help)
        }
        /// "expected at least one WHAT".
        public static func atLeastOne(_ what: String, help: String? = nil) -> MessageText {
            MessageText("expected at least one \(what)", help: help)
        }
        /// "ITEM is listed twice" (ITEM already quoted or described).
        public static func listedTwice(_ item: String, help: String? = nil) -> MessageText { MessageText("\(item) is listed twice", help: help) }
        public static func implausiblyLarge(_ value: String, limit: String) -> MessageText {
            MessageText("\(value) is implausibly large (limit \(limit))")
        }
        public static func implausiblySmall(_ value: String, minimum: String) -> MessageText {
            MessageText("\(value) is implausibly small (minimum \(minimum))")
        }
        /// A list longer than `InputLimits` allows.
        public static func tooManyEntries(_ count: String, limit: String) -> MessageText {
            MessageText("the list has \(count) entries; the limit is \(limit)",
                        help: "a report cannot show that many; sample the range (e.g. powers of two) or split it into several specs")
        }
        /// "WHAT exceeds LIMIT" (a count larger than the count it is part of).
        public static func exceeds(_ what: String, _ limit: String) -> MessageText { MessageText("\(what) exceeds \(limit)") }
        /// "A is not a multiple of B".
        public static func notAMultiple(_ a: String, of b: String) -> MessageText { MessageText("\(a) is not a multiple of \(b)") }
        /// Two keys that say the same thing: "give either A or B, not both".
        public static func eitherNotBoth(_ a: String, _ b: String) -> MessageText { MessageText("give either \(a) or \(b), not both") }
    }

    // MARK: - Files and folders

    /// A spec path that is not a file (and, for `render`, not a subcommand either).
    public static func noSuchSpecFile(_ path: String, orSubcommand: Bool = false, help: String? = nil) -> RidgepointError {
        RidgepointError(file: path, message: orSubcommand ? "no such spec file (and no subcommand of that name)" : "no such spec file", help: help)
    }

    /// `init` would overwrite a file.
    public static func alreadyExists(_ path: String) -> RidgepointError {
        RidgepointError(file: path, message: "already exists", help: "pass --force to overwrite it, or name another file")
    }

    /// A built-in resource that the build should contain (only a broken build lacks one).
    public static func missingResource(_ what: String, file: String? = nil) -> RidgepointError {
        RidgepointError(file: file, message: "this build of Ridgepoint lacks \(what)")
    }

    /// A file that should hold JSON does not parse.
    public static func invalidJSON(_ file: String, _ detail: String) -> RidgepointError {
        RidgepointError(file: file, message: "not valid JSON: \(detail)")
    }

    /// Writing a file failed; `diskFull` marks a short write (ENOSPC and the like), `what` names
    /// the file's role ("the file", "the manifest").
    public static func cannotWrite(_ path: String, _ reason: String, what: String = "the file", diskFull: Bool = false, help: String? = nil) -> RidgepointError {
        let object = what.isEmpty ? "" : " " + what
        return RidgepointError(file: path, message: "cannot write\(object)\(diskFull ? " (disk full?)" : ""): \(reason)", help: help)
    }

    /// The last OS error as text.
    public static var osError: String { String(cString: strerror(errno)) }

    public static func cannotWriteStandardOutput(_ reason: String) -> RidgepointError {
        RidgepointError(message: "cannot write to standard output: \(reason)")
    }

    public static func isAFolder(_ path: String) -> RidgepointError {
        RidgepointError(file: path, message: "is a folder, not a file")
    }

    public static func notAFolder(_ path: String) -> RidgepointError {
        RidgepointError(file: path, message: "the output path exists and is not a folder")
    }

    public static func cannotCreateFolder(_ path: String, _ reason: String, output: Bool = false) -> RidgepointError {
        RidgepointError(file: path, message: "cannot create the \(output ? "output " : "")folder: \(reason)")
    }

    public static func refusedFileName(_ name: String, _ problem: String) -> RidgepointError {
        RidgepointError(file: name, message: "refusing to write an output file with this name: \(problem)")
    }

    public static func vanished(_ path: String) -> RidgepointError {
        RidgepointError(file: path, message: "the file vanished right after it was written")
    }

    public static func cannotMoveIntoPlace(_ path: String, _ reason: String) -> RidgepointError {
        RidgepointError(file: path, message: "cannot move the new file into place: \(reason)")
    }

    public static func cannotLock(_ folder: String, _ reason: String) -> RidgepointError {
        RidgepointError(file: folder, message: "cannot create the lock file: \(reason)")
    }

    public static func folderInUse(_ folder: String) -> RidgepointError {
        RidgepointError(file: folder, message: "another ridgepoint run is writing to this folder",
                        help: "wait for it to finish, or choose another folder with -o")
    }

    /// Rendering failed below the command (a Cairo or layout error).
    public static func cannotRender(_ what: String, _ error: Error, file: String? = nil) -> RidgepointError {
        RidgepointError(file: file, message: "cannot render \(what): \(error)")
    }

    // MARK: - Reading files and YAML

    /// Texts of reading an input file (a spec, catalog or measurement file): `what` names it.
    public enum Reading {
        public static func noSuchFile(_ what: String) -> MessageText { MessageText("no such \(what)") }
        public static func cannotRead(_ what: String, _ reason: String) -> MessageText { MessageText("cannot read the \(what): \(reason)") }
        public static func notRegular(_ what: String) -> MessageText {
            MessageText("the \(what) is not a regular file", help: "give the path of a YAML file (a folder, pipe or device cannot be read as a spec)")
        }
        public static func tooLarge(_ what: String, bytes: String, limit: Int) -> MessageText {
            MessageText("the \(what) is too large: \(bytes) bytes; the limit is \(limit) bytes",
                        help: "a spec lists GPUs, models and sizes; a file this large is probably not one")
        }
        public static func notUTF8(_ what: String) -> MessageText { MessageText("the \(what) is not UTF-8 text") }
        public static let emptyYAML = MessageText("the file is empty; expected a YAML mapping")
        public static func invalidYAML(_ problem: String) -> MessageText { MessageText("invalid YAML: \(problem)") }
        public static func duplicateKeys(_ keys: [String]) -> MessageText {
            MessageText("duplicate key \(keys.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                        help: "each key may appear once; remove or merge the repeated entries")
        }
        /// A key the mapping does not allow; near misses are suggested, else the allowed keys listed.
        public static func unknownKey(_ key: String, allowed: [String]) -> MessageText {
            MessageText("unknown key '\(key)'", help: Suggest.help(key, in: allowed) ?? "allowed keys: \(allowed.joined(separator: ", "))")
        }
        public static let keysArePlainNames = MessageText("mapping keys must be plain names")
        public static func textTooLong(_ count: String, limit: String, help: String? = nil) -> MessageText {
            MessageText("the text is \(count) characters long; the limit is \(limit)", help: help)
        }
    }

    // MARK: - Specs

    /// Texts of spec files that are about the spec as a whole (the located readers use `Text`).
    public enum Specs {
        public static let noGPUs = MessageText("the spec names no GPUs", help: "add e.g. `gpus: [h100-sxm, h200]`")
        public static let noModels = MessageText("the spec names no models", help: "add e.g. `models: [llama-3-70b]`")
        public static let priceWithoutValues = MessageText("expected usd_per_hour and/or capex_usd",
                                                           help: "e.g. `prices: {h100-sxm: {usd_per_hour: 2.1, capex_usd: 28000}}`")
        public static let tpGivenTwice = MessageText("the tensor-parallel degree is given twice, as gpus_per_replica and serving.tp", help: "keep one of them")
        public static let fittedNeedsMeasurements = MessageText("efficiency: fitted needs measurements to fit",
                                                                help: "add `measurements: [my-runs.csv]` (see `ridgepoint calibrate`)")
        public static func unknownEfficiency(_ name: String) -> MessageText {
            MessageText("unknown efficiency preset '\(name)'", help: Suggest.help(name, in: ["ideal", "calibrated"])
                            ?? "use ideal, calibrated, or a mapping {compute: 0.8, memory: 0.87, interconnect: 0.77, overhead_us: 300}")
        }
        public static func noScaleOut(gpu: String, domain: Int, replica: Int) -> MessageText {
            MessageText("GPU '\(gpu)' links \(domain) GPUs and has no scale-out bandwidth, so it cannot form replicas of \(replica) GPUs",
                        help: "add `scale_out_gbs: <GB/s>` to its entry, or use replicas of at most \(domain) GPUs")
        }
        public static func noInterconnect(gpu: String, replica: Int) -> MessageText {
            MessageText("GPU '\(gpu)' has no interconnect bandwidth, so it cannot form replicas of \(replica) GPUs",
                        help: "add `interconnect_gbs: <GB/s>` to its entry, or use gpus_per_replica: [1]")
        }
        /// `flags`: the contexts or phases came from the command line, so the help speaks of flags.
        public static func zeroContextPrefill(flags: Bool = false) -> MessageText {
            MessageText("a context of 0 tokens cannot be prefilled",
                        help: flags ? "use --context values of at least 1 token, or --phase decode" : "use contexts of at least 1 token, or `phases: [decode]`")
        }
        /// The matrix is over `Spec.maxCells`; `cells` is nil when the count overflowed.
        public static func matrixTooLarge(cells: Int?, gpus: Int, models: Int, batches: Int, contexts: Int, replicaSizes: Int,
                                          modes: Int, phases: Int, limit: Int) -> MessageText {
            let factors = [count(gpus, "GPU"), count(models, "model"), count(batches, "batch size"), count(contexts, "context"),
                           count(replicaSizes, "replica size"), count(modes, "serving mode"), count(phases, "phase")]
            return MessageText("the matrix has \(cells.map { count($0, "cell") } ?? "more than 9e18 cells") (\(factors.joined(separator: " × "))); the limit is \(Fmt.grouped(limit))",
                               help: "split the run or shorten some lists")
        }
        public static func tooManyModes(_ count: String, limit: Int) -> MessageText {
            MessageText("the lists sweep \(count) combinations of modes; the limit is \(limit)", help: "shorten the lists under serving, or split the run into several specs")
        }
        public static func ppAboveLayers(_ pp: Int, layers: Int, model: String) -> MessageText {
            MessageText("pp \(pp) is larger than the \(layers) layers of \(model)", help: "use at most \(layers) pipeline stages")
        }
        public static func epWithoutExperts(_ ep: Int, models: [String]) -> MessageText {
            MessageText("ep \(ep) needs a mixture-of-experts model; \(models.joined(separator: ", ")) \(models.count == 1 ? "has" : "have") no experts",
                        help: "remove ep, or add an MoE model such as deepseek-v3 or mixtral-8x7b")
        }
        public static func epAboveExperts(_ ep: Int, experts: Int, model: String) -> MessageText {
            MessageText("ep \(ep) is larger than the \(experts) experts of \(model)", help: "use at most \(experts) expert-parallel GPUs")
        }
        // `flags`: the serving mode came from the command line, so the advice names flags.
        public static func epNotATPDegree(_ ep: Int, tp: [Int], flags: Bool = false) -> MessageText {
            MessageText("ep \(ep) spreads the experts over a replica's tensor-parallel GPUs, but gpus_per_replica is \(tp.map(String.init).joined(separator: ", "))",
                        help: flags ? "add --gpus-per-replica \(ep)" : "add \(ep) to gpus_per_replica (or serving.tp)")
        }
        public static func dpAttentionBatch(tp: Int, smallestBatch: Int, flags: Bool = false) -> MessageText {
            MessageText("data-parallel attention over \(tp) GPUs needs at least \(tp) sequences, one per GPU, but the smallest batch size is \(smallestBatch)",
                        help: flags ? "use --batch values of at least \(tp), or drop --dp-attention" : "use batch sizes of at least \(tp), or drop data-parallel attention")
        }
        public static func splitNotWholeReplicas(prefill: Int, decode: Int, sizes: [Int], flags: Bool = false) -> MessageText {
            let n = sizes.min() ?? 1
            return MessageText("\(prefill):\(decode) GPUs is not a whole number of replicas of \(sizes.map(String.init).joined(separator: " or ")) GPU\(sizes == [1] ? "" : "s")",
                               help: flags ? "give --disaggregated P:D with P and D multiples of \(n)" : "give prefill_gpus and decode_gpus as multiples of \(n)")
        }
        public static func noKVNetwork(_ gpu: String, flags: Bool = false) -> MessageText {
            MessageText("\(gpu) has no scale-out network to ship the KV cache over",
                        help: flags ? "give the link bandwidth as a third number, e.g. --disaggregated 1:1:50 (GB/s)" : "add link_gbs: <GB/s> to disaggregated")
        }
        public static let mtpFalse = MessageText("mtp: false leaves the speculation without a draft", help: "give draft_model: <id>, or mtp: 1 (one layer per drafted token)")
        public static let speculationWithoutDraft = MessageText("the speculation needs a draft",
                                                                help: "add draft_model: <model id> or mtp: 1 (multi-token-prediction heads costing one layer per drafted token)")
    }

    // MARK: - Catalogs and model imports

    /// Texts of catalog entries (built-in or in a spec) and of Hugging Face config imports.
    public enum Catalogs {
        /// An unknown GPU or model: the nearest id if there is one, else all of them.
        public static func unknownEntry(_ kind: String, _ name: String, nearest: String?, all: [String], listCommand: String) -> MessageText {
            MessageText("unknown \(kind) '\(name)'", help: nearest.map { "did you mean '\($0)'?" }
                            ?? "known \(kind)s: \(all.joined(separator: ", ")); `ridgepoint catalog \(listCommand)` lists them")
        }
        public static func reportedAboveDatasheet(mib: String, datasheetGB: String) -> MessageText {
            MessageText("\(mib) MiB reported is more than the \(datasheetGB) GB of the datasheet",
                        help: "memory_reported_mib is what nvidia-smi or rocm-smi shows, in MiB (1 MiB = 1,048,576 bytes)")
        }
        public static func sparseBelowDense(sparse: String, dense: String) -> MessageText {
            MessageText("sparse peak \(sparse) TFLOPS is below the dense peak \(dense)")
        }
        public static let missingSixteenBitPeak = MessageText("missing a bf16 or fp16 peak",
                                                              help: "add `bf16_tflops: <dense TFLOPS>` or `peak_tflops: {bf16: {dense: …}}`")
        public static let missingPurchasePrice = MessageText("missing the purchase price", help: "add `capex_usd: <US dollars per GPU>` beside `capex:`")
        /// A price range bound on the wrong side of the price.
        public static func boundBeyondPrice(_ key: String, _ bound: String, _ side: String, price: String) -> MessageText {
            MessageText("\(key) \(bound) is \(side) the price \(price)")
        }
        public static func missingPrice(custom: Bool) -> MessageText {
            MessageText("missing a price", help: custom ? "add `usd_per_hour: <dollars per GPU-hour>`" : "add a `price` mapping")
        }
        public static let missingCalibrationSource = MessageText("missing 'source' for the calibration factors")
        public static func noHeadDim(hidden: Int, heads: Int) -> MessageText {
            MessageText("missing 'head_dim' and hidden_size \(hidden) is not a multiple of attention_heads \(heads)")
        }
        public static func invalidID(_ id: String, _ problem: String) -> MessageText {
            MessageText("invalid id '\(id)': \(problem)", help: "use letters, digits, '.', '_', '-' or '+', e.g. 'my-gpu-2'")
        }
        public static let noSuchModelPath = MessageText("no such file or folder", help: "give a config.json or the folder of a downloaded model snapshot")
        public static let noConfigJSON = MessageText("the folder holds no config.json",
                                                     help: "point at the folder of a Hugging Face snapshot (with config.json) or at the file itself")
        public static func unsupportedArchitecture(_ type: String, architecture: String, supported: String) -> MessageText {
            MessageText("cannot map model_type '\(type.isEmpty ? "missing" : type)'\(architecture.isEmpty ? "" : " (\(architecture))") to Ridgepoint's architecture model",
                        help: "supported: \(supported); or describe the model by hand in the spec (`models: [{id, layers, hidden_size, …}]`)")
        }
    }

    // MARK: - Charts

    /// Texts of charts that cannot be drawn from what they were given.
    public enum Charts {
        public static func needsData(_ chart: String, _ what: String) -> RidgepointError {
            RidgepointError(message: "the \(chart) chart needs \(what)")
        }
        public static func overCapacity(_ chart: String, gpus: Int, models: String, contexts: String, got: String) -> RidgepointError {
            RidgepointError(message: "one \(chart) chart draws at most \(gpus) GPUs, \(models) models and \(contexts) contexts; got \(got)",
                            help: "split the request with RidgepointChart.parts")
        }
        public static func noWinner(_ model: String, _ workload: String) -> RidgepointError {
            RidgepointError(message: "no GPU qualifies for \(model), \(workload), so there is no winner to vary",
                            help: "relax the workload's latency targets or add GPUs")
        }
        public static func nothingToVary(_ model: String, _ workload: String) -> RidgepointError {
            RidgepointError(message: "the tornado chart of \(model), \(workload) has no input to vary")
        }
        public static func noMeasuredPoint(gpus: [String], models: [String]) -> RidgepointError {
            RidgepointError(message: "the parity chart has no measured point for \(gpus.joined(separator: ", ")) and \(models.joined(separator: ", "))",
                            help: "give measurements of these GPUs and models (--measurements FILE or `measurements:` in the spec)")
        }
    }

    // MARK: - Teaching

    /// Texts of exercise sheets and the errata register.
    public enum Teaching {
        public static func sameGPU(_ id: String) -> RidgepointError {
            RidgepointError(field: "--compare-gpu", message: "GPU B is the same as GPU A ('\(id)')",
                            help: "compare two different GPUs, e.g. --gpu h100-sxm --compare-gpu h200")
        }
        public static let tooFewPricedGPUs = RidgepointError(message: "the catalog needs at least two priced GPUs for exercise variants")
        public static let noModelsForVariants = RidgepointError(message: "the catalog has no models for exercise variants")
        public static func noComputation(_ id: String) -> RidgepointError {
            RidgepointError(file: "errata/statements.json", field: id, message: "no computation for this statement")
        }
    }

    // MARK: - Measurements

    /// Texts of measurement files (CSV and vLLM result JSON).
    public enum Measurements {
        public static func emptyFile(requiredColumns: [String]) -> MessageText {
            MessageText("the measurement file is empty; expected a header line", help: "start with: " + requiredColumns.joined(separator: ","))
        }
        public static func tooManyRows(_ count: Int, limit: Int) -> MessageText {
            MessageText("\(count) measurements; the limit is \(limit)", help: "split the file, or sample the runs")
        }
        public static func rowWidth(_ fields: Int, header: Int) -> MessageText {
            MessageText("the row has \(count(fields, "field")); the header has \(header)", help: "quote a value that contains a comma")
        }
        public static let nothingMeasured = MessageText("nothing measured: tpot_ms, ttft_ms and output_tokens_per_s are all empty")
        public static func noGPU(file: String) -> MessageText {
            MessageText("a vLLM result does not say which GPU ran it",
                        help: "pass --gpu ID (and --gpus N), or list it in the spec as `measurements: [{file: \(file), gpu: h100-sxm, gpus: 1}]`")
        }
        public static let noConcurrencyLimit = MessageText("no concurrency limit was set, so the batch is unknown", help: "run the benchmark with --max-concurrency N")
        public static let noRequestCompleted = MessageText("no request completed")
        public static let noTokens = MessageText("fewer than one token per request")
    }

    /// Texts of CSV syntax errors.
    public enum CSV {
        public static let quoteInsideField = MessageText("a quote inside an unquoted field",
                                                         help: "quote the whole field and double the quotes inside it: \"say \"\"hi\"\"\"")
        public static let textAfterQuote = MessageText("text after a closing quote", help: "put the comma right after the closing quote")
        public static let unclosedQuote = MessageText("a quoted field is not closed")
    }

    // MARK: - Templates

    /// Texts of report templates: the folder and its files, Mustache structure, directives.
    public enum Templates {
        public static func unknownTemplate(_ name: String, builtIn: [String]) -> MessageText {
            MessageText("no built-in template or template folder by this name",
                        help: Suggest.help(name, in: builtIn).map { $0 + " (or a folder holding report.mustache)" }
                            ?? "use \(builtIn.joined(separator: ", ")) or a folder holding report.mustache")
        }
        public static func noMainFile(_ main: String) -> MessageText { MessageText("the template folder has no \(main)") }
        public static func tooManyFiles(_ count: Int, limit: Int) -> MessageText {
            MessageText("the template folder has \(count) .mustache files; the limit is \(limit)")
        }
        public static func leadsOutside(to real: String) -> MessageText {
            MessageText("the template file leads outside the template folder (to \(real))", help: "copy the file into the folder instead of linking to it")
        }
        public static let notRegularFile = MessageText("the template file is not a regular file")
        public static func fileTooLarge(_ bytes: Int64, limit: Int) -> MessageText { MessageText("the template file is \(bytes) bytes; the limit is \(limit)") }
        public static func filesTooLarge(limit: Int) -> MessageText { MessageText("the template files add up to more than \(limit) bytes") }
        public static let notUTF8 = MessageText("cannot read the template file as UTF-8 text")
        public static let wouldOverwrite = MessageText("the file exists; not overwriting it", help: "choose an empty folder")
        public static func syntax(_ detail: String, near: String? = nil) -> MessageText {
            MessageText("template syntax error: \(detail)", help: near.map { "near: \($0)" })
        }
        public static let notRendered = MessageText("the template could not be rendered")
        public static let dynamicPartial = MessageText("dynamic partials ({{>*name}}) are not supported", help: "name the partial directly, e.g. {{> header}}")
        public static func partialCycle(_ name: String, chain: String) -> MessageText {
            MessageText("partial '\(name)' includes itself (\(chain))", help: "remove the cycle of partials")
        }
        public static func tooDeep(limit: Int) -> MessageText {
            MessageText("sections and partials nest more than \(limit) deep here", help: "flatten the template")
        }
        /// A `::: note` (or warning, …) block without its closing `:::` line.
        public static func unclosedBlock(_ kind: String) -> MessageText { MessageText("the '::: \(kind)' block is never closed with a ':::' line") }
        public static let directiveWithoutName = MessageText("a ':::' line needs a directive name (chart, table, note, warning, erratum, pagebreak, …)")
        public static func badName(_ option: String, _ problem: String) -> MessageText {
            MessageText("\(option): \(problem)", help: "use letters, digits, '.', '_', '-' or '+'")
        }
        public static let chartsPerPairOnly = MessageText("expected '::: charts per-pair [kinds=roofline,cost-hyperbola]'")
        public static func tooManyCharts(limit: Int) -> MessageText {
            MessageText("the report would draw more than \(limit) charts", help: "narrow the spec's GPUs or models, or drop `::: charts per-pair` from the template")
        }
        public static func workloadOutOfRange(_ k: Int, count: Int) -> MessageText {
            MessageText("workload=\(k) is out of range", help: "the spec has \(Messages.count(count, "workload")); number them from 1")
        }
        public static let calibrationNeedsMeasurements = MessageText(
            "the calibration table needs measurements of the spec's GPUs",
            help: "add `measurements:` to the spec, or put the table inside {{#has_measurements}} … {{/has_measurements}}")
    }

    // MARK: - Help

    /// `ridgepoint help TOPIC` for a topic that is no subcommand (printed as it is, before parsing).
    public static func unknownHelpTopic(_ topic: String, topics: [String]) -> String {
        "error: no help topic '\(topic)'\n  help: " + (Suggest.help(topic, in: topics) ?? "topics: \(topics.joined(separator: ", "))")
    }

    // MARK: - Decisions

    /// No GPU meets any workload, so there is nothing to rank or vary.
    public static func noQualifyingGPU(models: [String], purpose: String) -> RidgepointError {
        RidgepointError(message: "no GPU qualifies for any workload of \(models.joined(separator: ", ")), so \(purpose)",
                        help: "relax the workloads' latency targets (slo), allow more GPUs per replica, or add GPUs")
    }

    // MARK: - Helpers

    /// "1 GPU", "6 GPUs", "2,000 batch sizes": a grouped count and its noun, plural unless 1.
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(Fmt.grouped(n)) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// "a", "a or b", "a, b or c".
    public static func list(_ names: [String], conjunction: String = "or") -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}

/// A message and its optional help line, before it is given a place (`at(…)`).
public struct MessageText: Sendable, Equatable {
    public var message: String
    public var help: String?
    public init(_ message: String, help: String? = nil) { self.message = message; self.help = help }

    public func at(file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil) -> RidgepointError {
        RidgepointError(file: file, line: line, column: column, field: field, message: message, help: help)
    }
}
