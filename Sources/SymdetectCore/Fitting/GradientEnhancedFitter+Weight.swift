import Foundation

extension GradientEnhancedFitter {
    /// At most this many re-estimations of W.
    static let weightIterations = 10
    /// W has settled when a re-estimate changes it by less than this relative amount.
    static let weightTolerance = 0.01
    /// W stays within [W₀/weightRange, W₀·weightRange] (noise-free data drive the estimate to 0 or ∞).
    static let weightRange = 1e8

    /// The default gradient weight W = σ̂_y²/σ̂_g², estimated from the fit's own residuals by
    /// variance components (Helmert's estimator, as in geodetic least squares):
    ///
    ///     σ̂_y² = RSS_y / (n − t_y),   σ̂_g² = RSS_g / (n·d − t_g),
    ///     t_y = tr(H_yy) = tr((X_yᵀX_y + W X_gᵀX_g)⁻¹ X_yᵀX_y),   t_g = p − t_y,
    ///
    /// RSS_y, RSS_g the label and gradient residual sums of squares of the fit at W, and t_y, t_g
    /// the parts of the hat matrix's trace (the p fitted parameters) spent on each block, so each
    /// block's σ̂² is unbiased when W is right. W is iterated from W₀ = tr(X_yᵀX_y)/tr(X_gᵀX_g)
    /// (both blocks equally informative) until it changes by less than `weightTolerance`, at most
    /// `weightIterations` times. Each step solves the column-equilibrated normal equations by
    /// Cholesky and gets t_y = ‖X_y D⁻¹R⁻¹‖²_F by one triangular solve (BLAS-3 `dtrsm`): O(n·p²).
    /// The estimate covers noise and the truncation misfit alike (a Taylor model's misfit of
    /// energies and of forces are what the two residual blocks measure). It stops where it
    /// cannot go on: a singular system (rank-deficient design), no degrees of freedom left in a
    /// block, or a residual sum of zero (noise-free polynomial data: W is then clamped to
    /// `weightRange` around W₀, and any W fits them exactly).
    static func estimateWeight(_ x: StackedDesign, grams: Grams) -> Double {
        let n = Double(x.n), nd = Double(x.n * x.d), p = x.p
        let traceLabel = (0..<p).reduce(0.0) { $0 + grams.label[$1, $1] }
        let traceGradient = (0..<p).reduce(0.0) { $0 + grams.gradient[$1, $1] }
        guard traceLabel > 0, traceGradient > 0 else { return 1 }
        let w0 = traceLabel / traceGradient
        var w = w0
        for _ in 0..<weightIterations {
            let a = grams.label + grams.gradient.scaled(by: w)
            let dScale = (0..<p).map { a[$0, $0] > 0 ? a[$0, $0].squareRoot() : 1 }
            var equilibrated = a
            for i in 0..<p { for j in 0..<p { equilibrated[i, j] /= dScale[i] * dScale[j] } }
            guard let r = try? CholeskyFactorization.upperFactor(equilibrated) else { break }
            let b = (0..<p).map { (grams.labelRHS[$0] + w * grams.gradientRHS[$0]) / dScale[$0] }
            guard let z = try? forwardSubstitution(r, b) else { break }
            var gamma = [Double](repeating: 0, count: p)
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = z[i]
                for k in (i + 1)..<max(i + 1, p) { s -= r[i, k] * gamma[k] }
                gamma[i] = s / r[i, i]
            }
            let beta = (0..<p).map { gamma[$0] / dScale[$0] }
            let (rl, rg) = residuals(x, beta: beta)
            let rssLabel = rl.reduce(0) { $0 + $1 * $1 }, rssGradient = rg.reduce(0) { $0 + $1 * $1 }
            // t_y = ‖X_y D⁻¹ R⁻¹‖²_F.
            var scaled = x.labelRows
            for a in 0..<p { for i in 0..<x.n { scaled[a * x.n + i] /= dScale[a] } }
            r.storage.withUnsafeBufferPointer { rb in
                scaled.withUnsafeMutableBufferPointer { sb in
                    BLASKernels.multiplyByInverseOfUpper(rb.baseAddress!, columns: p, sb.baseAddress!, rows: x.n, ldb: x.n)
                }
            }
            let tLabel = scaled.reduce(0) { $0 + $1 * $1 }
            let dofLabel = n - tLabel, dofGradient = nd - (Double(p) - tLabel)
            guard dofLabel > 0.5, dofGradient > 0.5 else { break }
            let varLabel = rssLabel / dofLabel, varGradient = rssGradient / dofGradient
            let next: Double
            if varGradient > 0, varLabel > 0 {
                next = min(max(varLabel / varGradient, w0 / weightRange), w0 * weightRange)
            } else if varGradient > 0 {
                next = w0 / weightRange
            } else if varLabel > 0 {
                next = w0 * weightRange
            } else {
                break
            }
            let settled = abs(log(next / w)) < weightTolerance
            w = next
            if settled { break }
        }
        return w
    }
}
