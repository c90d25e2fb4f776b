import Foundation

/// The log grid and the k-fold scheme used to choose (ℓ, λ) by cross-validation.
public struct HyperparameterGrid: Sendable, Equatable, Codable {
    /// Candidate length scales ℓ, in standardized units.
    public var lengthScales: [Double]
    /// Candidate regularizations λ (K has a unit diagonal).
    public var regularizations: [Double]
    public var folds: Int
    /// At most this many training rows (whole groups of a sample and its images) enter the
    /// cross-validation; the rest only the final fit. Bounds the cost of the search: each
    /// Cholesky factorization has ≈ (1 − 1/folds)·maximumPoints rows.
    public var maximumPoints: Int
    /// The whole grid is scored on the first fold; only this many of its best points are scored
    /// on the other folds (the search then costs |ℓ|·|λ| + (folds − 1)·refinedCandidates
    /// factorizations instead of folds·|ℓ|·|λ|).
    public var refinedCandidates: Int
    public var seed: UInt64

    public init(lengthScales: [Double] = HyperparameterGrid.standard.lengthScales,
                regularizations: [Double] = HyperparameterGrid.standard.regularizations,
                folds: Int = 5, maximumPoints: Int = 800, refinedCandidates: Int = 6, seed: UInt64 = 0xC0FF_EE01) {
        self.lengthScales = lengthScales
        self.regularizations = regularizations
        self.folds = folds
        self.maximumPoints = maximumPoints
        self.refinedCandidates = refinedCandidates
        self.seed = seed
    }

    /// ℓ = 2^k, k = −3…3 (standardized units); λ = 10^−10, 10^−8, …, 10^−2.
    public static let standard = HyperparameterGrid(
        lengthScales: (-3...3).map { pow(2, Double($0)) },
        regularizations: [1e-10, 1e-8, 1e-6, 1e-4, 1e-2],
        folds: 5, maximumPoints: 800, refinedCandidates: 6, seed: 0xC0FF_EE01)
}

/// A model trained with cross-validated hyper-parameters.
public struct CrossValidatedKernelRidge: Sendable {
    public let model: KernelRidgeRegression
    /// Pooled validation RMSE of the chosen (ℓ, λ).
    public let validationRMSE: Double
    /// Rows that entered the cross-validation.
    public let crossValidationRows: Int
    public let folds: Int
}

extension KernelRidgeRegression {
    /// Chooses (ℓ, λ) by k-fold cross-validation on the training set only, then trains on all of it.
    ///
    /// - Parameters:
    ///   - groups: a group id per row; rows of one group (a sample and its augmented images)
    ///     always fall in the same fold, so a fold is never validated on the images of its own
    ///     training samples. Default: every row its own group.
    ///   - validationRows: which rows count in the validation error (for augmented data: the
    ///     original rows only, as on the real test set). Default: all.
    /// The fold assignment is seeded (`grid.seed`); the standardization is the whole training set's
    /// in every fold. The first fold scores the whole grid, the others its `refinedCandidates`
    /// best points; of those, the lowest validation RMSE pooled over all folds wins (ties: the
    /// smaller ℓ, then the larger λ). Grid points whose K + λI is not positive definite are skipped.
    /// Every system of n rows uses max(λ, 10⁻¹³·n²) (`numericalFloor`). If the final fit is not
    /// positive definite, λ is raised tenfold until it is (at most to 1).
    public static func crossValidated(features: [[Double]], labels: [Double], groups: [Int]? = nil,
                                      validationRows: [Bool]? = nil,
                                      grid: HyperparameterGrid = .standard) throws -> CrossValidatedKernelRidge {
        let n = labels.count
        guard n > 0 else { throw KernelRidgeError.emptyTrainingSet }
        guard !grid.lengthScales.isEmpty, !grid.regularizations.isEmpty,
              grid.lengthScales.allSatisfy({ $0 > 0 && $0.isFinite }), grid.regularizations.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw KernelRidgeError.invalidHyperparameter("the grid needs positive length scales and non-negative regularizations")
        }
        if let groups, groups.count != n { throw KernelRidgeError.sizeMismatch("one group id per row is needed") }
        if let validationRows, validationRows.count != n { throw KernelRidgeError.sizeMismatch("one validation flag per row is needed") }
        let standardization = Standardization(features: features)
        let d = standardization.dimension

