extension TaylorFit {
    /// The same fitted function expanded about another centre, without refitting.
    ///
    /// All monomials up to order k span a translation-invariant space, so an unweighted fit about
    /// c' is the same function as the fit about c; only its coefficients change, linearly:
    /// (u + δ)^α = Σ_{γ≤α} Π_j C(α_j, γ_j) δ_j^{α_j−γ_j} u^γ with δ = c' − c, i.e. β' = Jβ and
    /// Cov(β') = J Cov(β) Jᵀ. Residuals, leverages and every diagnostic are unchanged.
    /// Returns nil for weighted or rank-deficient fits, which must be refitted.
    func recentered(at newCenter: [Double]) -> TaylorFit? {
        guard radius == nil, !isRankDeficient, newCenter.count == dimension else { return nil }
        let delta = zip(newCenter, center).map { $0 - $1 }
        let p = parameterCount
        var j = Matrix(rows: p, columns: p)
        for (a, alpha) in exponents.enumerated() {
            for (g, gamma) in exponents.enumerated() {
                guard zip(gamma, alpha).allSatisfy({ $0 <= $1 }) else { continue }
                var f = 1.0
                for k in 0..<dimension where alpha[k] > gamma[k] {
                    f *= Self.binomial(alpha[k], gamma[k]) * Self.power(delta[k], alpha[k] - gamma[k])
                }
                j[g, a] = f
            }
        }
        let beta = j * coefficients
        let cov = j * covariance * j.transposed
        let stderr: [Double?] = (0..<p).map { sigma == nil ? nil : max(cov[$0, $0], 0).squareRoot() }
        var moved = TaylorFit(
            featureNames: featureNames, order: order,
            polynomial: TaylorPolynomial(center: newCenter, exponents: exponents, coefficients: beta),
            standardErrors: stderr, covariance: cov, sigma: sigma, rmse: rmse, r2: r2, looRmse: looRmse,
            conditionNumber: conditionNumber, rank: rank, rowCount: rowCount,
            residualDegreesOfFreedom: residualDegreesOfFreedom, undeterminedCombinations: undeterminedCombinations,
            radius: radius, residuals: residuals, leverages: leverages, warnings: warnings)
        moved.gradientEquations = gradientEquations
        return moved
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var c = 1.0
        if k > 0 { for i in 1...k { c = c * Double(n - k + i) / Double(i) } }
        return c
    }

    static func power(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= x }
        return r
    }
}
