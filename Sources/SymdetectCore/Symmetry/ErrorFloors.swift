import Foundation

/// RMSE and MAE of a leftover label error, in label units.
public struct FloorEstimate: Sendable, Equatable, Codable {
    public let rmse: Double
    public let mae: Double
}

/// The augmentation schemes of SPEC §1.
public enum AugmentationScheme: String, Sendable, Codable, CaseIterable {
    /// Augmented label at g·x: y(x).
    case naive
    /// h(g·x) − (y(x) − h(x)), h the quadratic Taylor model (involutions only).
    case hessian
    /// y(x) + T(g·x) − T(x), T the full fitted Taylor polynomial.
    case taylor
}

/// Predicted error floors of the three schemes for one operation.
///
/// With S the orbit {I, g, g², …} (or generic members of a family) and ȳ_s(x) = mean_{g∈S} y(g·x):
/// - naive: the model learns y_s, floor = y_a = y − y_s;
/// - hessian (g an involution): it learns h + (y − h)_a, floor = (y − h)_s;
/// - taylor: it learns T + (y − T)_s, floor = (y − T)_a.
/// Model-based: y is replaced by the fitted T (naive, hessian) and by a higher-order fit T⁺
/// (taylor: (T⁺ − T)_a), plus the standard error of the fitted antisymmetric part in quadrature.
/// Mirror-based: per sample, with ŷ(g·x) the local prediction at the image,
/// e_naive = (y − ŷ_g)/2, e_hessian = (y − h(x) + ŷ_g − h(g·x))/2, e_taylor = (y − T(x) − ŷ_g + T(g·x))/2,
/// and RMSE² = max(0, mean e² − mean l²/4) (l the leave-one-out residual: removes the noise of
/// the local predictions); MAE scaled from mean|e| by the same factor. Exact for involutions;
/// for higher-order operations the pairwise difference stands in for the orbit average.
public struct SchemeFloors: Sendable, Equatable, Codable {
    public var naive: FloorEstimate?
    public var hessian: FloorEstimate?
    public var taylor: FloorEstimate?

    public subscript(scheme: AugmentationScheme) -> FloorEstimate? {
        switch scheme {
        case .naive: return naive
        case .hessian: return hessian
        case .taylor: return taylor
        }
    }
}

public enum ErrorFloorEstimator {
    /// At most this many samples (seeded subset) are used for model-based floors.
    public static let maxSamples = 5_000

    public static func modelBased(fit: TaylorFit, higherOrder: TaylorFit?, operation: SymmetryOperation,
                                  table: SampleTable, seed: UInt64 = 0xF100_0001) -> SchemeFloors {
        let orbit = operation.orbitMatrices(limit: 12)
        let samples = sampleIndices(table.count, seed: seed)
        let p = fit.parameterCount
        // Every polynomial involved is a dot product with one monomial vector: the graded
        // exponent list of the higher-order fit starts with the order-k list (same centre).
        let hi = higherOrder.flatMap { $0.center == fit.center && Array($0.exponents.prefix(p)) == fit.exponents ? $0 : nil }
        let exponents = hi?.exponents ?? fit.exponents
        let order = hi?.order ?? fit.order
        let beta = fit.coefficients
        let quadratic = (0..<p).map { fit.exponents[$0].reduce(0, +) <= 2 ? beta[$0] : 0 }
        let betaHi = hi?.coefficients
        let inv = 1 / Double(orbit.count)
        var naive: [Double] = [], hess: [Double] = [], taylor: [Double] = [], seA: [Double] = []
        var a = [Double](repeating: 0, count: p)
        for i in samples {
            let u = (0..<fit.dimension).map { table.features[$0][i] - fit.center[$0] }
            let phi = monomials(u, exponents, order: order)
            let tx = dot(prefix: p, phi, beta)
            let rx = betaHi.map { dot(prefix: $0.count, phi, $0) - tx } ?? 0
            var tMean = 0.0, hsMean = 0.0, rMean = 0.0
            for c in 0..<p { a[c] = phi[c] }
            for g in orbit {
                let img = monomials(g * u, exponents, order: order)
                let t = dot(prefix: p, img, beta)
                tMean += t * inv
                hsMean += (t - dot(prefix: p, img, quadratic)) * inv
                if let bh = betaHi { rMean += (dot(prefix: bh.count, img, bh) - t) * inv }
                for c in 0..<p { a[c] -= img[c] * inv }
            }
            naive.append(tx - tMean)
            if operation.isInvolution { hess.append(hsMean) }
            if betaHi != nil { taylor.append(rx - rMean) }
            // T_a(x) = Σ_α β_α a_α with a_α = u^α − mean_g (G u)^α, so Var(T_a) = aᵀ Cov(β) a.
            var v = 0.0
            for b in 0..<p where a[b] != 0 {
                var s = 0.0
                for c in 0..<p where a[c] != 0 { s += fit.covariance[b, c] * a[c] }
                v += a[b] * s
            }
            seA.append(max(v, 0))
        }
        let fitError = (seA.reduce(0, +) / Double(max(seA.count, 1))).squareRoot()
        var floors = SchemeFloors()
        floors.naive = estimate(naive)
        floors.hessian = operation.isInvolution ? estimate(hess) : nil
        if !taylor.isEmpty {
            let base = estimate(taylor)!
            let rmse = (base.rmse * base.rmse + fitError * fitError).squareRoot()
            floors.taylor = FloorEstimate(rmse: rmse, mae: base.rmse > 0 ? base.mae * rmse / base.rmse : fitError * (2 / Double.pi).squareRoot())
        }
        return floors
    }

