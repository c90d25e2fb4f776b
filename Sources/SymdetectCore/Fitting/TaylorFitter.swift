import Foundation

/// Least-squares fit of a Taylor polynomial about a given centre.
///
/// Method (why each step):
/// 1. Coordinates are scaled, v_j = (x_j − c_j)/s_j with s_j = max_i |x_ij − c_j|, so every
///    monomial lies in [−1, 1] (a raw Vandermonde on x ∈ [−9, −3] has cond ≈ 10¹⁵).
/// 2. Rows √wᵢ·φ(vᵢ) stream through GSL's TSQR accumulator in blocks, so memory is O(p²)
///    whatever N is; Householder QR keeps the error ∝ cond(X), not cond(X)² as normal equations.
/// 3. The columns of R are equilibrated (unit norm, D) and R·D⁻¹ = U Σ Vᵀ is decomposed by
///    one-sided Jacobi SVD, which resolves small singular values to high relative accuracy.
///    Singular values below σ₁·max(N, p)·ε are treated as zero (numpy's matrix_rank rule):
///    the minimum-norm solution is returned, the null-space combinations are named and the
///    affected standard errors are nil.
/// 3b. Moderate full-rank designs are re-solved by Householder QR in extended precision.
/// 4. A second pass over the rows gives residuals and the hat diagonal
///    hᵢᵢ = wᵢ‖Σ⁺VᵀD⁻¹φ(vᵢ)‖² (for large full-rank designs the equal wᵢ‖R⁻ᵀφ(vᵢ)‖²), hence
///    the leave-one-out residuals rᵢ/(1 − hᵢᵢ).
/// 5. Coefficients and covariance are unscaled to user units: β_α = β̃_α / Π_j s_j^α_j.
public enum TaylorFitter {
    public static let maximumOrder = 12
    static let blockRows = 2048

