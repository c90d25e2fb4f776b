import Foundation

/// What `learning-curve` measures and how.
public struct LearningCurveConfiguration: Sendable {
    /// `--op` strings; their group (with `structureOperations`) is used for augmentation.
    public var operations: [String]
    /// Operations given as matrices rather than named, e.g. a molecule's point group acting on
    /// its normal coordinates (`MolecularTable.operations`); added to the parsed ones.
    public var structureOperations: [SymmetryOperation] = []
    public var schemes: [AugmentationScheme]
    /// Explicit training sizes; nil = 16, 32, 64, … up to `maximumSize` and the rows left after
    /// the test set.
    public var sizes: [Int]?
    public var maximumSize: Int
    public var repeats: Int
    /// Held-out test rows per split; nil = min(1000, max(20, rows/5)).
    public var testSize: Int?
    public var seed: UInt64
    /// Fit options: the centre the operations act about and the Taylor model of the corrected schemes.
    public var fit: FitConfiguration
    /// Sampled members per continuous family.
    public var copies: Int
    /// Use the `hessian` scheme on a centre that is not a minimum.
    public var force: Bool
    public var grid: HyperparameterGrid
    /// Sizes whose (augmented) training set would exceed this many rows are skipped.
    public var maximumTrainingPoints: Int
    /// Run `Analyzer.run` on the whole dataset for the predicted floors.
    public var predictFloors: Bool
    /// Repeats run concurrently (results do not depend on it).
    public var parallel: Bool

    public static let defaultMaximumSize = 1024
    public static let minimumSize = 16

    public init(operations: [String], schemes: [AugmentationScheme] = [.naive], sizes: [Int]? = nil,
                maximumSize: Int = LearningCurveConfiguration.defaultMaximumSize, repeats: Int = 5, testSize: Int? = nil,
                seed: UInt64 = 1, fit: FitConfiguration = .init(), copies: Int = AugmentationGroup.defaultCopies,
                force: Bool = false, grid: HyperparameterGrid = .standard, maximumTrainingPoints: Int = 4096,
                predictFloors: Bool = true, parallel: Bool = true) {
        self.operations = operations
        self.schemes = schemes
        self.sizes = sizes
        self.maximumSize = maximumSize
        self.repeats = repeats
        self.testSize = testSize
        self.seed = seed
        self.fit = fit
        self.copies = copies
        self.force = force
        self.grid = grid
        self.maximumTrainingPoints = maximumTrainingPoints
        self.predictFloors = predictFloors
        self.parallel = parallel
    }

    public static func defaultTestSize(rows: Int) -> Int { min(1000, max(20, rows / 5)) }

    /// 16, 32, … ≤ min(maximumSize, available).
    public static func doublingSizes(available: Int, maximumSize: Int) -> [Int] {
        var out: [Int] = []
        var n = minimumSize
        while n <= min(available, maximumSize) { out.append(n); n *= 2 }
        return out
    }
}

/// A learning-curve setting that cannot be run (a usage problem, e.g. sizes beyond the data).
public struct LearningCurveError: Error, CustomStringConvertible, Equatable, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Progress of a running measurement: `done` of `total` model trainings.
public struct LearningCurveProgress: Sendable {
    public let done: Int
    public let total: Int
    public let message: String
}

