import Foundation

/// How `analyze` obtains the learning curve e(N) ≈ a·N^(−b) behind the predicted gain and
/// crossover (SPEC §2.8).
public enum LearningCurvePlan: Sendable, Equatable {
    /// No measurement: the curve of `AnalysisConfiguration.slope`/`prefactor` (assumed, given, or
    /// read from a `learning-curve` JSON), as `learningCurveSource` says.
    case off
    /// Measured within a fixed budget whatever the size of the data: N ≤ `quickMaximumSize`,
    /// `quickRepeats` splits, at most `quickMaximumTestSize` test rows, augmented training sets of
    /// at most `quickMaximumTrainingPoints` rows.
    case quick
    /// Measured up to N = `maximumSize` with the `learning-curve` defaults.
    case full(maximumSize: Int)
}

/// One augmentation whose learning curve `analyze` measured.
public struct MeasuredAugmentation: Sendable {
    public enum Role: Sendable, Equatable {
        /// The recommended operations with the recommended scheme.
        case recommendation
        /// An approximate operation on its own (best scheme) whose floor is near the target error.
        case nearTarget
    }

    public let role: Role
    public let operations: [String]
    public let scheme: AugmentationScheme
    /// |G| of the augmentation group (the number of sampled copies for a continuous family).
    public let groupOrder: Int
    public let isContinuous: Bool
    /// The predicted RMSE floor (0 for exact operations only).
    public let floor: Double
    public let series: LearningCurveSeries
    /// Measured data gains per size against the baseline (see `BaselineCurve`).
    public let gains: GainSummary

    /// The gain at the largest size with a measured augmented RMSE.
    public var gainAtLargestN: MeasuredGain? {
        let done = series.points.filter { $0.rmseMean != nil }.map(\.n)
        guard let n = done.last else { return nil }
        return gains.gain(at: n)
    }
}

/// The learning curve `analyze` measured on the data: kernel ridge regression on nested seeded
/// subsets (the `LearningCurve.measure` code path of `learning-curve`), without and with the
/// recommended augmentation, and e(N) = a·N^(−b) fitted to the baseline.
public struct MeasuredLearningCurve: Sendable {
    public let plan: LearningCurvePlan
    /// Rows of the data, and rows drawn from them (seeded, without replacement) for the measurement.
    public let rowCount: Int
    public let rowsUsed: Int
    public let testSize: Int
    /// The test-set size the rows alone would give (`LearningCurveConfiguration.defaultTestSize`),
    /// before the quick cap.
    public let uncappedTestSize: Int
    public let repeats: Int
    public let seed: UInt64
    /// The largest N the plan allows, and the largest the data allow (rows less the test set).
    public let sizeCap: Int
    public let availableSize: Int
    public let maximumTrainingPoints: Int
    public let baseline: LearningCurveSeries
    public let augmentations: [MeasuredAugmentation]
    /// e(N) = a·N^(−b) in log–log least squares over the measured baseline sizes
    /// (`PowerLawFit`: b with its standard error from the residual scatter).
    public let fit: PowerLawFit?

    public var sizes: [Int] { baseline.sizes }
    /// Whether N stopped at the plan's cap rather than at the data.
    public var sizeCapped: Bool { availableSize > sizeCap }
    public var testCapped: Bool { testSize < uncappedTestSize }
    public var recommended: MeasuredAugmentation? { augmentations.first { $0.role == .recommendation } }

    /// The curve the gains and crossovers use: the fitted power law when it falls with N.
    public var model: LearningCurveModel? {
        guard let fit, fit.slope > 0, fit.slope.isFinite, fit.prefactor > 0, fit.prefactor.isFinite else { return nil }
        return LearningCurveModel(prefactor: fit.prefactor, slope: fit.slope)
    }
}

/// Why `analyze` could not measure the curve it was asked to; the assumed curve is used instead.
public enum LearningCurveShortfall: Error, Sendable, Equatable {
    /// Fewer than `MeasuredLearningCurve.minimumSizes` training sizes fit in the rows left after
    /// the test set.
    case tooFewRows(rows: Int, available: Int)
    /// The measured baseline does not fall with N (fitted slope ≤ 0), so no power law applies.
    case slopeNotPositive(Double)
    /// The kernel ridge model could not be trained (e.g. labels that do not vary); the reason.
    case trainingFailed(String)
}

extension MeasuredLearningCurve {
    public static let quickMaximumSize = 1024
    public static let quickRepeats = 3
    public static let quickMaximumTestSize = 500
    public static let quickMaximumTrainingPoints = 2048
    /// A slope needs at least this many sizes (16, 32, 64).
    public static let minimumSizes = 3
    /// An approximate operation's curve is measured on its own when its floor is at least this
    /// fraction of the target error (its crossover is then within reach of the data).
    public static let nearTargetFraction = 0.3
    /// Seed of the row draw and the splits.
    public static let defaultSeed: UInt64 = 1

    struct PlannedRun {
        let role: MeasuredAugmentation.Role
        let operations: [String]
        let floor: Double
        let run: AugmentationRun
    }

