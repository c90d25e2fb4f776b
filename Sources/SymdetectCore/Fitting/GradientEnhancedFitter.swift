import Foundation

/// What the gradient equations contributed to a gradient-enhanced fit.
public struct GradientEquationSummary: Sendable, Equatable {
    /// Equations from the labels (one per sample).
    public let labelEquations: Int
    /// Equations from the gradient components (samples × coordinates).
    public let gradientEquations: Int
    /// W of `GradientWeight`, as used.
    public let weight: Double
    /// True when W was estimated from the fit's residuals, false when given.
    public let weightWasEstimated: Bool
    /// sqrt(Σᵢ Σⱼ λᵢ (gᵢⱼ − ∂ⱼT(xᵢ))² / (d Σᵢ λᵢ)): label units per coordinate unit.
    public let gradientRMSE: Double
    /// Σᵢ λᵢ rᵢ² + W Σᵢⱼ λᵢ r_ij²: the stacked residual sum of squares behind σ and the nested F test.
    public let weightedResidualSumOfSquares: Double
}

/// Gradient-enhanced least squares: the Taylor model T fitted to labels and measured label
/// gradients together (SPEC §2b.3; a molecule's energies and forces).
///
/// Each sample i contributes 1 + d equations on the same coefficients β:
///   √λᵢ·φ(uᵢ)ᵀβ = √λᵢ·yᵢ                         (the label)
///   √(λᵢW)·∂ⱼφ(uᵢ)ᵀβ = √(λᵢW)·gᵢⱼ,  j = 1 … d     (the gradient, gᵢⱼ = ∂y/∂x_j = −F for energies)
/// with λᵢ the locality weights (1 without `radius`) and W the gradient weight. The gradient
/// rows are derivatives of the monomial basis: in the scaled coordinates v = u/s of
/// `TaylorFitter`, ∂(v^α)/∂u_j = α_j v^(α−e_j)/s_j, so the scaled coefficients β̃ and their
/// unscaling are those of the label-only fit.
///
/// Statistics of the stacked system, all under the model that the weighted equations share one
/// variance σ² (which W = σ_y²/σ_g² makes true):
/// - rank, condition number: of the stacked, column-equilibrated design;
/// - σ² = (Σλr² + WΣλr_g²)/(N_eq − rank), N_eq = n(1 + d); Cov(β) = σ²(XᵀWX)⁺ and the standard
///   errors follow; `residualDegreesOfFreedom` = N_eq − rank and `rowCount` = N_eq, so the Wald
///   and nested F tests downstream count equations, not samples;
/// - RMSE and R²: of the labels alone (label units), as for a label-only fit;
/// - leave-one-out: **leave one sample out** with all its 1 + d equations (a frame's energy and
///   forces come from one calculation and share its errors; leaving out only the label row
///   would let the frame's own gradient rows predict it). With H_i the (1+d)×(1+d) block of the
///   hat matrix for sample i and e_i its weighted residuals, the residuals of the fit without
///   sample i are (I − H_i)⁻¹e_i (the block form of the leverage identity); the label
///   component gives the LOO RMSE. A block with I − H_i singular (pivot below 1e-9) makes it
///   undefined, as a leverage of one does for label-only fits;
/// - `leverages`: the hat diagonal of each label equation; `residuals`: the label residuals.
///
/// Solution: small systems by streaming Householder QR of the stacked rows; large ones
/// (N_eq·p² above `ExtendedPrecisionLeastSquares.workLimit`) by the semi-normal equations —
/// Gram matrices XᵀX of the label and gradient blocks accumulated once with BLAS-3 `dsyrk`,
/// Cholesky, one step of iterative refinement against the true residuals — falling back to QR
/// when the equilibrated condition number exceeds `TaylorFitter.semiNormalConditionLimit`.
///
/// Memory: unlike the label-only path, which streams the rows, the stacked design is held whole
/// (N_eq × p doubles: 57 MB for 10⁴ equations × 715 monomials), sized for molecular datasets of
/// thousands of frames; a streaming accumulation (as `TaylorDesignPasses` does) would lift that.
enum GradientEnhancedFitter {
    /// The design of the stacked system, unweighted by W (locality weights √λ included).
    struct StackedDesign {
        let n: Int
        let d: Int
        let p: Int
        /// Column-major n × p: √λᵢ φ(vᵢ).
        var labelRows: [Double]
        /// Column-major (n·d) × p, row i·d + j: √λᵢ ∂ⱼφ(uᵢ).
        var gradientRows: [Double]
        let labelRHS: [Double]
        let gradientRHS: [Double]
        var equations: Int { n * (1 + d) }
    }