    @inline(__always)
    static func dot(prefix n: Int, _ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in 0..<n { s += x[i] * y[i] }
        return s
    }

    static func monomials(_ u: [Double], _ exponents: [[Int]], order: Int) -> [Double] {
        let pw = TaylorPolynomial.powers(u, order: order)
        return exponents.map { alpha in
            var m = 1.0
            for j in 0..<alpha.count where alpha[j] > 0 { m *= pw[j][alpha[j]] }
            return m
        }
    }

    public static func mirrorBased(test: MirrorTest, fit: TaylorFit, table: SampleTable, operation: SymmetryOperation) -> SchemeFloors? {
        guard test.usable >= MirrorTest.minimumPairs else { return nil }
        let t = fit.polynomial
        let h = t.truncated(toOrder: 2)
        var en: [Double] = [], eh: [Double] = [], et: [Double] = [], l2 = 0.0
        for pair in test.pairs {
            let x = table.point(pair.sample)
            let y = pair.label, yg = pair.imagePrediction
            en.append((y - yg) / 2)
            eh.append((y - h.value(at: x) + yg - h.value(at: pair.image)) / 2)
            et.append((y - t.value(at: x) - yg + t.value(at: pair.image)) / 2)
            l2 += (y - pair.looPrediction) * (y - pair.looPrediction)
        }
        let noise = l2 / Double(test.usable) / 4
        var floors = SchemeFloors()
        floors.naive = corrected(en, noiseVariance: noise)
        floors.hessian = operation.isInvolution ? corrected(eh, noiseVariance: noise) : nil
        floors.taylor = corrected(et, noiseVariance: noise)
        return floors
    }

    static func corrected(_ e: [Double], noiseVariance: Double) -> FloorEstimate? {
        guard !e.isEmpty else { return nil }
        let ms = e.map { $0 * $0 }.reduce(0, +) / Double(e.count)
        let mae = e.map(abs).reduce(0, +) / Double(e.count)
        let rmse = max(0, ms - noiseVariance).squareRoot()
        return FloorEstimate(rmse: rmse, mae: ms > 0 ? mae * rmse / ms.squareRoot() : 0)
    }

    static func estimate(_ values: [Double]) -> FloorEstimate? {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        return FloorEstimate(rmse: (values.map { $0 * $0 }.reduce(0, +) / n).squareRoot(),
                             mae: values.map(abs).reduce(0, +) / n)
    }

    static func sampleIndices(_ n: Int, seed: UInt64) -> [Int] {
        guard n > maxSamples else { return Array(0..<n) }
        var rng = SeededGenerator(seed: seed)
        var all = Array(0..<n)
        rng.shuffle(&all)
        return Array(all.prefix(maxSamples)).sorted()
    }
}
