import ArgumentParser
import Foundation
import SymdetectCore
import SymdetectReport

/// `symdetect analyze`: the whole pipeline of SPEC §2 — fit, candidate operations, both
/// invariance tests, verdicts, group, floors, recommendation — written as a Markdown report with
/// SVG figures and, with --json, the JSON document of SPEC §4.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find the label symmetries of a dataset and write a report with the augmentation to use.",
        discussion: """
            Fits a Taylor model about a centre (by default a stationary point), tests every \
            candidate operation (reflections, swaps, plane rotations, inversion, O(3) for x,y,z \
            columns, plus --op) with a Taylor (Wald) test and a model-free mirror test, and calls \
            each exact, approximate, absent or inconclusive. It then predicts the error floor of each \
            augmentation scheme (naive, hessian, taylor), the data-efficiency gain and the \
            crossover sample size, and recommends the augmentation with the exact `symdetect \
            augment` command.

            Writes the Markdown report (default reports/<data-name>.md) with its figures next to \
            it (<name>-learning-curve.svg, and <name>-mirror-<operation>.svg for each approximate \
            operation), and the JSON document with --json. Every file is written atomically: a \
            failed run leaves earlier reports untouched. The same input and options give \
            byte-identical files.

            Verdicts: exact (no breaking above the noise and the model's misfit, or one below \
            --exact-tolerance), approximate (broken, but some scheme's error floor is within \
            --target-error), absent (broken beyond it), inconclusive (the images fall outside \
            the data and the Taylor model is not adequate: neither test can speak; such an \
            operation is never in the group or the recommendation, and the report says what \
            data would decide it).

            Molecular frames (an .xyz/.extxyz file, or a CSV of x, y, z columns per atom with \
            --molecule O,H,H) are first aligned to the Eckart frame; the equilibrium, the \
            harmonic normal modes and the point group of the equilibrium structure are found, \
            and the analysis runs in dimensionless normal coordinates q1 … q(3N−6) with the \
            point-group operations tested like every candidate. The report then opens with a \
            Molecule section (formula, point group, equilibrium geometry, harmonic wavenumbers \
            with each mode's characters).

            With --fail-on, the exit status is 1 when an operation named with --op has the \
            verdict it fails on (absent; approximate, which also fails on absent; and \
            inconclusive, which fails every rule), for use as an audit step before training.
            """
    )

    @OptionGroup(title: "Input")
    var input: InputOptions

    @OptionGroup(title: "Molecules")
    var moleculeOptions: MoleculeOptions

    @OptionGroup(title: "Taylor model")
    var model: FitOptions

    @OptionGroup(title: "Analysis")
    var analysis: AnalyzeOptions

    @Option(help: ArgumentHelp(
        "Markdown report path (default: reports/<data-name>.md); figures are written next to it.",
        valueName: "path.md"))
    var report: String?

    @Option(help: ArgumentHelp(
        "Also write the analysis as JSON to this file.",
        valueName: "path.json"))
    var json: String?

    func validate() throws {
        if let report, report.isEmpty { throw ValidationError("--report needs a file path") }
        if let json, json.isEmpty { throw ValidationError("--json needs a file path") }
        if let report, let json, Self.samePath(report, json) {
            throw ValidationError("--report and --json name the same file '\(json)'")
        }
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// `reports/<data-name>.md` for `path/to/<data-name>.csv`.
    var reportPath: String {
        if let report { return report }
        let stem = (URL(fileURLWithPath: input.data).lastPathComponent as NSString).deletingPathExtension
        return "reports/\(stem.isEmpty ? "report" : stem).md"
    }

    func run() throws {
        let molecular = moleculeOptions.isMolecular(input)
        if !molecular, let unused = moleculeOptions.givenMolecularOnly.first {
            throw CommandFailure("\(unused) applies to molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        // The input's SHA-256 (provenance in the report) is computed on another thread while the
        // file is read.
        let digestTask = InputDigest(path: input.data)
        let molecule = molecular ? try moleculeOptions.readMolecule(input) : nil
        let table = try molecule?.table ?? input.readTable()
        // Both cores parse a large CSV, so the digest may end after the table is read: it is
        // awaited here, so that it does not run into the analysis's first stage and take a core
        // (and its working memory) from it.
        let digest = digestTask.value
        try analysis.operationOptions.check(names: table.featureNames)
        let configuration = try analysisConfiguration()

        let status = ProgressLine("analyzing", enabled: !analysis.quiet && ProgressLine.stderrIsTerminal)
        var result: AnalysisResult!
        do {
            try CommandFailure.inFile(input.data) {
                if let molecule {
                    result = try Analyzer.run(molecule, configuration) { stage in status.show(Wording.progress(stage)) }
                } else {
                    result = try Analyzer.run(table, configuration) { stage in status.show(Wording.progress(stage)) }
                }
            }
        } catch let error as OperationSyntaxError {
            status.finish()
            throw CommandFailure(error.description, exitCode: .usage)
        }
        status.show("writing the report")
        defer { status.finish() }

        // Everything is rendered in memory first; files are written only once all of it exists.
        let path = reportPath
        let reportURL = URL(fileURLWithPath: path)
        let stem = (reportURL.lastPathComponent as NSString).deletingPathExtension
        var context = ReportContext(
            inputPath: input.data, inputSHA256: digest, toolVersion: Symdetect.configuration.version,
            units: analysis.trimmedUnits ?? molecule.flatMap { $0.labelIsEnergy ? $0.summary.energyUnit.rawValue : nil }, figureStem: stem.isEmpty ? "report" : stem, command: reproduceCommand,
            augmentOptions: moleculeOptions.arguments + passthroughArguments, learningCurvePath: analysis.slope == nil ? analysis.learningCurveFile : nil)
        // Frames in, frames out: augment writes geometries with energies and forces.
        let inputExtension = (input.data as NSString).pathExtension.lowercased()
        if molecule != nil, ["xyz", "extxyz"].contains(inputExtension) { context.augmentedExtension = inputExtension }
        let rendered = AnalysisReport.render(result, context: context)
        let document = AnalysisDocument(
            result: result, input: InputSection(path: input.data, table: table),
            provenance: ProvenanceEntry(version: Symdetect.configuration.version, inputSHA256: digest), context: context)
        let jsonData = try json.map { _ in try document.jsonData() }

        let directory = reportURL.deletingLastPathComponent()
        // The figures are written concurrently (each is flushed to disk before its rename: the
        // waits overlap); the report itself last, once they all exist.
        let figures = rendered.figures
        var failures = [Error?](repeating: nil, count: figures.count)
        failures.withUnsafeMutableBufferPointer { buffer in
            let slots = FailureSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: figures.count) { k in
                do { try AtomicFile.write(figures[k].contents, to: directory.appendingPathComponent(figures[k].name).path) } catch { slots[k] = error }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        if let json, let jsonData { try AtomicFile.write(jsonData, to: json) }
        try AtomicFile.write(rendered.markdown, to: path)
        status.finish()

        var summary = AnalyzeSummary(result: result, context: context).text
        summary += "\nReport written to \(path)\n"
        if let json { summary += "JSON written to \(json)\n" }
        print(summary, terminator: "")
        for warning in result.warnings {
            StandardError.write("symdetect: warning: \(Wording.warning(warning, labelName: result.labelName))\n")
        }
        try audit(result)
    }

    func analysisConfiguration() throws -> AnalysisConfiguration {
        var c = AnalysisConfiguration(fit: model.configuration, transform: analysis.transformChoice,
                                      operations: analysis.operations, onlyListedOperations: analysis.onlyOperations)
        if let alpha = analysis.alpha { c.alpha = alpha }
        c.targetError = analysis.targetError
        c.exactTolerance = analysis.exactTolerance
        switch analysis.learningCurveChoice {
        case .quick: c.learningCurvePlan = .quick
        case .full: c.learningCurvePlan = .full(maximumSize: analysis.maxN ?? LearningCurveConfiguration.defaultMaximumSize)
        case .off: break
        case .file(let path):
            let measured = try LearningCurveResult.load(path: path)
            c.slope = measured.slope
            c.prefactor = measured.prefactor
            c.learningCurveSource = .measured
        }
        if let slope = analysis.slope {
            c.slope = slope
            c.learningCurveSource = .givenSlope
        }
        return c
    }

    /// The input and fit options that differ from their defaults, so the printed `augment`
    /// command reads the same columns and fits the same model.
    var passthroughArguments: [String] {
        var out: [String] = []
        if let label = input.label { out += ["--label", label.trimmingCharacters(in: .whitespaces)] }
        if let features = input.features { out += ["--features", InputOptions.splitNames(features).joined(separator: ",")] }
        if let delimiter = input.delimiter { out += ["--delimiter", delimiter] }
        if model.order != "4" { out += ["--order", model.order] }
        if model.center.lowercased() != "auto" { out += ["--center", model.center] }
        if let radius = model.radius { out += ["--radius", radius] }
        return out
    }

    /// `symdetect analyze DATA [options]` without the output paths (which do not change the
    /// content), quoted for a POSIX shell.
    var reproduceCommand: String {
        (["symdetect", "analyze", input.data] + moleculeOptions.arguments + passthroughArguments + analysis.arguments)
            .map(Shell.quote).joined(separator: " ")
    }

    /// `--fail-on`: exit 1 when an audited operation has a failing verdict. The --op texts are
    /// matched to the results by canonical name, or by matrix when the analysis merged an --op
    /// with an equal default candidate.
    func audit(_ result: AnalysisResult) throws {
        guard let rule = analysis.failRule else { return }
        var failures: [String] = []
        for spec in analysis.operations {
            guard let op = try? spec.resolve(names: result.featureNames, modes: result.symmetryAdaptedModes.eigenvectors) else { continue }
            let match = result.operations.first { $0.name == op.name }
                ?? result.operations.first { !$0.operation.isContinuous && !op.isContinuous && $0.operation.matrix.maxAbsDifference(op.matrix) < 1e-12 }
            guard let match else {
                StandardError.write("symdetect: warning: --fail-on: \(op.name) was not among the tested operations\n")
                continue
            }
            if rule.fails(match.verdict) { failures.append("\(match.name) is \(match.verdict.rawValue)") }
        }
        if !failures.isEmpty {
            CommandFailure.report("--fail-on \(rule.rawValue): \(failures.joined(separator: "; "))")
            throw ExitCode(1)
        }
    }
}

/// The short plain summary `analyze` prints on stdout.
struct AnalyzeSummary {
    let result: AnalysisResult
    let context: ReportContext

    var text: String {
        let f = { (x: Double) in NumberFormatting.format(x, digits: 3) }
        let u = context.units.map { " \($0)" } ?? ""
        var out = "\(context.inputPath): \(result.rowCount) rows; coordinates \(result.featureNames.joined(separator: ", ")); label \(result.labelName)\n"
        if let m = result.molecule { out += MoleculeOptions.summaryLine(m) }
        let fit = result.fit
        out += "centre (\(Wording.centerKindCode(fit.center.kind))): " + zip(result.featureNames, fit.fit.center).map { "\($0) = \(NumberFormatting.format($1))" }.joined(separator: ", ") + "\n\n"
        var rows: [[String]] = [["operation", "verdict", "decided by", "p (Holm)", "lowest floor"]]
        for op in result.operations {
            rows.append([op.name, op.verdict.rawValue, op.decidedBy?.rawValue ?? "-",
                         (Wording.pValueDecides(op) ? op.adjustedPValue : nil).map { $0 == 0 ? "<1e-300" : NumberFormatting.format($0, digits: 2) } ?? "-",
                         op.verdict == .exact || op.verdict == .inconclusive ? "-" : op.bestFloor.map { f($0) + u + (op.bestScheme.map { " (\($0.rawValue))" } ?? "") } ?? "-"])
        }
        for line in Self.leftAligned(rows) { out += "  " + line + "\n" }
        out += "\n"
        let group = result.group
        if group.isContinuous {
            out += "exact group: continuous (\(group.generators.joined(separator: ", ")))\n"
        } else if let order = group.order {
            out += "exact group: order \(order)" + (group.generators.isEmpty ? "" : " (\(group.generators.joined(separator: ", ")))") + "\n"
        }
        let rec = result.recommendation
        if rec.operations.isEmpty {
            out += "recommendation: no augmentation\n"
        } else {
            var line = "recommendation: augment with \(rec.operationNames.joined(separator: ", ")) (\(rec.scheme.rawValue) scheme)"
            line += rec.gainFactor.map { ", gain ×\($0)" } ?? ", continuous group"
            if rec.floor > 0 { line += ", floor \(f(rec.floor))\(u)" }
            if let n = rec.crossoverN { line += ", helps up to N ≈ \(f(n))" }
            out += line + "\n"
            if let command = context.augmentCommand(rec) { out += "  \(command)\n" }
        }
        return out
    }

    /// Columns padded to a common width, left-aligned, two spaces apart, no trailing blanks.
    static func leftAligned(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (j, cell) in row.enumerated() {
                if j == widths.count { widths.append(0) }
                widths[j] = max(widths[j], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { j, cell in cell + String(repeating: " ", count: widths[j] - cell.count) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}

/// Distinct slots concurrent file writes report their errors to (each index once).
private struct FailureSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Error?>
    init(_ base: UnsafeMutableBufferPointer<Error?>) { self.base = base }
    subscript(i: Int) -> Error? {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