    static func fit(_ table: SampleTable, gradients: LabelGradients, center: [Double], order: Int,
                    radius: Double?) throws -> TaylorFit {
        let d = table.dimension, n = table.count
        guard gradients.values.count == d, gradients.values.allSatisfy({ $0.count == n }) else {
            throw FitError.numerical("the gradients have \(gradients.values.count) columns for \(d) coordinates")
        }
        guard gradients.values.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw FitError.numerical("a label gradient is not finite")
        }
        if case .fixed(let w) = gradients.weight, !(w > 0 && w.isFinite) {
            throw FitError.numerical("the gradient weight must be positive and finite, got \(w)")
        }
        let exponents = MultiIndex.all(dimension: d, order: order)
        let p = exponents.count
        guard n * (1 + d) >= p + 1 else {
            throw FitError.tooFewRows(needed: p, available: n * (1 + d), order: order, dimension: d)
        }
        if let known = GradientFitCache.shared.fit(table, center: center, order: order, radius: radius) { return known }
        let scale = TaylorFitter.coordinateScale(table, center)
        let locality = try TaylorFitter.locality(table, center: center, radius: radius)
        let design = Self.design(table, gradients: gradients, center: center, scale: scale, locality: locality,
                                 exponents: exponents, order: order)
        let large = design.equations * p * p > ExtendedPrecisionLeastSquares.workLimit
        let grams = large ? Self.grams(design) : nil

        let weight: Double
        let estimated: Bool
        switch gradients.weight {
        case .fixed(let w): weight = w; estimated = false
        case .estimated: weight = Self.estimateWeight(design, grams: grams ?? Self.grams(design)); estimated = true
        }

        // The solution at W.
        var decomposition: TaylorFitter.EquilibratedDecomposition?
        if let grams, let semi = try? Self.semiNormalFactor(grams, weight: weight) {
            let candidate = try TaylorFitter.EquilibratedDecomposition(r: semi.r, qty: semi.qty, rowCount: design.equations)
            if candidate.conditionNumber <= TaylorFitter.semiNormalConditionLimit { decomposition = candidate }
        }
        let refine = decomposition != nil
        if decomposition == nil {
            let (r, qty) = try Self.householder(design, weight: weight)
            decomposition = try TaylorFitter.EquilibratedDecomposition(r: r, qty: qty, rowCount: design.equations)
        }
        let dec = decomposition!
        let rank = dec.rank
        let pm = dec.projector
        var betaScaled = dec.beta
        if refine {
            // One step of iterative refinement (Björck): δ = PᵀP·X̃ᵀ(ỹ − X̃β̃).
            let g = Self.residualCorrelation(design, beta: betaScaled, weight: weight)
            var pg = [Double](repeating: 0, count: rank)
            for k in 0..<rank { var s = 0.0; for a in 0..<p { s += pm[k, a] * g[a] }; pg[k] = s }
            for a in 0..<p { var s = 0.0; for k in 0..<rank { s += pm[k, a] * pg[k] }; betaScaled[a] += s }
        }

        // Residuals, leverages and leave-one-sample-out.
        let (labelResiduals, gradientResiduals) = Self.residuals(design, beta: betaScaled)
        let blocks = Self.sampleBlocks(design, weight: weight, projector: pm, rank: rank,
                                       labelResiduals: labelResiduals, gradientResiduals: gradientResiduals)
        let lambda = locality ?? [Double](repeating: 1, count: n)
        let sumW = lambda.reduce(0, +)
        var rssLabel = 0.0, rssGradient = 0.0, sumWY = 0.0
        var residuals = [Double](repeating: 0, count: n)
        for i in 0..<n {
            rssLabel += labelResiduals[i] * labelResiduals[i]
            residuals[i] = labelResiduals[i] / lambda[i].squareRoot()
            sumWY += lambda[i] * table.labels[i]
        }
        for r in gradientResiduals { rssGradient += r * r }
        let meanY = sumWY / sumW
        var tss = 0.0
        for i in 0..<n { tss += lambda[i] * (table.labels[i] - meanY) * (table.labels[i] - meanY) }
        let rss = rssLabel + weight * rssGradient
        let dof = design.equations - rank
        let sigma: Double? = dof > 0 ? (rss / Double(dof)).squareRoot() : nil