    /// Fits `labels` (default: the table's labels) about `center` with all monomials up to `order`.
    /// - Parameters:
    ///   - radius: Gaussian locality weights wᵢ = exp(−|xᵢ − c|²/(2R²)), or nil for wᵢ = 1.
    ///   - leaveOneOut: false for an auxiliary fit whose leave-one-out error nobody reads (a
    ///     proxy, one side of an F test, an R² check): a large design then skips the hat
    ///     diagonal — a triangular solve per row, p² flops, the costliest part of its last pass —
    ///     and its `looRmse` is nil. Every other result is the same.
    public static func fit(
        _ table: SampleTable,
        labels: [Double]? = nil,
        center: [Double],
        order: Int,
        radius: Double? = nil,
        leaveOneOut: Bool = true
    ) throws -> TaylorFit {
        let y = labels ?? table.labels
        let d = table.dimension
        let n = table.count
        guard (1...maximumOrder).contains(order) else { throw FitError.invalidOrder(order) }
        guard center.count == d else { throw FitError.centerDimension(expected: d, got: center.count) }
        let exponents = MultiIndex.all(dimension: d, order: order)
        let p = exponents.count
        if let gradients = table.gradients, labels == nil || y == table.labels {
            return try GradientEnhancedFitter.fit(table, gradients: gradients, center: center, order: order, radius: radius)
        }
        guard n >= p + 1 else { throw FitError.tooFewRows(needed: p, available: n, order: order, dimension: d) }

        let large = n * p * p > ExtendedPrecisionLeastSquares.workLimit
        let cacheKey = large ? NestedFitCache.Key(table, y, center, radius) : nil
        if let cacheKey, let known = NestedFitCache.shared.fit(cacheKey, order: order, leaveOneOut: leaveOneOut) { return known }

        // 1. Scaling per coordinate.
        let scale = coordinateScale(table, center)
        let weights = try locality(table, center: center, radius: radius)

        let evaluator = MonomialEvaluator(exponents: exponents)
        var v = [Double](repeating: 0, count: d)
        var row = [Double](repeating: 0, count: p)

        // 2. The triangular factor R of the (weighted, scaled) design and Qᵀy.
        // Large designs (beyond the extended-precision path's reach) take the semi-normal
        // equations: R from the Cholesky factor of XᵀX accumulated with BLAS-3, refined below by
        // one step against the true residuals. Where cond(X) is too large for that to reach QR
        // accuracy (or XᵀX is not numerically positive definite) the streaming QR is used.
        let passes: TaylorDesignPasses? = large
            ? TaylorDesignPasses(table: table, labels: y, center: center, scale: scale, weights: weights, exponents: exponents)
            : nil
        var semiNormal: (r: Matrix, qty: [Double])?
        if let passes, let cacheKey, let f = try? Self.semiNormalFactor(passes, cacheKey: cacheKey, order: order) { semiNormal = f }
        var (r, qty) = try semiNormal ?? streamingQR(table, y, center, scale, weights, evaluator, p)
        var decomposition = try EquilibratedDecomposition(r: r, qty: qty, rowCount: n)
        if semiNormal != nil, decomposition.conditionNumber > Self.semiNormalConditionLimit {
            semiNormal = nil
            (r, qty) = try streamingQR(table, y, center, scale, weights, evaluator, p)
            decomposition = try EquilibratedDecomposition(r: r, qty: qty, rowCount: n)
        }
        let colNorm = decomposition.colNorm
        let svd = decomposition.svd
        let rank = decomposition.rank
        let conditionNumber = decomposition.conditionNumber
        let pm = decomposition.projector
        var betaScaled = decomposition.beta

        if semiNormal != nil, let passes {
            // One step of iterative refinement from the true residuals (Björck's corrected
            // semi-normal equations): δ = (XᵀX)⁺Xᵀ(y − Xβ) = PᵀP·Xᵀr. Brings the error from
            // ε·κ² to about ε·κ, that of Householder QR.
            let g = passes.residualCorrelation(betaScaled)
            var pg = [Double](repeating: 0, count: rank)
            for k in 0..<rank { var s = 0.0; for a in 0..<p { s += pm[k, a] * g[a] }; pg[k] = s }
            for a in 0..<p { var s = 0.0; for k in 0..<rank { s += pm[k, a] * pg[k] }; betaScaled[a] += s }
        }

        // 3b. Full-rank designs of moderate size: re-solve in extended precision (see
        // ExtendedPrecisionLeastSquares) — same equilibrated columns, so the result differs from
        // the SVD solution only by the double-precision round-off it removes.
        if rank == p, n * p * p <= ExtendedPrecisionLeastSquares.workLimit {
            typealias E = ExtendedPrecisionLeastSquares.Extended
            var design = [E](repeating: 0, count: n * p)
            var rhsAll = [Double](repeating: 0, count: n)
            var pw = [[E]](repeating: [E](repeating: 1, count: order + 1), count: d)
            for i in 0..<n {
                for j in 0..<d {
                    let v = (E(table.features[j][i]) - E(center[j])) / E(scale[j])
                    for k in 1...order { pw[j][k] = pw[j][k - 1] * v }
                }
                let sw = E(weights.map { $0[i].squareRoot() } ?? 1)
                for (a, alpha) in exponents.enumerated() {
                    var m = sw / E(colNorm[a])
                    for j in 0..<d where alpha[j] > 0 { m *= pw[j][alpha[j]] }
                    design[a * n + i] = m
                }
                rhsAll[i] = (weights.map { $0[i].squareRoot() } ?? 1) * y[i]
            }
            if let gamma = ExtendedPrecisionLeastSquares.solve(columnMajorDesign: &design, rhs: rhsAll, columns: p) {
                for a in 0..<p { betaScaled[a] = gamma[a] / colNorm[a] }
            }
        }

        // 4. Residuals and leverages: kept per row for small designs only; large ones keep
        // just the sums (N values each would dwarf the rest of the fit).
        var residuals = [Double](repeating: 0, count: large ? 0 : n)
        var leverages = [Double](repeating: 0, count: large ? 0 : n)
        var sumW = 0.0, rss = 0.0, looSS = 0.0, tss = 0.0
        var looDefined = true
        if let passes {
            // Full rank: PᵀP = (X̃ᵀX̃)⁻¹ = (RᵀR)⁻¹, so the triangular factor gives the leverages
            // at half the cost of the projector.
            let fullRank = rank == p && (0..<p).allSatisfy { r[$0, $0] != 0 }
            let sums = passes.finalPass(beta: betaScaled, leverage: !leaveOneOut ? nil : fullRank ? .triangular(r) : .projector(pm))
            (sumW, rss, looSS, looDefined) = (sums.sumW, sums.rss, sums.looSS, sums.looDefined)
            tss = sums.spread.sumOfSquares
        } else {
            var sumWY = 0.0
            for i in 0..<n {
                designRow(table, i, center, scale, evaluator, &v, into: &row)
                let w = weights?[i] ?? 1
                let fitted = dot(row, betaScaled)
                let res = y[i] - fitted
                var h = 0.0
                for k in 0..<rank {
                    var s = 0.0
                    for a in 0..<p { s += pm[k, a] * row[a] }
                    h += s * s
                }
                h *= w
                residuals[i] = res
                leverages[i] = h
                sumW += w; sumWY += w * y[i]; rss += w * res * res
                if h < 1 - 1e-9 { let l = res / (1 - h); looSS += w * l * l } else { looDefined = false }
            }
            let meanY = sumWY / sumW
            for i in 0..<n { let w = weights?[i] ?? 1; tss += w * (y[i] - meanY) * (y[i] - meanY) }
        }
        let dof = n - rank
        let sigma: Double? = dof > 0 ? (rss / Double(dof)).squareRoot() : nil

        // 5. Unscale to user units.
        let (beta, cov, stderr, unscale) = unscaled(betaScaled, projector: pm, rank: rank, v: svd.v, sigma: sigma,
                                                    scale: scale, exponents: exponents)
        let names = exponents.map { MultiIndex.name($0, variables: table.featureNames) }
        var undetermined: [String] = []
        for k in rank..<p {
            // X̃·v = 0 ⇒ Σ_α v_α/(D_α S_α) u^α = 0 on the data.
            let c = (0..<p).map { svd.v[$0, k] / (colNorm[$0] * unscale[$0]) }
            undetermined.append(combinationName(c, names: names))
        }

        var warnings: [FitWarning] = []
        if rank < p { warnings.append(.rankDeficient(rank: rank, parameters: p, combinations: undetermined)) }
        if dof == 0 { warnings.append(.noResidualDegreesOfFreedom) }
        if !looDefined { warnings.append(.leverageOne) }

        let poly = TaylorPolynomial(center: center, exponents: exponents, coefficients: beta)
        let result = TaylorFit(
            featureNames: table.featureNames, order: order, polynomial: poly,
            standardErrors: stderr, covariance: cov, sigma: sigma,
            rmse: (rss / sumW).squareRoot(),
            r2: tss > 0 ? 1 - rss / tss : (rss == 0 ? 1 : 0),
            looRmse: looDefined && (leaveOneOut || passes == nil) ? (looSS / sumW).squareRoot() : nil,
            conditionNumber: conditionNumber, rank: rank, rowCount: n,
            residualDegreesOfFreedom: dof, undeterminedCombinations: undetermined,
            radius: radius, residuals: residuals, leverages: leverages, warnings: warnings)
        if let cacheKey { NestedFitCache.shared.store(result, cacheKey, leaveOneOut: leaveOneOut) }
        return result
    }

