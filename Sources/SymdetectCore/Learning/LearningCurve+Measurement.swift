import Foundation

/// One augmented curve to measure: the training set augmented with `group` under `scheme`.
public struct AugmentationRun: Sendable {
    public let group: AugmentationGroup
    public let scheme: AugmentationScheme
    /// The series' name (the scheme for `learning-curve`; a label of the operations for `analyze`).
    public let name: String

    public init(group: AugmentationGroup, scheme: AugmentationScheme, name: String) {
        self.group = group
        self.scheme = scheme
        self.name = name
    }
}

/// The measured series of one `LearningCurve.measure`: the baseline, one series per
/// augmentation run (in the runs' order), and the power law fitted to the baseline.
public struct MeasuredSeries: Sendable {
    public let baseline: LearningCurveSeries
    public let augmented: [LearningCurveSeries]
    /// e(N) = a·N^(−b) fitted to the baseline's mean RMSE in log–log space; nil with fewer than
    /// two measured sizes.
    public let power: PowerLawFit?
}

extension LearningCurve {
    /// The measurement shared by `learning-curve` and `analyze` (one code path): for each of
    /// `repeats` seeded splits a held-out test set of `testSize` rows (never augmented) and a
    /// pool whose first N rows train at size N (nested sets); kernel ridge regression with
    /// cross-validated (ℓ, λ) on the baseline and on every augmentation run; test RMSE and MAE
    /// per size, averaged over the splits (mean ± sample sd).
    ///
    /// `augmenters` builds one `Augmenter` per run from a split's pool (the rows not in its test
    /// set); it is not called when there are no runs.
    static func measure(_ table: SampleTable, augmentations: [AugmentationRun], sizes: [Int], testSize: Int,
                        configuration c: LearningCurveConfiguration,
                        progress: (@Sendable (LearningCurveProgress) -> Void)?,
                        augmenters: @escaping (SampleTable) throws -> [Augmenter]) throws -> MeasuredSeries {
        let runs = augmentations.count + 1
        let total = c.repeats * sizes.count * runs
        let box = ResultsBox(repeats: c.repeats, total: total, progress: progress)
        let body: (Int) -> Void = { r in
            do {
                let outcome = try measureSplit(r, table: table, configuration: c, augmentations: augmentations, sizes: sizes,
                                               testSize: testSize, augmenters: augmenters, box: box)
                box.store(r, .success(outcome))
            } catch {
                box.store(r, .failure(error))
            }
        }
        if c.parallel && c.repeats > 1 {
            DispatchQueue.concurrentPerform(iterations: c.repeats, execute: body)
        } else {
            for r in 0..<c.repeats { body(r) }
        }
        var splits: [SplitOutcome] = []
        for r in 0..<c.repeats {
            switch box.results[r]! {
            case .success(let s): splits.append(s)
            case .failure(let e): throw e
            }
        }

        func series(_ index: Int, name: String, factor: Int) -> LearningCurveSeries {
            let points = sizes.enumerated().map { k, n -> LearningCurvePoint in
                let cells = splits.compactMap { $0.cells[index][k] }
                let trainingPoints = n * factor
                guard cells.count == splits.count else {
                    return LearningCurvePoint(n: n, trainingPoints: trainingPoints, maeMean: nil, maeSD: nil, rmseMean: nil, rmseSD: nil,
                                              mae: [], rmse: [], lengthScales: [], regularizations: [],
                                              skipped: "\(trainingPoints) training rows exceed the limit of \(c.maximumTrainingPoints)")
                }
                let mae = cells.map(\.mae), rmse = cells.map(\.rmse)
                return LearningCurvePoint(n: n, trainingPoints: trainingPoints, maeMean: mean(mae), maeSD: sd(mae),
                                          rmseMean: mean(rmse), rmseSD: sd(rmse), mae: mae, rmse: rmse,
                                          lengthScales: cells.map(\.lengthScale), regularizations: cells.map(\.regularization), skipped: nil)
            }
            return LearningCurveSeries(scheme: name, factor: factor, points: points)
        }
        let baseline = series(0, name: "baseline", factor: 1)
        let augmented = augmentations.enumerated().map { series($0.offset + 1, name: $0.element.name, factor: $0.element.group.order) }
        let done = baseline.points.filter { $0.rmseMean != nil }
        let power = PowerLawFit(sizes: done.map(\.n), errors: done.map { $0.rmseMean! })
        return MeasuredSeries(baseline: baseline, augmented: augmented, power: power)
    }

    static func measureSplit(_ r: Int, table: SampleTable, configuration c: LearningCurveConfiguration,
                             augmentations: [AugmentationRun], sizes: [Int], testSize: Int,
                             augmenters build: (SampleTable) throws -> [Augmenter], box: ResultsBox) throws -> SplitOutcome {
        let splitSeed = splitSeed(c.seed, r)
        var rng = SeededGenerator(seed: splitSeed)
        var order = Array(0..<table.count)
        rng.shuffle(&order)
        let test = subset(table, Array(order[0..<testSize]))
        let poolRows = Array(order[testSize...])
        let augmenters = augmentations.isEmpty ? [] : try build(subset(table, poolRows))
        var cells = [[Cell?]](repeating: [Cell?](repeating: nil, count: sizes.count), count: augmentations.count + 1)
        for (k, n) in sizes.enumerated() {
            let train = subset(table, Array(poolRows[0..<n]))
            var grid = c.grid
            grid.seed = c.grid.seed ^ splitSeed ^ UInt64(n)
            if n <= c.maximumTrainingPoints {
                let model = try KernelRidgeRegression.crossValidated(table: train, grid: grid)
                cells[0][k] = evaluate(model.model, on: test)
            }
            box.step("N = \(n), split \(r + 1): baseline")
            for (s, augmenter) in augmenters.enumerated() {
                defer { box.step("N = \(n), split \(r + 1): \(augmentations[s].name)") }
                guard n * augmenter.group.order <= c.maximumTrainingPoints else { continue }
                let augmented = augmenter.augment(train)
                let groups = (0..<augmented.table.count).map { $0 % n }
                let originals = augmented.elementIndices.map { $0 == 0 }
                let model = try KernelRidgeRegression.crossValidated(table: augmented.table, groups: groups, validationRows: originals, grid: grid)
                cells[s + 1][k] = evaluate(model.model, on: test)
            }
        }
        return SplitOutcome(cells: cells)
    }
}