/// Learning curves with and without augmentation (SPEC §1, §3 `learning-curve`).
///
/// For each of `repeats` seeded random splits: a held-out test set of fixed size (never
/// augmented), the rest a pool whose first N rows are the training set at size N (nested sets).
/// At every size, kernel ridge regression (Gaussian kernel, (ℓ, λ) by k-fold cross-validation on
/// the training set only) is trained on the training set (baseline) and, for each scheme, on the
/// training set augmented with the group the operations generate; MAE and RMSE on the test set
/// are recorded. The Taylor model behind the operations' centre and the corrected schemes' labels
/// is fitted once per split on the pool (all non-test rows), as `augment` would be run on all the
/// data at hand; the test rows never enter it.
///
/// Then e(N) = a·N^(−b) is fitted to the baseline's mean RMSE in log–log space, and every
/// augmented size gets its measured data gain (`BaselineCurve`: the baseline size with the same
/// error, over N), to set beside |G|. Each scheme's
/// plateau — the mean RMSE of its last two sizes once the curve has flattened, else f fitted as in
/// `PlateauFit` — is compared with the floor `Analyzer.run` predicts on the whole dataset (for several operations, the root-sum-square of their floors — exact for
/// breakings that are orthogonal over the data, an estimate otherwise).
public enum LearningCurve {
    public static func run(_ table: SampleTable, _ configuration: LearningCurveConfiguration, dataPath: String = "DATA.csv",
                           progress: (@Sendable (LearningCurveProgress) -> Void)? = nil) throws -> LearningCurveResult {
        let c = configuration
        guard !c.operations.isEmpty || !c.structureOperations.isEmpty else { throw AugmentationError.noOperations }
        guard c.repeats >= 1 else { throw LearningCurveError("the number of repeats must be at least 1, got \(c.repeats)") }
        var schemes: [AugmentationScheme] = []
        for s in c.schemes where !schemes.contains(s) { schemes.append(s) }
        let testSize = c.testSize ?? LearningCurveConfiguration.defaultTestSize(rows: table.count)
        guard testSize >= 1 else { throw LearningCurveError("the test set needs at least one row, got \(testSize)") }
        let available = table.count - testSize
        guard available >= 2 else {
            throw LearningCurveError("\(table.count) rows leave \(max(available, 0)) for training after a test set of \(testSize): too few")
        }
        let sizes: [Int]
        if let given = c.sizes {
            sizes = Array(Set(given)).sorted()
            guard let smallest = sizes.first, smallest >= 2 else { throw LearningCurveError("training sizes must be at least 2") }
            if let largest = sizes.last, largest > available {
                throw LearningCurveError("training size \(largest) exceeds the \(available) rows left after a test set of \(testSize) (of \(table.count))")
            }
        } else {
            sizes = LearningCurveConfiguration.doublingSizes(available: available, maximumSize: c.maximumSize)
            guard !sizes.isEmpty else {
                throw LearningCurveError("\(available) rows left after a test set of \(testSize): the smallest training size is \(LearningCurveConfiguration.minimumSize)")
            }
        }

        // The operations, their group, and an early check of the schemes on the whole data.
        let fullFit = try FitPipeline.run(table, c.fit)
        let operations = try c.operations.map { try OperationParser.parse($0, names: table.featureNames, modes: fullFit.hessian.eigenvectors) }
            + c.structureOperations
        let group = try AugmentationGroup(operations: operations, featureNames: table.featureNames, copies: c.copies)
        var warnings: [String] = []
        for s in schemes {
            let a = try Augmenter(group: group, polynomial: fullFit.fit.polynomial, stationaryKind: fullFit.hessian.kind,
                                  hessianEigenvalues: fullFit.hessian.eigenvalues, scheme: s, force: c.force)
            warnings += a.warnings.map { "\(s.rawValue): \($0)" }
        }

        // Predicted floors.
        var predicted: [PredictedOperationFloors] = []
        if c.predictFloors {
            var analysisConfiguration = AnalysisConfiguration(fit: c.fit, operations: try c.operations.map(OperationSpec.init(parsing:)), onlyListedOperations: true)
            analysisConfiguration.extraOperations = c.structureOperations
            let analysis = try Analyzer.run(table, analysisConfiguration)
            for name in operations.map(\.name) {
                guard let r = analysis.operations.first(where: { $0.name == name }) else { continue }
                // An exact operation imposes no floor: its estimated floors only measure the
                // noise of the estimate, so it contributes zero.
                let floors = r.verdict == .exact ? Self.zeroFloors : Self.finite(r.floors)
                predicted.append(PredictedOperationFloors(operation: name, verdict: r.verdict.rawValue, floors: floors))
            }
        }

        // The measurements, one task per split.
        let measured = try measure(table, augmentations: schemes.map { AugmentationRun(group: group, scheme: $0, name: $0.rawValue) },
                                   sizes: sizes, testSize: testSize, configuration: c, progress: progress) { pool in
            // The Taylor model of each split is fitted on its pool (never the test rows);
            // convexity was checked on the whole dataset, a split's refit may wobble.
            let fit = try FitPipeline.run(pool, c.fit)
            return try schemes.map {
                try Augmenter(group: group, polynomial: fit.fit.polynomial, stationaryKind: fit.hessian.kind,
                              hessianEigenvalues: fit.hessian.eigenvalues, scheme: $0, force: true)
            }
        }
        let baseline = measured.baseline
        let augmented = measured.augmented
        let power = measured.power
        let fitSummary = power.map { PowerLawSummary(prefactor: $0.prefactor, slope: $0.slope, slopeStderr: $0.slopeStandardError, sizes: $0.sizes) }
        if let power, power.slope <= 0 {
            warnings.append("the baseline RMSE does not fall with N (fitted slope \(NumberFormatting.format(power.slope, digits: 3))): the comparison with predicted floors is not meaningful")
        }

        let baselineCurve = BaselineCurve(sizes: baseline.sizes, errors: baseline.points.map(\.rmseMean), slope: power?.slope)
        let gains = augmented.map { s in
            GainSummary(scheme: s.scheme, groupOrder: group.order,
                        perSize: s.points.compactMap { baselineCurve.gain(n: $0.n, error: $0.rmseMean) })
        }

        let method = predicted.count == 1 ? "the operation's floor" : "root-sum-square of the operations' floors"
        let comparisons = zip(schemes, augmented).map { scheme, s -> PlateauComparison in
            let done = s.points.filter { $0.rmseMean != nil }
            let fitted = power.flatMap { PlateauFit.floor(sizes: s.sizes, errors: s.points.map(\.rmseMean), baseline: $0.model, factor: Double(group.order)) }
            let lastTwo = done.suffix(2)
            let rmseLast = lastTwo.isEmpty ? nil : mean(lastTwo.map { $0.rmseMean! })
            let maeLast = lastTwo.isEmpty ? nil : mean(lastTwo.map { $0.maeMean! })
            let reached = done.count >= 2 && done[done.count - 1].rmseMean! >= 0.85 * done[done.count - 2].rmseMean!
            let plateau = reached ? rmseLast : fitted
            var predictedRMSE: Double?, predictedMAE: Double?
            let floors = predicted.map { $0.floors[scheme] }
            if !floors.isEmpty, floors.allSatisfy({ $0 != nil }) {
                predictedRMSE = floors.map { $0!.rmse * $0!.rmse }.reduce(0, +).squareRoot()
                predictedMAE = floors.map { $0!.mae * $0!.mae }.reduce(0, +).squareRoot()
            }
            func ratio(_ a: Double?, _ b: Double?) -> Double? {
                guard let a, let b, b > 0 else { return nil }
                let r = a / b
                return r.isFinite ? r : nil
            }
            return PlateauComparison(scheme: scheme.rawValue, plateau: plateau, plateauMethod: reached ? "last two sizes" : "fit",
                                     plateauFit: fitted, plateauLastTwo: rmseLast, maePlateauLastTwo: maeLast,
                                     plateauReached: reached, predictedRMSE: predictedRMSE, predictedMAE: predictedMAE,
                                     ratio: ratio(plateau, predictedRMSE), ratioFit: ratio(fitted, predictedRMSE),
                                     maeRatio: ratio(maeLast, predictedMAE))
        }
        if group.isContinuous {
            warnings.append("a continuous family is augmented with \(c.copies) sampled members: the group order \(group.order) is the number of copies, not a group order")
        }
        if baseline.points.contains(where: { $0.skipped != nil }) || augmented.contains(where: { $0.points.contains { $0.skipped != nil } }) {
            warnings.append("sizes whose training set would exceed \(c.maximumTrainingPoints) rows were skipped")
        }
        return LearningCurveResult(
            schemaVersion: 1, input: InputSection(path: dataPath, table: table), operations: operations.map(\.name),
            group: AugmentationGroupSummary(order: group.order, continuous: group.isContinuous, elements: group.names),
            schemes: schemes.map(\.rawValue), sizes: sizes, testSize: testSize, repeats: c.repeats, seed: c.seed,
            kernel: KernelSummary(kernel: "gaussian", folds: c.grid.folds, lengthScales: c.grid.lengthScales,
                                  regularizations: c.grid.regularizations, maximumCrossValidationPoints: c.grid.maximumPoints,
                                  maximumTrainingPoints: c.maximumTrainingPoints),
            baseline: baseline, augmented: augmented, fit: fitSummary, gains: gains, comparisons: comparisons,
            predictedFloors: predicted, predictedFloorMethod: method, warnings: warnings)
    }