    /// Largest condition number (of the column-equilibrated design) for which the refined
    /// semi-normal equations are used: their error after one refinement step is about
    /// ε·κ·(1 + ε·κ²), within a factor of two of QR's ε·κ up to here.
    static let semiNormalConditionLimit = 1e6

    /// R (upper triangular, RᵀR = X̃ᵀX̃) and Qᵀy = R⁻ᵀX̃ᵀỹ from the accumulated normal equations.
    static func semiNormalFactor(_ passes: TaylorDesignPasses,
                                 cacheKey key: NestedFitCache.Key, order: Int) throws -> (r: Matrix, qty: [Double]) {
        let cache = NestedFitCache.shared
        let (gram, xty) = cache.normalEquations(key, order: order) ?? {
            let computed = passes.normalEquations()
            cache.storeNormalEquations(key, order: order, gram: computed.gram, rhs: computed.rhs)
            return computed
        }()
        let r = try CholeskyFactorization.upperFactor(gram)
        let p = r.rows
        var qty = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var s = xty[i]
            for k in 0..<i { s -= r[k, i] * qty[k] }
            guard r[i, i] > 0 else { throw FitError.numerical("the normal equations are singular") }
            qty[i] = s / r[i, i]
        }
        return (r, qty)
    }

    /// R and Qᵀy by GSL's streaming tall-skinny QR over blocks of `blockRows` rows.
    static func streamingQR(_ table: SampleTable, _ y: [Double], _ center: [Double], _ scale: [Double], _ weights: [Double]?,
                            _ evaluator: MonomialEvaluator, _ p: Int) throws -> (r: Matrix, qty: [Double]) {
        let n = table.count
        var v = [Double](repeating: 0, count: center.count)
        let tsqr = try TSQRAccumulator(parameterCount: p)
        var design = [Double](repeating: 0, count: blockRows * p)
        var rhs = [Double](repeating: 0, count: blockRows)
        var row = [Double](repeating: 0, count: p)
        var start = 0
        while start < n {
            let end = min(n, start + blockRows)
            let rowsInBlock = end - start
            for i in start..<end {
                designRow(table, i, center, scale, evaluator, &v, into: &row)
                let sw = weights.map { $0[i].squareRoot() } ?? 1
                let base = (i - start) * p
                for a in 0..<p { design[base + a] = sw * row[a] }
                rhs[i - start] = sw * y[i]
            }
            try tsqr.accumulate(design: Array(design[0..<(rowsInBlock * p)]), rhs: Array(rhs[0..<rowsInBlock]))
            start = end
        }
        return try tsqr.triangularSystem()
    }

    /// Step 3: columns of R equilibrated (unit norm, D), R·D⁻¹ = UΣVᵀ by one-sided Jacobi SVD,
    /// numerical rank by numpy's rule, P = Σ⁺VᵀD⁻¹ and the minimum-norm β̃ = P·(UᵀQᵀy).
    struct EquilibratedDecomposition {
        let colNorm: [Double]
        let svd: SingularValueDecomposition
        let rank: Int
        let conditionNumber: Double
        /// P = Σ⁺ Vᵀ D⁻¹ (rank × p): β̃ = P·(Uᵀ Qᵀy restricted), h = w‖Pφ‖², Cov(β̃) = σ² PᵀP.
        let projector: Matrix
        let beta: [Double]

        init(r: Matrix, qty: [Double], rowCount n: Int) throws {
            let p = r.columns
            var colNorm = [Double](repeating: 1, count: p)
            for a in 0..<p {
                var s = 0.0
                for i in 0..<p { s += r[i, a] * r[i, a] }
                colNorm[a] = s > 0 ? s.squareRoot() : 1
            }
            var rEq = r
            for i in 0..<p { for a in 0..<p { rEq[i, a] /= colNorm[a] } }
            let svd = try SingularValueDecomposition(rEq)
            let sv = svd.singularValues
            let tolerance = (sv.first ?? 0) * Double(max(n, p)) * Double.ulpOfOne
            let rank = sv.filter { $0 > tolerance }.count
            conditionNumber = (sv.last ?? 0) > 0 ? sv[0] / sv[p - 1] : .infinity
            var pm = Matrix(rows: rank, columns: p)
            for k in 0..<rank { for a in 0..<p { pm[k, a] = svd.v[a, k] / sv[k] / colNorm[a] } }
            var utq = [Double](repeating: 0, count: rank)
            for k in 0..<rank { var s = 0.0; for i in 0..<p { s += svd.u[i, k] * qty[i] }; utq[k] = s }
            var betaScaled = [Double](repeating: 0, count: p)
            for a in 0..<p { var s = 0.0; for k in 0..<rank { s += pm[k, a] * utq[k] }; betaScaled[a] = s }
            self.colNorm = colNorm
            self.svd = svd
            self.rank = rank
            self.projector = pm
            self.beta = betaScaled
        }
    }
    /// Coefficients, covariance and standard errors in the data's units from the solution in
    /// scaled coordinates (u_j/s_j): β_α = β̃_α/f_α with f_α = Π_j s_j^{α_j};
    /// Cov(β)_ab = σ²·Σ_{k<rank} P_ka·P_kb/(f_a·f_b), P the rows of the pseudo-inverse factor
    /// (`projector`); a standard error is nil where the coefficient has weight > 1e-8 in the
    /// design's null space (columns rank… of V) or σ is undefined. `factors` are the f_α.
    static func unscaled(_ betaScaled: [Double], projector pm: Matrix, rank: Int, v: Matrix, sigma: Double?,
                         scale: [Double], exponents: [[Int]]) -> (beta: [Double], covariance: Matrix, stderr: [Double?], factors: [Double]) {
        let p = exponents.count
        let unscale = exponents.map { alpha -> Double in
            var f = 1.0
            for j in 0..<scale.count where alpha[j] > 0 { f *= pow(scale[j], Double(alpha[j])) }
            return f
        }
        let beta = (0..<p).map { betaScaled[$0] / unscale[$0] }
        var cov = Matrix(rows: p, columns: p)
        let s2 = (sigma ?? 0) * (sigma ?? 0)
        for a in 0..<p {
            for b in a..<p {
                var s = 0.0
                for k in 0..<rank { s += pm[k, a] * pm[k, b] }
                let value = s2 * s / (unscale[a] * unscale[b])
                cov[a, b] = value; cov[b, a] = value
            }
        }
        var nullWeight = [Double](repeating: 0, count: p)
        for k in rank..<p { for a in 0..<p { nullWeight[a] += v[a, k] * v[a, k] } }
        let stderr: [Double?] = (0..<p).map { a in
            (nullWeight[a] > 1e-8 || sigma == nil) ? nil : cov[a, a].squareRoot()
        }
        return (beta, cov, stderr, unscale)
    }


    /// s_j = max_i |x_ij − c_j| (1 where the coordinate is constant).
    /// Computed as max(max_i x_ij − c_j, c_j − min_i x_ij): rounding is monotone and symmetric,
    /// so this is bit for bit the same number, from one vectorisable min/max pass.
    static func coordinateScale(_ table: SampleTable, _ center: [Double]) -> [Double] {
        (0..<table.dimension).map { j in
            let (lo, hi) = SampleTable.bounds(table.features[j]) ?? (center[j], center[j])
            let m = max(0, hi - center[j], center[j] - lo)
            return m > 0 ? m : 1
        }
    }

    static func locality(_ table: SampleTable, center: [Double], radius: Double?) throws -> [Double]? {
        guard let radius else { return nil }
        var w = [Double](repeating: 0, count: table.count)
        var total = 0.0
        for i in 0..<table.count {
            var r2 = 0.0
            for j in 0..<table.dimension { let u = table.features[j][i] - center[j]; r2 += u * u }
            w[i] = exp(-0.5 * r2 / (radius * radius))
            total += w[i]
        }
        guard total > 1e-300 else { throw FitError.noWeight(radius: radius) }
        return w
    }

    /// Row i of the scaled design, φ_α(v) with v_j = (x_ij − c_j)/s_j.
    @inline(__always)
    static func designRow(_ table: SampleTable, _ i: Int, _ center: [Double], _ scale: [Double],
                          _ evaluator: MonomialEvaluator, _ v: inout [Double], into row: inout [Double]) {
        for j in 0..<center.count { v[j] = (table.features[j][i] - center[j]) / scale[j] }
        v.withUnsafeBufferPointer { vb in row.withUnsafeMutableBufferPointer { evaluator.evaluate(vb, into: $0) } }
    }

    static func combinationName(_ c: [Double], names: [String]) -> String {
        let big = c.map(abs).max() ?? 0
        guard big > 0 else { return "0" }
        var terms: [String] = []
        for (a, v) in c.enumerated() where abs(v) > 1e-6 * big {
            let x = v / big
            let mag = String(format: "%.4g", abs(x))
            let sign = x < 0 ? "−" : "+"
            terms.append(terms.isEmpty ? (x < 0 ? "−" : "") + "\(mag)·\(names[a])" : "\(sign) \(mag)·\(names[a])")
        }
        return terms.joined(separator: " ") + " = 0"
    }
}
