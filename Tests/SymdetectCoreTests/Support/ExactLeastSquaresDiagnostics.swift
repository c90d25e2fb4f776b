import Foundation

/// Reference diagnostics of a weighted linear least-squares fit, computed densely and
/// independently of `TaylorFitter`: an orthonormal basis Q of the columns of X̃ = W^½Φ by
/// classical Gram–Schmidt applied twice ("CGS2", orthogonal to working precision for
/// cond(X̃) ≲ 1/ε), then the fitted values ỹ̂ = QQᵀỹ, the exact hat diagonal hᵢ = ‖Qᵢ,:‖², and
/// rmse = sqrt(Σ wᵢrᵢ²/Σw), looRmse = sqrt(Σ wᵢ(rᵢ/(1 − hᵢ))²/Σw), R² = 1 − RSS/TSS with
/// rᵢ = yᵢ − ŷᵢ. A column whose component orthogonal to the previous ones is below
/// `dependence`·its norm is dropped (the hat matrix is the projector onto the column space).
struct ExactLeastSquaresDiagnostics {
    let leverages: [Double]
    let rmse: Double
    let looRmse: Double
    let r2: Double
    let rank: Int

    /// - Parameter columns: the unweighted design Φ, one array of N values per column.
    init(columns: [[Double]], labels y: [Double], weights: [Double]? = nil, dependence: Double = 1e-10) {
        let n = y.count
        let sw = weights.map { $0.map { $0.squareRoot() } } ?? [Double](repeating: 1, count: n)
        var basis: [[Double]] = []
        for column in columns {
            var v = (0..<n).map { sw[$0] * column[$0] }
            let norm0 = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for _ in 0..<2 {
                v.withUnsafeMutableBufferPointer { vb in
                    for q in basis {
                        q.withUnsafeBufferPointer { qb in
                            var c = 0.0
                            for i in 0..<n { c += qb[i] * vb[i] }
                            for i in 0..<n { vb[i] -= c * qb[i] }
                        }
                    }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > dependence * norm0, norm > 0 else { continue }
            basis.append(v.map { $0 / norm })
        }
        let yt = (0..<n).map { sw[$0] * y[$0] }
        var fitted = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: n)
        for q in basis {
            var c = 0.0
            for i in 0..<n { c += q[i] * yt[i] }
            for i in 0..<n { fitted[i] += c * q[i]; h[i] += q[i] * q[i] }
        }
        let w = weights ?? [Double](repeating: 1, count: n)
        let sumW = w.reduce(0, +)
        let mean = (0..<n).reduce(0.0) { $0 + w[$1] * y[$1] } / sumW
        var rss = 0.0, loo = 0.0, tss = 0.0
        for i in 0..<n {
            // Weighted residual r̃ᵢ = √wᵢ·rᵢ, so wᵢrᵢ² = r̃ᵢ².
            let r = yt[i] - fitted[i]
            rss += r * r
            loo += (r / (1 - h[i])) * (r / (1 - h[i]))
            tss += w[i] * (y[i] - mean) * (y[i] - mean)
        }
        leverages = h
        rmse = (rss / sumW).squareRoot()
        looRmse = (loo / sumW).squareRoot()
        r2 = 1 - rss / tss
        rank = basis.count
    }

    /// The monomials Π_j u_j^α_j of u = (x − c)/s, s_j = max_i |x_ij − c_j|, for every α with
    /// |α| ≤ order (in any order: the column space is what matters).
    static func monomialColumns(_ features: [[Double]], center: [Double], order: Int) -> [[Double]] {
        let d = features.count, n = features.first?.count ?? 0
        let u = (0..<d).map { j -> [Double] in
            let s = features[j].map { abs($0 - center[j]) }.max() ?? 1
            return features[j].map { ($0 - center[j]) / (s > 0 ? s : 1) }
        }
        var exponents: [[Int]] = [[]]
        for _ in 0..<d { exponents = exponents.flatMap { e in (0...order).map { e + [$0] } } }
        return exponents.filter { $0.reduce(0, +) <= order }.map { alpha in
            (0..<n).map { i in (0..<d).reduce(1.0) { $0 * pow(u[$1][i], Double(alpha[$1])) } }
        }
    }
}