    /// What to measure for an analysis: the recommendation (when it augments at all) and the
    /// approximate operation with the largest floor of at least `nearTargetFraction` × target,
    /// when it is not the recommendation itself.
    static func runs(recommendation: Recommendation, results: [OperationResult], target: Double,
                     featureNames: [String]) throws -> [PlannedRun] {
        var out: [PlannedRun] = []
        if !recommendation.operations.isEmpty {
            let group = try AugmentationGroup(operations: recommendation.operations, featureNames: featureNames)
            if group.order > 1 {
                out.append(PlannedRun(role: .recommendation, operations: recommendation.operationNames, floor: recommendation.floor,
                                      run: AugmentationRun(group: group, scheme: recommendation.scheme,
                                                           name: recommendation.operationNames.joined(separator: ", "))))
            }
        }
        let near = results.filter { r in
            r.verdict == .approximate && r.orbitSize.map { $0 > 1 } == true && (r.bestFloor ?? 0) >= nearTargetFraction * target
                && r.bestScheme != nil && recommendation.operationNames != [r.name]
        }.max { ($0.bestFloor!, $1.name) < ($1.bestFloor!, $0.name) }
        if let op = near {
            let group = try AugmentationGroup(operations: [op.operation], featureNames: featureNames)
            out.append(PlannedRun(role: .nearTarget, operations: [op.name], floor: op.bestFloor!,
                                  run: AugmentationRun(group: group, scheme: op.bestScheme!, name: op.name)))
        }
        return out
    }

    /// Measures the curves of `runs(...)` on `table` (SPEC §2.8). The operations act about the
    /// analysis's centre, and the corrected schemes use the analysis's Taylor polynomial (`fit`,
    /// fitted on all rows as `augment` uses it).
    ///
    /// Rows: with more than twice N_max + testSize rows, that many are drawn without replacement
    /// (seeded); the splits then work on those. Deterministic: no wall-clock budget, only caps.
    static func measure(_ table: SampleTable, plan: LearningCurvePlan, fit: FitOutcome,
                        recommendation: Recommendation, results: [OperationResult], target: Double,
                        seed: UInt64, progress: (@Sendable (LearningCurveProgress) -> Void)?)
        throws -> Result<MeasuredLearningCurve, LearningCurveShortfall> {
        var c = LearningCurveConfiguration(operations: [], seed: seed)
        let uncappedTest = LearningCurveConfiguration.defaultTestSize(rows: table.count)
        switch plan {
        case .off:
            preconditionFailure("measure is not called with .off")
        case .quick:
            c.maximumSize = quickMaximumSize
            c.repeats = quickRepeats
            c.testSize = min(uncappedTest, quickMaximumTestSize)
            c.maximumTrainingPoints = quickMaximumTrainingPoints
        case .full(let maximumSize):
            c.maximumSize = maximumSize
            c.testSize = uncappedTest
        }
        let testSize = c.testSize!
        let available = table.count - testSize
        let sizes = LearningCurveConfiguration.doublingSizes(available: available, maximumSize: c.maximumSize)
        guard sizes.count >= minimumSizes else { return .failure(.tooFewRows(rows: table.count, available: max(available, 0))) }

        // A large table is first cut to the rows the splits can use (a seeded draw): the
        // measurement then costs the same at any size. Below twice that, all rows are kept.
        let needed = sizes.last! + testSize
        let rows = table.count > 2 * needed ? LearningCurve.subset(table, draw(needed, of: table.count, seed: seed)) : table
        // A run whose scheme cannot label its group (the hessian scheme with a non-involution)
        // is left out rather than failing the analysis.
        var planned: [PlannedRun] = []
        var augmenters: [Augmenter] = []
        for p in try runs(recommendation: recommendation, results: results, target: target, featureNames: table.featureNames) {
            guard let a = try? Augmenter(group: p.run.group, polynomial: fit.fit.polynomial, stationaryKind: fit.hessian.kind,
                                         hessianEigenvalues: fit.hessian.eigenvalues, scheme: p.run.scheme, force: true) else { continue }
            planned.append(p)
            augmenters.append(a)
        }
        let series: MeasuredSeries
        do {
            series = try LearningCurve.measure(rows, augmentations: planned.map(\.run), sizes: sizes, testSize: testSize,
                                               configuration: c, progress: progress) { _ in augmenters }
        } catch let error as KernelRidgeError {
            return .failure(.trainingFailed(error.description))
        }
        let slope = series.power?.slope
        let baselineCurve = BaselineCurve(sizes: series.baseline.sizes, errors: series.baseline.points.map(\.rmseMean), slope: slope)
        let augmentations = zip(planned, series.augmented).map { p, s -> MeasuredAugmentation in
            let run = p.run
            let gains = GainSummary(scheme: run.scheme.rawValue, groupOrder: run.group.order,
                                    perSize: s.points.compactMap { baselineCurve.gain(n: $0.n, error: $0.rmseMean) })
            return MeasuredAugmentation(role: p.role, operations: p.operations, scheme: run.scheme, groupOrder: run.group.order,
                                        isContinuous: run.group.isContinuous, floor: p.floor, series: s, gains: gains)
        }
        let measured = MeasuredLearningCurve(
            plan: plan, rowCount: table.count, rowsUsed: rows.count, testSize: testSize, uncappedTestSize: uncappedTest,
            repeats: c.repeats, seed: seed, sizeCap: c.maximumSize, availableSize: available,
            maximumTrainingPoints: c.maximumTrainingPoints, baseline: series.baseline, augmentations: augmentations, fit: series.power)
        return .success(measured)
    }

    /// `k` distinct row indices of `0..<n`, ascending: the first k of a seeded partial
    /// Fisher–Yates shuffle (O(k) swaps on an index map, so a million rows cost nothing).
    static func draw(_ k: Int, of n: Int, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_D2A3)
        var moved: [Int: Int] = [:]
        var out: [Int] = []
        out.reserveCapacity(k)
        for i in 0..<k {
            let j = i + Int(rng.next() % UInt64(n - i))
            let vi = moved[i] ?? i, vj = moved[j] ?? j
            moved[j] = vi
            out.append(vj)
        }
        return out.sorted()
    }
}