        // Groups in order of first appearance.
        var rowsOfGroup: [[Int]] = []
        var slot: [Int: Int] = [:]
        for i in 0..<n {
            let g = groups?[i] ?? i
            if let s = slot[g] { rowsOfGroup[s].append(i) } else { slot[g] = rowsOfGroup.count; rowsOfGroup.append([i]) }
        }
        var rng = SeededGenerator(seed: grid.seed)
        var order = Array(rowsOfGroup.indices)
        rng.shuffle(&order)
        // Whole groups, in the shuffled order, up to the point budget (at least two groups).
        var chosen: [Int] = []
        var count = 0
        for g in order {
            if chosen.count >= 2 && count + rowsOfGroup[g].count > grid.maximumPoints { break }
            chosen.append(g)
            count += rowsOfGroup[g].count
        }
        let k = min(max(grid.folds, 2), chosen.count)
        let lengthScales = grid.lengthScales.sorted()
        let regularizations = grid.regularizations.sorted(by: >)
        var best: (l: Double, lambda: Double, sse: Double, count: Int)?

        if k >= 2 {
            var rows: [Int] = []
            var fold: [Int] = []
            for (rank, g) in chosen.enumerated() {
                for i in rowsOfGroup[g] { rows.append(i); fold.append(rank % k) }
            }
            let m = rows.count
            let z = standardization.standardized(features, rows: rows)
            let y = rows.map { labels[$0] }
            let validates = rows.map { validationRows?[$0] ?? true }
            // Squared distances among the cross-validation rows, computed once.
            var d2 = [Double](repeating: 0, count: m * m)
            z.withUnsafeBufferPointer { zp in
                d2.withUnsafeMutableBufferPointer { dp in
                    for i in 0..<m {
                        for j in 0..<i {
                            var r2 = 0.0
                            for t in 0..<d { let diff = zp[i * d + t] - zp[j * d + t]; r2 += diff * diff }
                            dp[i * m + j] = r2
                            dp[j * m + i] = r2
                        }
                    }
                }
            }
            var sse = [[Double]](repeating: [Double](repeating: 0, count: regularizations.count), count: lengthScales.count)
            var failed = [[Bool]](repeating: [Bool](repeating: false, count: regularizations.count), count: lengthScales.count)
            // Fold 0 scores the whole grid; the other folds only the best `refinedCandidates` of it.
            var candidate = [[Bool]](repeating: [Bool](repeating: true, count: regularizations.count), count: lengthScales.count)
            var validated = 0
            for f in 0..<k {
                let train = (0..<m).filter { fold[$0] != f }
                let valid = (0..<m).filter { fold[$0] == f && validates[$0] }
                guard !valid.isEmpty, !train.isEmpty else { continue }
                validated += valid.count
                let yTrain = train.map { y[$0] }
                let mean = yTrain.reduce(0, +) / Double(yTrain.count)
                let targets = yTrain.map { $0 - mean }
                let p = train.count
                for (a, l) in lengthScales.enumerated() where candidate[a].contains(true) {
                    let c = -1 / (2 * l * l)
                    var kTrain = Matrix(rows: p, columns: p)
                    var kValid = Matrix(rows: valid.count, columns: p)
                    Self.fillKernel(&kTrain, rows: train, columns: train, squaredDistances: d2, stride: m, factor: c)
                    Self.fillKernel(&kValid, rows: valid, columns: train, squaredDistances: d2, stride: m, factor: c)
                    for (b, lambda) in regularizations.enumerated() where candidate[a][b] && !failed[a][b] {
                        var system = kTrain
                        let effective = max(lambda, numericalFloor(rows: p))
                        for i in 0..<p { system[i, i] += effective }
                        guard let alpha = try? CholeskyFactorization(system).solve(targets) else {
                            failed[a][b] = true
                            continue
                        }
                        let prediction = kValid * alpha
                        for (r, i) in valid.enumerated() {
                            let e = y[i] - mean - prediction[r]
                            sse[a][b] += e * e
                        }
                    }
                }
                if f == 0 {
                    let ranked = lengthScales.indices.flatMap { a in regularizations.indices.map { (a, $0) } }
                        .filter { !failed[$0.0][$0.1] && sse[$0.0][$0.1].isFinite }
                        .sorted { sse[$0.0][$0.1] < sse[$1.0][$1.1] }
                    let keep = Set(ranked.prefix(max(grid.refinedCandidates, 1)).map { $0.0 * regularizations.count + $0.1 })
                    for a in lengthScales.indices { for b in regularizations.indices { candidate[a][b] = keep.contains(a * regularizations.count + b) } }
                }
            }
            if validated > 0 {
                for a in lengthScales.indices {
                    for b in regularizations.indices where candidate[a][b] && !failed[a][b] && sse[a][b].isFinite {
                        if best == nil || sse[a][b] < best!.sse {
                            best = (lengthScales[a], regularizations[b], sse[a][b], validated)
                        }
                    }
                }
            }
        }
        // Too few groups to cross-validate, or every grid point failed: the grid's middle.
        let l = best?.l ?? lengthScales[lengthScales.count / 2]
        var lambda = best?.lambda ?? regularizations[regularizations.count / 2]
        lambda = max(lambda, numericalFloor(rows: n))
        while true {
            do {
                let model = try KernelRidgeRegression(features: features, labels: labels, standardization: standardization,
                                                      lengthScale: l, regularization: lambda)
                let rmse = best.map { ($0.sse / Double($0.count)).squareRoot() } ?? .nan
                return CrossValidatedKernelRidge(model: model, validationRMSE: rmse, crossValidationRows: best == nil ? 0 : count, folds: k)
            } catch KernelRidgeError.notPositiveDefinite {
                guard lambda < 1 else { throw KernelRidgeError.notPositiveDefinite(lengthScale: l, regularization: lambda, size: n) }
                lambda = max(lambda * 10, 1e-12)
            }
        }
    }

    /// The smallest λ used for a system of n rows: 10⁻¹³·n² (≈ 450·n²ε, the round-off level of a
    /// sum over K's n² entries). Below it the solve of a nearly singular K (a wide kernel, dense
    /// data) loses the accuracy the cross-validation assumed: a λ of 10⁻¹⁰ chosen on an 800-row
    /// subset gave test errors 2–5 times too large on 4096 rows of a hydrogen density, while
    /// 10⁻⁶ was fine. It is 4·10⁻¹⁰ at n = 64, 10⁻⁷ at 1024, 1.7·10⁻⁶ at 4096.
    public static func numericalFloor(rows n: Int) -> Double { 1e-13 * Double(n) * Double(n) }

    /// out[r, s] = exp(factor·D²[rows[r], columns[s]]), D² row-major with the given stride.
    static func fillKernel(_ out: inout Matrix, rows: [Int], columns: [Int], squaredDistances d2: [Double], stride m: Int, factor c: Double) {
        let p = columns.count
        rows.withUnsafeBufferPointer { rp in
            columns.withUnsafeBufferPointer { cp in
                d2.withUnsafeBufferPointer { dp in
                    out.storage.withUnsafeMutableBufferPointer { kp in
                        for r in 0..<rp.count {
                            let base = rp[r] * m
                            for s in 0..<p { kp[r * p + s] = exp(c * dp[base + cp[s]]) }
                        }
                    }
                }
            }
        }
    }

    public static func crossValidated(table: SampleTable, groups: [Int]? = nil, validationRows: [Bool]? = nil,
                                      grid: HyperparameterGrid = .standard) throws -> CrossValidatedKernelRidge {
        try crossValidated(features: table.features, labels: table.labels, groups: groups, validationRows: validationRows, grid: grid)
    }
}
