import Foundation

/// Why a kernel ridge model could not be trained.
public enum KernelRidgeError: Error, CustomStringConvertible, Equatable, Sendable {
    case emptyTrainingSet
    case nonFinite(String)
    case invalidHyperparameter(String)
    /// K + λI was not numerically positive definite (λ too small for the kernel's conditioning).
    case notPositiveDefinite(lengthScale: Double, regularization: Double, size: Int)
    case sizeMismatch(String)

    public var description: String {
        switch self {
        case .emptyTrainingSet: return "kernel ridge regression needs at least one training sample"
        case let .nonFinite(what): return "kernel ridge regression: non-finite \(what)"
        case let .invalidHyperparameter(what): return "kernel ridge regression: \(what)"
        case let .notPositiveDefinite(l, lambda, n):
            return "kernel ridge regression: K + λI is not numerically positive definite (ℓ = \(NumberFormatting.format(l)), λ = \(NumberFormatting.format(lambda)), \(n) samples)"
        case let .sizeMismatch(what): return "kernel ridge regression: \(what)"
        }
    }
}

/// Per-coordinate standardization z_j = (x_j − mean_j)/sd_j with the training set's statistics
/// (sd with divisor n; a constant coordinate keeps sd = 1, so it contributes nothing).
public struct Standardization: Sendable, Equatable {
    public let means: [Double]
    public let scales: [Double]

    /// `features[j][i]` is coordinate j of sample i (the layout of `SampleTable`).
    public init(features: [[Double]]) {
        means = features.map { c in c.isEmpty ? 0 : c.reduce(0, +) / Double(c.count) }
        scales = zip(features, means).map { c, m in
            guard !c.isEmpty else { return 1 }
            let sd = (c.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(c.count)).squareRoot()
            return sd > 0 && sd.isFinite ? sd : 1
        }
    }

    public var dimension: Int { means.count }

    /// Row-major n×d standardized coordinates of the given rows (all rows when nil).
    func standardized(_ features: [[Double]], rows: [Int]? = nil) -> [Double] {
        let d = dimension
        let n = rows?.count ?? features.first?.count ?? 0
        var out = [Double](repeating: 0, count: n * d)
        for j in 0..<d {
            let column = features[j], m = means[j], s = scales[j]
            if let rows {
                for (k, i) in rows.enumerated() { out[k * d + j] = (column[i] - m) / s }
            } else {
                for i in 0..<n { out[i * d + j] = (column[i] - m) / s }
            }
        }
        return out
    }
}

/// Kernel ridge regression with the Gaussian kernel k(x, x') = exp(−|z − z'|²/(2ℓ²)), z the
/// standardized coordinates (training-set statistics, see `Standardization`).
///
/// Training solves (K + λI)α = y − ȳ by Cholesky (GSL, `CholeskyFactorization`); the prediction
/// is f(x) = ȳ + Σ_i α_i k(x, x_i). ℓ is in units of the coordinates' standard deviations; λ is
/// dimensionless (K has a unit diagonal), so neither depends on the label's units.
/// Non-finite inputs are refused; a K + λI that is not numerically positive definite (λ below
/// the round-off level of an ill-conditioned K) throws `.notPositiveDefinite`.
/// Cost: O(n²d) to build K, n³/3 flops to factor it, O(n d) per prediction.
public struct KernelRidgeRegression: Sendable {
    public let lengthScale: Double
    public let regularization: Double
    public let standardization: Standardization
    public let labelMean: Double
    /// Row-major n×d standardized training coordinates.
    let points: [Double]
    /// The dual weights α.
    public let weights: [Double]

    public var dimension: Int { standardization.dimension }
    public var trainingCount: Int { weights.count }

    /// - Parameters:
    ///   - features: `features[j][i]` is coordinate j of training sample i.
    ///   - lengthScale: ℓ > 0 in standardized units.
    ///   - regularization: λ ≥ 0.
    public init(features: [[Double]], labels: [Double], lengthScale: Double, regularization: Double) throws {
        try self.init(features: features, labels: labels, standardization: Standardization(features: features),
                      lengthScale: lengthScale, regularization: regularization)
    }

    public init(table: SampleTable, lengthScale: Double, regularization: Double) throws {
        try self.init(features: table.features, labels: table.labels, lengthScale: lengthScale, regularization: regularization)
    }