    // MARK: - One split

    struct Cell {
        let mae: Double
        let rmse: Double
        let lengthScale: Double
        let regularization: Double
    }

    struct SplitOutcome {
        /// cells[run][size]: run 0 the baseline, run s + 1 scheme s; nil when skipped.
        var cells: [[Cell?]]
    }

    final class ResultsBox: @unchecked Sendable {
        private let lock = NSLock()
        var results: [Result<SplitOutcome, Error>?]
        private var done = 0
        private let total: Int
        private let progress: (@Sendable (LearningCurveProgress) -> Void)?

        init(repeats: Int, total: Int, progress: (@Sendable (LearningCurveProgress) -> Void)?) {
            results = Array(repeating: nil, count: repeats)
            self.total = total
            self.progress = progress
        }

        func store(_ r: Int, _ value: Result<SplitOutcome, Error>) {
            lock.lock(); defer { lock.unlock() }
            results[r] = value
        }

        func step(_ message: String) {
            lock.lock(); defer { lock.unlock() }
            done += 1
            progress?(LearningCurveProgress(done: done, total: total, message: message))
        }
    }

    /// A seed per split, well mixed so neighbouring seeds give unrelated splits.
    static func splitSeed(_ seed: UInt64, _ r: Int) -> UInt64 {
        var g = SeededGenerator(seed: seed ^ (UInt64(r + 1) &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    static func evaluate(_ model: KernelRidgeRegression, on test: SampleTable) -> Cell {
        let prediction = model.predict(table: test)
        var absSum = 0.0, squareSum = 0.0
        for (p, y) in zip(prediction, test.labels) {
            let e = p - y
            absSum += abs(e)
            squareSum += e * e
        }
        let m = Double(test.count)
        return Cell(mae: absSum / m, rmse: (squareSum / m).squareRoot(), lengthScale: model.lengthScale, regularization: model.regularization)
    }

    static func subset(_ table: SampleTable, _ rows: [Int]) -> SampleTable {
        SampleTable(featureNames: table.featureNames, labelName: table.labelName,
                    features: table.features.map { column in rows.map { column[$0] } },
                    labels: rows.map { table.labels[$0] })
    }

    static func finite(_ floors: SchemeFloors) -> SchemeFloors {
        func keep(_ f: FloorEstimate?) -> FloorEstimate? {
            guard let f, f.rmse.isFinite, f.mae.isFinite else { return nil }
            return f
        }
        return SchemeFloors(naive: keep(floors.naive), hessian: keep(floors.hessian), taylor: keep(floors.taylor))
    }

    static let zeroFloors = SchemeFloors(naive: FloorEstimate(rmse: 0, mae: 0), hessian: FloorEstimate(rmse: 0, mae: 0),
                                         taylor: FloorEstimate(rmse: 0, mae: 0))

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    static func sd(_ v: [Double]) -> Double {
        guard v.count > 1 else { return 0 }
        let m = mean(v)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
    }
}
