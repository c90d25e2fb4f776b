import Foundation

/// e(N) ≈ a·N^(−b) fitted by ordinary least squares in log–log space:
/// log e = log a − b·log N.
///
/// With m points, x = log N, the slope's standard error is sqrt(s²/Σ(x − x̄)²),
/// s² = RSS/(m − 2); it is nil for m ≤ 2 (no residual degrees of freedom). Points with a
/// non-positive or non-finite N or e are ignored; fewer than two usable points (or all at one N)
/// give nil.
public struct PowerLawFit: Sendable, Equatable, Codable {
    public let prefactor: Double
    public let slope: Double
    public let slopeStandardError: Double?
    /// Standard error of log a.
    public let logPrefactorStandardError: Double?
    /// The sizes that entered the fit.
    public let sizes: [Int]
    /// RMS of the log residuals.
    public let logResidualRMS: Double

    public init?(sizes: [Int], errors: [Double]) {
        let pairs = zip(sizes, errors).filter { $0.0 > 0 && $0.1 > 0 && $0.1.isFinite }
        guard pairs.count >= 2 else { return nil }
        let x = pairs.map { log(Double($0.0)) }
        let y = pairs.map { log($0.1) }
        let m = Double(pairs.count)
        let xm = x.reduce(0, +) / m, ym = y.reduce(0, +) / m
        let sxx = x.map { ($0 - xm) * ($0 - xm) }.reduce(0, +)
        guard sxx > 0 else { return nil }
        var sxy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - xm) * (b - ym) }
        let beta = sxy / sxx
        let intercept = ym - beta * xm
        var rss = 0.0
        for (a, b) in zip(x, y) { let r = b - intercept - beta * a; rss += r * r }
        prefactor = exp(intercept)
        slope = -beta
        if pairs.count > 2 {
            let s2 = rss / (m - 2)
            slopeStandardError = (s2 / sxx).squareRoot()
            logPrefactorStandardError = (s2 * (1 / m + xm * xm / sxx)).squareRoot()
        } else {
            slopeStandardError = nil
            logPrefactorStandardError = nil
        }
        self.sizes = pairs.map { $0.0 }
        logResidualRMS = (rss / m).squareRoot()
    }

    public func value(_ n: Double) -> Double { prefactor * pow(n, -slope) }

    public var model: LearningCurveModel { LearningCurveModel(prefactor: prefactor, slope: slope) }
}

/// The floor f of an augmented learning curve, e_aug(N) ≈ sqrt((a·(nN)^(−b))² + f²), with a and b
/// from the baseline and n the data-efficiency factor.
///
/// f minimizes Σ_k (log e_k − ½·log((a(nN_k)^(−b))² + f²))² over f ≥ 0 (a scan of log f from
/// 10⁻⁶·min e to 2·max e refined by golden-section search, then compared with f = 0). Sizes with no measurement
/// are skipped; nil when none is left.
public enum PlateauFit {
    public static func floor(sizes: [Int], errors: [Double?], baseline: LearningCurveModel, factor n: Double) -> Double? {
        let pairs = zip(sizes, errors).compactMap { s, e -> (Double, Double)? in
            guard let e, e > 0, e.isFinite else { return nil }
            return (Double(s), e)
        }
        guard !pairs.isEmpty else { return nil }
        func loss(_ f: Double) -> Double {
            pairs.map { nn, e in
                let learn = baseline.prefactor * pow(n * nn, -baseline.slope)
                let r = log(e) - 0.5 * log(learn * learn + f * f)
                return r * r
            }.reduce(0, +)
        }
        let emin = pairs.map { $0.1 }.min()!, emax = pairs.map { $0.1 }.max()!
        // A coarse scan (the loss need not be unimodal in log f), then golden section around
        // the best grid point.
        let start = log(emin * 1e-6), end = log(emax * 2)
        let steps = 240
        let h = (end - start) / Double(steps)
        var bestIndex = 0, bestLoss = Double.infinity
        for s in 0...steps {
            let value = loss(exp(start + Double(s) * h))
            if value < bestLoss { bestLoss = value; bestIndex = s }
        }
        var lo = start + Double(max(bestIndex - 1, 0)) * h, hi = start + Double(min(bestIndex + 1, steps)) * h
        let golden = (5.0.squareRoot() - 1) / 2
        var x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo)
        var f1 = loss(exp(x1)), f2 = loss(exp(x2))
        for _ in 0..<200 where hi - lo > 1e-10 {
            if f1 < f2 { hi = x2; x2 = x1; f2 = f1; x1 = hi - golden * (hi - lo); f1 = loss(exp(x1)) }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + golden * (hi - lo); f2 = loss(exp(x2)) }
        }
        let f = exp((lo + hi) / 2)
        return loss(0) <= loss(f) ? 0 : f
    }
}
