import ArgumentParser
import Foundation
import SymdetectCore

/// `symdetect learning-curve`: measured learning curves with and without augmentation (SPEC §1, §3).
struct LearningCurveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-curve",
        abstract: "Measure kernel-ridge learning curves with and without augmentation and compare plateaus with predicted floors.",
        discussion: """
            For --repeats seeded random splits, a held-out test set of --test-size rows is set \
            aside (never augmented) and kernel ridge regression with a Gaussian kernel on \
            standardized coordinates is trained on the first N rows of the rest, for every size N \
            (default 16, 32, 64, … up to --max-n). Length scale and regularization are chosen by \
            5-fold cross-validation on the training set only (images of a sample stay in its \
            fold). Each --scheme trains on the same N rows augmented with the group the --op \
            operations generate (see `symdetect augment --help`); the Taylor model behind the \
            centre and the corrected labels is fitted on the non-test rows of each split.

            Prints mean ± sd of the test RMSE per size, the power law a·N^(−b) fitted to the \
            baseline in log–log space (b with its standard error), the measured gain ×g of \
            every augmented size (the baseline needs g·N samples for its RMSE; log–log \
            interpolation between measured sizes, ~ when extrapolated beyond them with the \
            slope of the baseline's end segment; at \
            most |G| for an exact group, less where the label varies across its mirror planes), \
            and for every scheme the plateau f fitted to sqrt((a(|G|N)^(−b))² + f²) next to the floor `symdetect analyze` \
            predicts from the whole dataset, with their ratio. --json writes all numbers \
            (schemaVersion 1; `analyze --learning-curve` reads its fitted a and b), --svg a \
            log–log plot. Both are written atomically.

            Molecular input (an .xyz/.extxyz file, or a CSV with --molecule O,H,H) is learned in \
            the dimensionless normal coordinates q1 … q(3N−6) of `symdetect analyze`; \
            --point-group augments with the point group of the equilibrium structure acting on \
            them, and --op 'reflect(q1)' with a mode reflection.

            The operations act about the centre of the Taylor model (--center; default: its \
            stationary point). Labels without a minimum, such as densities, need --center \
            origin or explicit coordinates. Runs can take minutes: the cost grows with the cube \
            of the largest training set (|G|·N rows when augmented; sizes beyond \
            --max-training-points are skipped) and of --cv-points; progress is shown on a \
            terminal.
            """
    )

    @OptionGroup(title: "Input")
    var input: InputOptions

    @OptionGroup(title: "Molecules")
    var moleculeOptions: MoleculeOptions

    @OptionGroup(title: "Taylor model (centre and corrections)")
    var model: FitOptions

    @Flag(name: .customLong("point-group"), help: "Molecular input: augment with the point group of the equilibrium structure acting on the normal coordinates (with any --op).")
    var pointGroup = false

    @OptionGroup(title: "Operations to augment with")
    var operationOptions: OperationOptions

    var operations: [OperationSpec] { operationOptions.operations }

    @Option(name: .customLong("scheme"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Augmentation scheme to measure (repeatable, or comma-separated): naive, hessian, taylor. Default: naive.",
        valueName: "scheme"))
    var schemes: [String] = []

    @Option(help: ArgumentHelp("Comma-separated training sizes, e.g. 16,32,64 (instead of the doubling grid).", valueName: "n,n,..."))
    var sizes: String?

    @Option(name: .customLong("max-n"), help: ArgumentHelp(
        "Largest training size of the doubling grid 16, 32, 64, … (default \(LearningCurveConfiguration.defaultMaximumSize), and at most the rows left after the test set).",
        valueName: "n"))
    var maxN: Int?

    @Option(help: ArgumentHelp("Random train/test splits per size.", valueName: "n"))
    var repeats: Int = 5

    @Option(name: .customLong("test-size"), help: ArgumentHelp(
        "Held-out test rows per split (default: a fifth of the rows, between 20 and 1000).", valueName: "n"))
    var testSize: Int?

    @Option(help: ArgumentHelp("Seed of the splits (the same seed gives the same numbers).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .customLong("max-training-points"), help: ArgumentHelp(
        "Skip sizes whose (augmented) training set would have more rows than this.", valueName: "n"))
    var maxTrainingPoints: Int = 4096

    @Option(name: .customLong("cv-points"), help: ArgumentHelp(
        "At most this many training rows (a sample with all its images counts as its rows) enter the cross-validation; the final model uses all of them.",
        valueName: "n"))
    var cvPoints: Int = HyperparameterGrid.standard.maximumPoints

    @Option(help: ArgumentHelp("Sampled members per continuous family (rotate(A,B,*), O3(A,B,C)).", valueName: "n"))
    var copies: Int = AugmentationGroup.defaultCopies

    @Flag(help: "Measure the hessian scheme even when the centre is not a minimum.")
    var force = false

    @Option(help: ArgumentHelp("Write all measured numbers as JSON to this file.", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Write a log–log plot of the curves as SVG to this file.", valueName: "path"))
    var svg: String?

    func validate() throws {
        if operations.isEmpty && !pointGroup {
            throw ValidationError("learning-curve needs at least one --op (e.g. --op 'reflect(x)'), or --point-group with molecular input")
        }
        _ = try parsedSchemes()
        if sizes != nil && maxN != nil { throw ValidationError("give either --sizes or --max-n, not both") }
        if let sizes { _ = try Self.parseSizes(sizes) }
        if let maxN, maxN < LearningCurveConfiguration.minimumSize {
            throw ValidationError("--max-n must be at least \(LearningCurveConfiguration.minimumSize), got \(maxN)")
        }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        if let testSize, testSize < 1 { throw ValidationError("--test-size must be at least 1, got \(testSize)") }
        if maxTrainingPoints < 2 { throw ValidationError("--max-training-points must be at least 2, got \(maxTrainingPoints)") }
        if copies < 1 { throw ValidationError("--copies must be at least 1, got \(copies)") }
        if cvPoints < 10 { throw ValidationError("--cv-points must be at least 10, got \(cvPoints)") }
        if let json, json.isEmpty { throw ValidationError("--json needs a file path") }
        if let svg, svg.isEmpty { throw ValidationError("--svg needs a file path") }
    }

    func parsedSchemes() throws -> [AugmentationScheme] {
        var out: [AugmentationScheme] = []
        for item in schemes.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) {
            guard let s = AugmentationScheme(rawValue: item) else {
                throw ValidationError("--scheme must be naive, hessian or taylor, got '\(item)'")
            }
            if !out.contains(s) { out.append(s) }
        }
        return out.isEmpty ? [.naive] : out
    }

    static func parseSizes(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 2 }) else {
            throw ValidationError("--sizes must be comma-separated integers ≥ 2 (e.g. 16,32,64), got '\(text)'")
        }
        return values.map { $0! }
    }

    func run() throws {
        let molecular = moleculeOptions.isMolecular(input)
        if !molecular, pointGroup {
            throw CommandFailure("--point-group applies to molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        if !molecular, let unused = moleculeOptions.givenMolecularOnly.first {
            throw CommandFailure("\(unused) applies to molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        // Molecular input: the table in dimensionless normal coordinates q1 … (SPEC §2b), with the
        // point group acting on them; the order is capped as the molecular analysis caps it.
        let molecule = molecular ? try moleculeOptions.readMolecule(input) : nil
        let table = try molecule?.table ?? input.readTable()
        try operationOptions.check(names: table.featureNames)
        var fit = model.configuration
        if let molecule, case let .fixed(k) = fit.order, k > molecule.summary.fitOrder { fit.order = .fixed(molecule.summary.fitOrder) }
        var configuration = LearningCurveConfiguration(
            operations: operationOptions.texts, schemes: try parsedSchemes(), sizes: try sizes.map(Self.parseSizes),
            repeats: repeats, testSize: testSize, seed: seed, fit: fit, copies: copies, force: force,
            maximumTrainingPoints: maxTrainingPoints)
        if pointGroup, let molecule { configuration.structureOperations = molecule.operations }
        if let maxN { configuration.maximumSize = maxN }
        configuration.grid.maximumPoints = cvPoints

        let progress = ProgressLine("learning curves")
        progress.show("fitting and predicting floors")
        defer { progress.finish() }
        var result: LearningCurveResult!
        do {
            try CommandFailure.inFile(input.data) {
                result = try LearningCurve.run(table, configuration, dataPath: input.data) { p in
                    progress.show("\(p.done)/\(p.total) models trained (\(p.message))")
                }
            }
        } catch let error as OperationSyntaxError {
            throw CommandFailure(error.description, exitCode: .usage)
        } catch let error as AugmentationError {
            throw CommandFailure("\(input.data): \(OptionWording.message(error))", exitCode: AugmentCommand.exitCode(for: error))
        } catch let error as LearningCurveError {
            throw CommandFailure("\(input.data): \(error.description)", exitCode: .usage)
        } catch let error as KernelRidgeError {
            throw CommandFailure("\(input.data): \(error.description)", exitCode: .dataError)
        }
        progress.finish()

        if let json { try AtomicFile.write(try result.jsonData(), to: json) }
        if let svg { try AtomicFile.write(result.svg, to: svg) }
        var text = result.textTable
        if let json { text += "JSON written to \(json)\n" }
        if let svg { text += "SVG written to \(svg)\n" }
        print(text, terminator: "")
        for warning in result.warnings {
            StandardError.write("symdetect: warning: \(warning)\n")
        }
    }
}
