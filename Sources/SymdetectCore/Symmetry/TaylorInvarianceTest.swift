import Foundation

/// A fitted term that breaks a symmetry, named as the force constant of its monomial.
public struct BreakingTerm: Sendable, Equatable {
    /// e.g. "φ111" (derivative notation) for the monomial q1^3.
    public let forceConstant: String
    public let monomial: String
    /// The force constant α!·β_α and its standard error.
    public let value: Double
    public let stderr: Double?
    /// |antisymmetric coefficient| / its standard error.
    public let zScore: Double
}

/// The *Taylor test*: T∘g is again a polynomial with coefficients M_g β, so the antisymmetric
/// part A = (I − M_g)β/2 is a linear map of the fitted coefficients with covariance
/// L Cov(β) Lᵀ. A Wald statistic W = Aᵀ Cov(A)⁺ A on r = rank Cov(A) degrees of freedom gives
/// F = W/r ~ F(r, N − rank) under invariance. For a family of matrices the A's are stacked.
///
/// Where the centre is itself estimated (the fitted stationary point), an operation that is
/// exact about the true centre c* looks broken about ĉ = c* + δ: to first order A = D·δ, with
/// D = L·J and J = ∂β/∂c, J[α, j] = (α_j + 1)·β_{α+e_j} (the coefficients of T re-expanded
/// about a shifted centre). The statistic is then profiled over δ — W = min_δ (A − Dδ)ᵀ
/// Cov(A)⁺ (A − Dδ) on r − rank(D) degrees of freedom — so the uncertainty of the centre is not
/// read as breaking. The linear terms stay in the test (they are what a shift changes first).
public struct TaylorInvarianceTest: Sendable {
    public let pValue: Double?
    public let statistic: Double
    public let degreesOfFreedom: Int
    /// Lowest total degree whose antisymmetric coefficients are significant (Bonferroni over
    /// degrees at level α), e.g. 2 = harmonic coupling, 3 = cubic anharmonicity.
    public let breakingOrder: Int?
    /// p-value per degree 1…k.
    public let orderPValues: [Int: Double]
    /// The most significant breaking terms at the breaking order (at most three, z > 2).
    public let responsible: [BreakingTerm]

    /// Coefficient uncertainty never counts as smaller than this fraction of the label's
    /// standard deviation: on noise-free data σ ≈ 0 and round-off alone would look significant.
    public static let relativeNoiseFloor = 1e-8