    /// Trains with a given standardization (cross-validation keeps the whole training set's one
    /// for every fold, so ℓ means the same in every fold and in the final model).
    init(features: [[Double]], labels: [Double], standardization: Standardization,
         lengthScale: Double, regularization: Double) throws {
        guard !labels.isEmpty else { throw KernelRidgeError.emptyTrainingSet }
        guard features.count == standardization.dimension, features.allSatisfy({ $0.count == labels.count }) else {
            throw KernelRidgeError.sizeMismatch("every coordinate column needs one value per label")
        }
        guard lengthScale > 0, lengthScale.isFinite else { throw KernelRidgeError.invalidHyperparameter("the length scale must be positive and finite, got \(lengthScale)") }
        guard regularization >= 0, regularization.isFinite else { throw KernelRidgeError.invalidHyperparameter("the regularization must be ≥ 0 and finite, got \(regularization)") }
        guard labels.allSatisfy(\.isFinite) else { throw KernelRidgeError.nonFinite("label") }
        guard features.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw KernelRidgeError.nonFinite("coordinate") }
        let z = standardization.standardized(features)
        let mean = labels.reduce(0, +) / Double(labels.count)
        let alpha = try Self.solve(points: z, dimension: standardization.dimension, targets: labels.map { $0 - mean },
                                   lengthScale: lengthScale, regularization: regularization)
        self.lengthScale = lengthScale
        self.regularization = regularization
        self.standardization = standardization
        labelMean = mean
        points = z
        weights = alpha
    }

    /// α = (K + λI)⁻¹ t for row-major standardized points.
    static func solve(points z: [Double], dimension d: Int, targets: [Double], lengthScale: Double, regularization: Double) throws -> [Double] {
        let n = targets.count
        var k = gram(z, dimension: d, lengthScale: lengthScale)
        for i in 0..<n { k[i, i] += regularization }
        do {
            return try CholeskyFactorization(k).solve(targets)
        } catch is GSLError {
            throw KernelRidgeError.notPositiveDefinite(lengthScale: lengthScale, regularization: regularization, size: n)
        }
    }

    /// K_ij = exp(−|z_i − z_j|²/(2ℓ²)) for row-major points (symmetric, unit diagonal).
    static func gram(_ z: [Double], dimension d: Int, lengthScale: Double) -> Matrix {
        let n = d == 0 ? 0 : z.count / d
        var k = Matrix(rows: n, columns: n)
        let c = -1 / (2 * lengthScale * lengthScale)
        z.withUnsafeBufferPointer { zp in
            k.storage.withUnsafeMutableBufferPointer { kp in
                for i in 0..<n {
                    kp[i * n + i] = 1
                    for j in 0..<i {
                        var r2 = 0.0
                        for t in 0..<d { let diff = zp[i * d + t] - zp[j * d + t]; r2 += diff * diff }
                        let v = exp(c * r2)
                        kp[i * n + j] = v
                        kp[j * n + i] = v
                    }
                }
            }
        }
        return k
    }

    /// The prediction at one point x (in the original coordinates).
    public func predict(_ x: [Double]) -> Double {
        precondition(x.count == dimension, "dimension mismatch")
        let z = (0..<dimension).map { (x[$0] - standardization.means[$0]) / standardization.scales[$0] }
        return predictStandardized(z)
    }

    /// Predictions at the samples `features[j][i]` (the layout of `SampleTable`).
    public func predict(features: [[Double]]) -> [Double] {
        precondition(features.count == dimension, "dimension mismatch")
        let z = standardization.standardized(features)
        let d = dimension
        let m = d == 0 ? 0 : z.count / d
        return (0..<m).map { i in predictStandardized(Array(z[(i * d)..<((i + 1) * d)])) }
    }

    public func predict(table: SampleTable) -> [Double] { predict(features: table.features) }

    func predictStandardized(_ z: [Double]) -> Double {
        let d = dimension
        let c = -1 / (2 * lengthScale * lengthScale)
        var s = 0.0
        points.withUnsafeBufferPointer { p in
            weights.withUnsafeBufferPointer { w in
                for i in 0..<w.count {
                    var r2 = 0.0
                    for t in 0..<d { let diff = z[t] - p[i * d + t]; r2 += diff * diff }
                    s += w[i] * exp(c * r2)
                }
            }
        }
        return labelMean + s
    }
}