        let (beta, cov, stderr, unscale) = TaylorFitter.unscaled(betaScaled, projector: pm, rank: rank, v: dec.svd.v, sigma: sigma,
                                                                 scale: scale, exponents: exponents)
        let names = exponents.map { MultiIndex.name($0, variables: table.featureNames) }
        var undetermined: [String] = []
        for k in rank..<p {
            let c = (0..<p).map { dec.svd.v[$0, k] / (dec.colNorm[$0] * unscale[$0]) }
            undetermined.append(TaylorFitter.combinationName(c, names: names))
        }
        var warnings: [FitWarning] = []
        if rank < p { warnings.append(.rankDeficient(rank: rank, parameters: p, combinations: undetermined)) }
        if dof == 0 { warnings.append(.noResidualDegreesOfFreedom) }
        if !blocks.looDefined { warnings.append(.leverageOne) }

        var result = TaylorFit(
            featureNames: table.featureNames, order: order,
            polynomial: TaylorPolynomial(center: center, exponents: exponents, coefficients: beta),
            standardErrors: stderr, covariance: cov, sigma: sigma,
            rmse: (rssLabel / sumW).squareRoot(),
            r2: tss > 0 ? 1 - rssLabel / tss : (rssLabel == 0 ? 1 : 0),
            looRmse: blocks.looDefined ? (blocks.looSS / sumW).squareRoot() : nil,
            conditionNumber: dec.conditionNumber, rank: rank, rowCount: design.equations,
            residualDegreesOfFreedom: dof, undeterminedCombinations: undetermined,
            radius: radius, residuals: residuals, leverages: blocks.labelLeverages, warnings: warnings)
        result.gradientEquations = GradientEquationSummary(
            labelEquations: n, gradientEquations: n * d, weight: weight, weightWasEstimated: estimated,
            gradientRMSE: (rssGradient / (Double(d) * sumW)).squareRoot(), weightedResidualSumOfSquares: rss)
        GradientFitCache.shared.store(result, table, center: center, radius: radius)
        return result
    }

    // MARK: - The design

    static func design(_ table: SampleTable, gradients: LabelGradients, center: [Double], scale: [Double],
                       locality: [Double]?, exponents: [[Int]], order: Int) -> StackedDesign {
        let n = table.count, d = table.dimension, p = exponents.count
        var labelRows = [Double](repeating: 0, count: n * p)
        var gradientRows = [Double](repeating: 0, count: n * d * p)
        var labelRHS = [Double](repeating: 0, count: n)
        var gradientRHS = [Double](repeating: 0, count: n * d)
        var pw = [[Double]](repeating: [Double](repeating: 1, count: order + 1), count: d)
        let nd = n * d
        for i in 0..<n {
            for j in 0..<d {
                let v = (table.features[j][i] - center[j]) / scale[j]
                for k in 1...order { pw[j][k] = pw[j][k - 1] * v }
            }
            let sw = locality.map { $0[i].squareRoot() } ?? 1
            labelRHS[i] = sw * table.labels[i]
            for j in 0..<d { gradientRHS[i * d + j] = sw * gradients.values[j][i] }
            for (a, alpha) in exponents.enumerated() {
                var m = sw
                for j in 0..<d where alpha[j] > 0 { m *= pw[j][alpha[j]] }
                labelRows[a * n + i] = m
                for j in 0..<d where alpha[j] > 0 {
                    // α_j v^(α − e_j) / s_j
                    var g = sw * Double(alpha[j]) / scale[j]
                    for k in 0..<d where alpha[k] > 0 { g *= pw[k][k == j ? alpha[k] - 1 : alpha[k]] }
                    gradientRows[a * nd + i * d + j] = g
                }
            }
        }
        return StackedDesign(n: n, d: d, p: p, labelRows: labelRows, gradientRows: gradientRows,
                             labelRHS: labelRHS, gradientRHS: gradientRHS)
    }

    /// XᵀX and Xᵀy of the label block and of the gradient block (W not applied), by BLAS-3.
    struct Grams {
        let label: Matrix
        let gradient: Matrix
        let labelRHS: [Double]
        let gradientRHS: [Double]
    }

    static func grams(_ x: StackedDesign) -> Grams {
        func gram(_ rows: [Double], _ count: Int, _ rhs: [Double]) -> (Matrix, [Double]) {
            let p = x.p
            var c = [Double](repeating: 0, count: p * p)
            var b = [Double](repeating: 0, count: p)
            rows.withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { cb in
                    BLASKernels.addGram(a.baseAddress!, rows: count, columns: p, lda: count, into: cb.baseAddress!)
                }
                rhs.withUnsafeBufferPointer { y in
                    b.withUnsafeMutableBufferPointer { bb in
                        BLASKernels.addTransposedProduct(a.baseAddress!, rows: count, columns: p, lda: count,
                                                         y.baseAddress!, into: bb.baseAddress!)
                    }
                }
            }
            // Column-major upper triangle: c[col * p + row], row ≤ col.
            var m = Matrix(rows: p, columns: p)
            for col in 0..<p { for row in 0...col { m[row, col] = c[col * p + row]; m[col, row] = c[col * p + row] } }
            return (m, b)
        }
        let (gl, bl) = gram(x.labelRows, x.n, x.labelRHS)
        let (gg, bg) = gram(x.gradientRows, x.n * x.d, x.gradientRHS)
        return Grams(label: gl, gradient: gg, labelRHS: bl, gradientRHS: bg)
    }

    /// R (RᵀR = X_lᵀX_l + W X_gᵀX_g) and Qᵀy = R⁻ᵀ(X_lᵀy_l + W X_gᵀy_g).
    static func semiNormalFactor(_ g: Grams, weight: Double) throws -> (r: Matrix, qty: [Double]) {
        let a = g.label + g.gradient.scaled(by: weight)
        let b = zip(g.labelRHS, g.gradientRHS).map { $0 + weight * $1 }
        let r = try CholeskyFactorization.upperFactor(a)
        return (r, try Self.forwardSubstitution(r, b))
    }

    /// z with Rᵀz = b (R upper triangular).
    static func forwardSubstitution(_ r: Matrix, _ b: [Double]) throws -> [Double] {
        let p = r.rows
        var z = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var s = b[i]
            for k in 0..<i { s -= r[k, i] * z[k] }
            guard r[i, i] > 0 else { throw FitError.numerical("the normal equations are singular") }
            z[i] = s / r[i, i]
        }
        return z
    }

    /// R and Qᵀy by streaming Householder QR of the stacked rows (label rows, then √W·gradient
    /// rows), in blocks of `TaylorFitter.blockRows` (GSL needs the first block to hold ≥ p rows).
    static func householder(_ x: StackedDesign, weight: Double) throws -> (r: Matrix, qty: [Double]) {
        let p = x.p, n = x.n, nd = x.n * x.d, total = x.equations
        let tsqr = try TSQRAccumulator(parameterCount: p)
        let sw = weight.squareRoot()
        var start = 0
        while start < total {
            let end = min(total, start + max(TaylorFitter.blockRows, p))
            var block = [Double](repeating: 0, count: (end - start) * p)
            var rhs = [Double](repeating: 0, count: end - start)
            for e in start..<end {
                let base = (e - start) * p
                if e < n {
                    for a in 0..<p { block[base + a] = x.labelRows[a * n + e] }
                    rhs[e - start] = x.labelRHS[e]
                } else {
                    let g = e - n
                    for a in 0..<p { block[base + a] = sw * x.gradientRows[a * nd + g] }
                    rhs[e - start] = sw * x.gradientRHS[g]
                }
            }
            try tsqr.accumulate(design: block, rhs: rhs)
            start = end
        }
        return try tsqr.triangularSystem()
    }

    /// Weighted label residuals √λ(y − T) and gradient residuals √λ(g − ∂T) (W not applied).
    static func residuals(_ x: StackedDesign, beta: [Double]) -> (label: [Double], gradient: [Double]) {
        func apply(_ rows: [Double], _ count: Int, _ rhs: [Double]) -> [Double] {
            var fitted = [Double](repeating: 0, count: count)
            rows.withUnsafeBufferPointer { a in
                beta.withUnsafeBufferPointer { b in
                    fitted.withUnsafeMutableBufferPointer { f in
                        BLASKernels.product(a.baseAddress!, rows: count, columns: x.p, lda: count, b.baseAddress!, into: f.baseAddress!)
                    }
                }
            }
            return (0..<count).map { rhs[$0] - fitted[$0] }
        }
        return (apply(x.labelRows, x.n, x.labelRHS), apply(x.gradientRows, x.n * x.d, x.gradientRHS))
    }

    /// X̃ᵀ(ỹ − X̃β̃) of the stacked system at weight W.
    static func residualCorrelation(_ x: StackedDesign, beta: [Double], weight: Double) -> [Double] {
        let (rl, rg) = residuals(x, beta: beta)
        var g = [Double](repeating: 0, count: x.p)
        g.withUnsafeMutableBufferPointer { out in
            x.labelRows.withUnsafeBufferPointer { a in
                rl.withUnsafeBufferPointer { r in
                    BLASKernels.addTransposedProduct(a.baseAddress!, rows: x.n, columns: x.p, lda: x.n, r.baseAddress!, into: out.baseAddress!)
                }
            }
            x.gradientRows.withUnsafeBufferPointer { a in
                rg.withUnsafeBufferPointer { r in
                    BLASKernels.addTransposedProduct(a.baseAddress!, rows: x.n * x.d, columns: x.p, lda: x.n * x.d,
                                                     r.baseAddress!, alpha: weight, into: out.baseAddress!)
                }
            }
        }
        return g
    }

    // MARK: - Hat-matrix blocks

    struct SampleBlocks {
        var labelLeverages: [Double]
        /// Σᵢ (label component of (I − Hᵢ)⁻¹eᵢ)², weighted.
        var looSS: Double
        var looDefined: Bool
    }

    /// Per sample the (1+d)×(1+d) hat block Hᵢ = ZᵢᵀZᵢ, Zᵢ = P X̃ᵢᵀ (X̃ᵢ the sample's weighted
    /// rows, P = Σ⁺VᵀD⁻¹), formed by BLAS-3 over blocks of samples.
    static func sampleBlocks(_ x: StackedDesign, weight: Double, projector pm: Matrix, rank: Int,
                             labelResiduals: [Double], gradientResiduals: [Double]) -> SampleBlocks {
        let n = x.n, d = x.d, p = x.p, m = 1 + d
        var out = SampleBlocks(labelLeverages: [Double](repeating: 0, count: n), looSS: 0, looDefined: true)
        guard rank > 0 else { return out }
        let sw = weight.squareRoot()
        let samplesPerBlock = max(1, min(n, 4096 / m))
        let pT = pm.storage   // row-major rank × p = column-major p × rank
        var start = 0
        var block = [Double](repeating: 0, count: samplesPerBlock * m * p)
        var z = [Double](repeating: 0, count: samplesPerBlock * m * rank)
        let nd = n * d
        while start < n {
            let end = min(n, start + samplesPerBlock)
            let rows = (end - start) * m
            for a in 0..<p {
                for i in start..<end {
                    let r = (i - start) * m
                    block[a * rows + r] = x.labelRows[a * n + i]
                    for j in 0..<d { block[a * rows + r + 1 + j] = sw * x.gradientRows[a * nd + i * d + j] }
                }
            }
            block.withUnsafeBufferPointer { bb in
                pT.withUnsafeBufferPointer { pb in
                    z.withUnsafeMutableBufferPointer { zb in
                        BLASKernels.product(bb.baseAddress!, rows: rows, columns: p, lda: rows, pb.baseAddress!, columns: rank,
                                            into: zb.baseAddress!)
                    }
                }
            }
            var h = [Double](repeating: 0, count: m * m)
            var e = [Double](repeating: 0, count: m)
            for i in start..<end {
                let r0 = (i - start) * m
                for a in 0..<m {
                    for b in a..<m {
                        var s = 0.0
                        for k in 0..<rank { s += z[k * rows + r0 + a] * z[k * rows + r0 + b] }
                        h[a * m + b] = s; h[b * m + a] = s
                    }
                }
                out.labelLeverages[i] = h[0]
                e[0] = labelResiduals[i]
                for j in 0..<d { e[1 + j] = sw * gradientResiduals[i * d + j] }
                if let loo = Self.solveIdentityMinus(h, e, size: m) {
                    out.looSS += loo[0] * loo[0]
                } else {
                    out.looDefined = false
                }
            }
            start = end
        }
        return out
    }

    /// x with (I − H)x = e by Gaussian elimination with partial pivoting; nil when a pivot is
    /// below 1e-9 (the sample's equations determine their own fit).
    static func solveIdentityMinus(_ h: [Double], _ e: [Double], size m: Int) -> [Double]? {
        var a = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0..<m { a[i * m + j] = (i == j ? 1 : 0) - h[i * m + j] } }
        var b = e
        for col in 0..<m {
            var piv = col
            for r in (col + 1)..<max(col + 1, m) where abs(a[r * m + col]) > abs(a[piv * m + col]) { piv = r }
            guard abs(a[piv * m + col]) > 1e-9 else { return nil }
            if piv != col {
                for j in 0..<m { a.swapAt(col * m + j, piv * m + j) }
                b.swapAt(col, piv)
            }
            for r in (col + 1)..<max(col + 1, m) {
                let f = a[r * m + col] / a[col * m + col]
                if f == 0 { continue }
                for j in col..<m { a[r * m + j] -= f * a[col * m + j] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: m)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = b[i]
            for j in (i + 1)..<max(i + 1, m) { s -= a[i * m + j] * x[j] }
            x[i] = s / a[i * m + i]
        }
        return x
    }
}