    /// - Parameter centerIsFitted: the centre is the fitted model's stationary point, an
    ///   estimate: the statistic is profiled over a shift of the centre.
    public init(fit: TaylorFit, operation: SymmetryOperation, alpha: Double, labelSpread: Double, centerIsFitted: Bool = false) {
        let p = fit.parameterCount
        let degree = fit.exponents.map { $0.reduce(0, +) }
        let maps = operation.matrices.map { PolynomialComposition.coefficientMap($0, exponents: fit.exponents) }
        // Rows of the stacked L (one block per matrix), constant term dropped (always invariant).
        var rows: [(block: Int, alpha: Int, coefficients: [Double])] = []
        for (k, m) in maps.enumerated() {
            for a in 0..<p where degree[a] > 0 {
                var l = [Double](repeating: 0, count: p)
                for b in 0..<p { l[b] = ((a == b ? 1 : 0) - m[a, b]) / 2 }
                rows.append((k, a, l))
            }
        }
        let antisymmetric = rows.map { dot($0.coefficients, fit.coefficients) }
        // D = L·J: how the antisymmetric part moves with the centre.
        let d = fit.dimension
        var shift: [[Double]] = []
        if centerIsFitted {
            var index: [[Int]: Int] = [:]
            for (a, e) in fit.exponents.enumerated() { index[e] = a }
            var jacobian = [[Double]](repeating: [Double](repeating: 0, count: d), count: p)
            for a in 0..<p {
                for j in 0..<d {
                    var up = fit.exponents[a]; up[j] += 1
                    if let b = index[up] { jacobian[a][j] = Double(fit.exponents[a][j] + 1) * fit.coefficients[b] }
                }
            }
            shift = rows.map { row in (0..<d).map { j in (0..<p).reduce(0.0) { $0 + row.coefficients[$1] * jacobian[$1][j] } } }
        }
        let sigma = fit.sigma ?? 0
        let sigmaEff = max(sigma, Self.relativeNoiseFloor * labelSpread)
        let inflation = sigma > 0 ? (sigmaEff / sigma) * (sigmaEff / sigma) : 1
        // Cov(β) with the floor: where σ = 0 exactly, use σ_eff²·(XᵀX)⁺ via the fit's unit covariance.
        let covBeta = sigma > 0 ? fit.covariance.scaled(by: inflation) : fit.covariance
        func covariance(_ subset: [Int]) -> Matrix {
            // L_S Cov Lᵀ_S
            var lc = Matrix(rows: subset.count, columns: p)
            for (r, i) in subset.enumerated() {
                let l = rows[i].coefficients
                for b in 0..<p {
                    var s = 0.0
                    for c in 0..<p where l[c] != 0 { s += l[c] * covBeta[c, b] }
                    lc[r, b] = s
                }
            }
            var out = Matrix(rows: subset.count, columns: subset.count)
            for r in 0..<subset.count {
                for t in r..<subset.count {
                    let v = dot(lc.row(r), rows[subset[t]].coefficients)
                    out[r, t] = v; out[t, r] = v
                }
            }
            return out
        }
        func wald(_ subset: [Int], profiled: Bool) -> (w: Double, r: Int)? {
            guard !subset.isEmpty else { return nil }
            let cov = covariance(subset)
            guard let eig = try? SymmetricEigenDecomposition(cov) else { return nil }
            let big = eig.eigenvalues.map(abs).max() ?? 0
            guard big > 0 else { return nil }
            // Whitened A and D in the eigenbasis of Cov(A).
            var aw: [Double] = [], dw: [[Double]] = []
            for k in 0..<subset.count where eig.eigenvalues[k] > 1e-10 * big {
                let scale = 1 / eig.eigenvalues[k].squareRoot()
                var proj = 0.0
                var dk = [Double](repeating: 0, count: profiled && !shift.isEmpty ? d : 0)
                for (i, row) in subset.enumerated() {
                    proj += eig.eigenvectors[i, k] * antisymmetric[row]
                    for j in dk.indices { dk[j] += eig.eigenvectors[i, k] * shift[row][j] }
                }
                aw.append(proj * scale)
                dw.append(dk.map { $0 * scale })
            }
            var w = aw.map { $0 * $0 }.reduce(0, +)
            var r = aw.count
            if profiled, !shift.isEmpty, r > 0 {
                // Remove the part of A_w a centre shift explains: project on span(D_w).
                let (explained, rank) = Self.projectedSquaredNorm(aw, onto: dw, dimension: d)
                w = max(0, w - explained)
                r -= rank
            }
            return r > 0 ? (w, r) : nil
        }
        let dof = Double(max(fit.residualDegreesOfFreedom, 1))
        func tailProbability(_ wr: (w: Double, r: Int)) -> Double {
            fit.residualDegreesOfFreedom > 0
                ? Distributions.fUpperTail(wr.w / Double(wr.r), Double(wr.r), dof)
                : Distributions.chiSquaredUpperTail(wr.w, Double(wr.r))
        }
        let all = Array(rows.indices)
        if let wr = wald(all, profiled: true), sigma > 0 || fit.residualDegreesOfFreedom > 0 {
            statistic = wr.w
            degreesOfFreedom = wr.r
            pValue = Self.pValueOrNil(tailProbability(wr))
        } else {
            statistic = 0; degreesOfFreedom = 0; pValue = nil
        }
        var perOrder: [Int: Double] = [:]
        // Per order, unprofiled (a few rows of one order could be absorbed by a shift's d
        // directions entirely); at a fitted stationary point the linear terms are 0 by
        // construction and have no order of their own.
        for n in (centerIsFitted ? 2 : 1)...max(fit.order, centerIsFitted ? 2 : 1) {
            let subset = rows.indices.filter { degree[rows[$0].alpha] == n }
            if let wr = wald(subset, profiled: false) { perOrder[n] = tailProbability(wr) }
        }
        orderPValues = perOrder
        let threshold = alpha / Double(max(perOrder.count, 1))
        let breaking = perOrder.keys.sorted().first { perOrder[$0]! < threshold }
        breakingOrder = breaking
        var terms: [BreakingTerm] = []
        if let n = breaking {
            let covAll = covBeta
            for i in rows.indices where rows[i].block == 0 && degree[rows[i].alpha] == n {
                let l = rows[i].coefficients
                var v = 0.0
                for b in 0..<p where l[b] != 0 { for c in 0..<p where l[c] != 0 { v += l[b] * covAll[b, c] * l[c] } }
                guard v > 0 else { continue }
                let z = abs(antisymmetric[i]) / v.squareRoot()
                guard z > 2 else { continue }
                let a = rows[i].alpha
                let alphaVec = fit.exponents[a]
                let f = MultiIndex.factorial(alphaVec)
                terms.append(BreakingTerm(
                    forceConstant: ForceConstants.name(MultiIndex.indices(alphaVec)),
                    monomial: fit.monomialName(a), value: f * fit.coefficients[a],
                    stderr: fit.standardErrors[a].map { f * $0 }, zScore: z))
            }
        }
        responsible = Array(terms.sorted { $0.zScore > $1.zScore || ($0.zScore == $1.zScore && $0.monomial < $1.monomial) }.prefix(3))
    }

    static func pValueOrNil(_ p: Double) -> Double? { p.isFinite ? p : nil }

    /// |P a|² for P the orthogonal projector on the span of the columns of D (rows `dRows`, d
    /// columns), and the rank of D (eigenvalues of DᵀD below 1e-10 of the largest are dropped).
    static func projectedSquaredNorm(_ a: [Double], onto dRows: [[Double]], dimension d: Int) -> (Double, Int) {
        var gram = Matrix(rows: d, columns: d)
        var da = [Double](repeating: 0, count: d)
        for (row, value) in zip(dRows, a) {
            for i in 0..<d {
                da[i] += row[i] * value
                for j in 0..<d { gram[i, j] += row[i] * row[j] }
            }
        }
        guard let eig = try? SymmetricEigenDecomposition(gram) else { return (0, 0) }
        let big = eig.eigenvalues.map(abs).max() ?? 0
        guard big > 0 else { return (0, 0) }
        var norm = 0.0, rank = 0
        for k in 0..<d where eig.eigenvalues[k] > 1e-10 * big {
            var c = 0.0
            for i in 0..<d { c += eig.eigenvectors[i, k] * da[i] }
            norm += c * c / eig.eigenvalues[k]
            rank += 1
        }
        return (norm, rank)
    }
}
