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
    /// From this many coefficients on, the fit-error variances of the model-based floors are
    /// formed with one BLAS-3 product instead of a quadratic form per sample (same values up
    /// to the summation order; smaller models keep the per-sample loop, bit for bit).
    static let batchedVarianceParameterCount = 100

    /// The seed of the row subset of `modelBased`.
    public static let defaultSeed: UInt64 = 0xF100_0001

    public static func modelBased(fit: TaylorFit, higherOrder: TaylorFit?, operation: SymmetryOperation,
                                  table: SampleTable, seed: UInt64 = defaultSeed) -> SchemeFloors {
        modelBased(ModelFloorBasis(fit: fit, higherOrder: higherOrder, table: table, seed: seed), operation: operation)
    }

    /// The model-based floors of `operation` from the operation-independent part `basis` (see
    /// `ModelFloorBasis`): the values of `modelBased(fit:higherOrder:operation:table:seed:)`,
    /// bit for bit, with the monomials and products at each sample x computed once per basis
    /// instead of once per operation (and again for the identity of every orbit).
    ///
    /// The samples are taken `FloorLanes.scalarCount` at a time, one per SIMD lane: every lane
    /// performs the operations of the one-sample formula, in its order, on its own sample, so each
    /// sample's values are those of a scalar evaluation bit for bit (lane arithmetic is IEEE
    /// arithmetic per lane; nothing is summed across lanes).
    static func modelBased(_ basis: ModelFloorBasis, operation: SymmetryOperation) -> SchemeFloors {
        let orbit = operation.orbitMatrices(limit: 12)
        let count = basis.samples.count
        let fit = basis.fit
        let p = basis.parameterCount, m = basis.monomialCount, d = fit.dimension
        let hasHigher = basis.hasHigherOrder, involution = operation.isInvolution
        let inv = 1 / Double(orbit.count)
        let width = FloorLanes.scalarCount
        var naive = [Double](repeating: 0, count: count)
        var hess = [Double](repeating: 0, count: involution ? count : 0)
        var taylor = [Double](repeating: 0, count: hasHigher ? count : 0)
        var seA = [Double](repeating: 0, count: count)
        let identity = Matrix.identity(d).storage
        let isIdentity = orbit.map { $0.storage == identity }
        let orbitEntries = orbit.flatMap { $0.storage }
        let monomials = basis.monomials
        // Many coefficients: the quadratic forms aᵀ Cov(β) a of all samples at once, as
        // rowwise dots of A and A·Cov (one BLAS-3 product; A holds a per sample, column-major).
        let batched = p >= batchedVarianceParameterCount
        var aAll = [Double](repeating: 0, count: batched ? count * p : 0)
        let laneScratch = 2 * d + monomials.powerCount + m + p
        withUnsafeTemporaryAllocation(of: FloorLanes.self, capacity: laneScratch) { scratch in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: p) { aScalar in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: p) { nonZero in
        fit.covariance.storage.withUnsafeBufferPointer { cov in
        orbitEntries.withUnsafeBufferPointer { g in
        basis.displacements.withUnsafeBufferPointer { displacements in
        basis.phi.withUnsafeBufferPointer { allPhi in
        basis.beta.withUnsafeBufferPointer { beta in
        basis.quadraticBeta.withUnsafeBufferPointer { quadratic in
        basis.betaHigher.withUnsafeBufferPointer { bh in
            let gu = scratch.baseAddress!, pw = gu + d, img = pw + monomials.powerCount, a = img + m
            for block in 0..<basis.blockCount {
                let first = block * width, lanes = min(width, count - first)
                let u = displacements.baseAddress! + block * d
                let phi = allPhi.baseAddress! + block * p
                let tx = basis.t[block], tqx = basis.tQuadratic[block], hx = basis.tHigher[block]
                var tMean = FloorLanes(), hsMean = FloorLanes(), rMean = FloorLanes()
                for c in 0..<p { a[c] = phi[c] }
                for o in 0..<orbit.count {
                    let t: FloorLanes, tq: FloorLanes, th: FloorLanes
                    if isIdentity[o] {
                        // I·u = u bit for bit (u − c is never −0): its monomials and products are those at x.
                        (t, tq, th) = (tx, tqx, hx)
                        for c in 0..<p { a[c] -= phi[c] * inv }
                    } else {
                        // g·u, summed as Matrix * [Double] does.
                        let entries = g.baseAddress! + o * d * d
                        for r in 0..<d {
                            var s = FloorLanes()
                            for j in 0..<d { s += entries[r * d + j] * u[j] }
                            gu[r] = s
                        }
                        monomials.evaluate(UnsafePointer(gu), powers: pw, into: img)
                        (t, tq, th) = ModelFloorBasis.products(UnsafePointer(img), p, beta, quadratic, bh)
                        for c in 0..<p { a[c] -= img[c] * inv }
                    }
                    tMean += t * inv
                    hsMean += (t - tq) * inv
                    if hasHigher { rMean += (th - t) * inv }
                }
                let naiveLanes = tx - tMean, taylorLanes = (hx - tx) - rMean
                for l in 0..<lanes {
                    naive[first + l] = naiveLanes[l]
                    if involution { hess[first + l] = hsMean[l] }
                    if hasHigher { taylor[first + l] = taylorLanes[l] }
                }
                // T_a(x) = Σ_α β_α a_α with a_α = u^α − mean_g (G u)^α, so Var(T_a) = aᵀ Cov(β) a.
                if batched {
                    for c in 0..<p { for l in 0..<lanes { aAll[c * count + first + l] = a[c][l] } }
                    continue
                }
                // Summed over the non-zero a_α only: v = Σ_b a_b·(Σ_c Cov_bc·a_c), b and c ascending.
                let v = quadraticForm(cov, lanes: UnsafePointer(a), p, nonZero: nonZero)
                for l in 0..<lanes {
                    if v[l].isFinite {
                        seA[first + l] = max(v[l], 0)
                    } else {
                        for c in 0..<p { aScalar[c] = a[c][l] }
                        seA[first + l] = max(quadraticForm(cov, aScalar, p, nonZero: nonZero), 0)
                    }
                }
            }
        }}}}}}}}}}
        if batched, count > 0 {
            let rows = count
            var product = [Double](repeating: 0, count: rows * p)
            // Cov(β) is symmetric, so its row-major storage is also its column-major storage.
            aAll.withUnsafeBufferPointer { a in
                fit.covariance.storage.withUnsafeBufferPointer { cov in
                    product.withUnsafeMutableBufferPointer { c in
                        BLASKernels.product(a.baseAddress!, rows: rows, columns: p, lda: rows, cov.baseAddress!, columns: p,
                                            into: c.baseAddress!)
                    }
                }
            }
            for i in 0..<rows {
                var v = 0.0
                for c in 0..<p { v += aAll[c * rows + i] * product[c * rows + i] }
                seA[i] = max(v, 0)
            }
        }
        let fitError = (seA.reduce(0, +) / Double(max(seA.count, 1))).squareRoot()
        var floors = SchemeFloors()
        floors.naive = estimate(naive)
        floors.hessian = involution ? estimate(hess) : nil
        if !taylor.isEmpty {
            let base = estimate(taylor)!
            let rmse = (base.rmse * base.rmse + fitError * fitError).squareRoot()
            floors.taylor = FloorEstimate(rmse: rmse, mae: base.rmse > 0 ? base.mae * rmse / base.rmse : fitError * (2 / Double.pi).squareRoot())
        }
        return floors
    }

    /// aᵀCa (C row-major p×p) over the non-zero entries of a: Σ_b a_b·(Σ_c C_bc·a_c), b and c
    /// ascending, from 0. Four rows' inner sums run side by side (four independent chains of
    /// additions instead of one: the loop is bound by the latency of an addition), each with the
    /// operations, in the order, of the row-by-row sum. `nonZero` is scratch for p indices.
    @inline(__always)
    static func quadraticForm(_ cov: UnsafeBufferPointer<Double>, _ a: UnsafeMutableBufferPointer<Double>, _ p: Int,
                              nonZero: UnsafeMutableBufferPointer<Int>) -> Double {
        summedQuadraticForm(cov, UnsafePointer(a.baseAddress!), p, nonZero: nonZero)
    }

    /// The quadratic form of `quadraticForm` for one sample per lane (a_c in lane l is sample
    /// l's a_c), summed over the indices c where any lane's a_c is non-zero, in ascending order.
    ///
    /// A lane whose result is finite has the value of `quadraticForm` on its own a, bit for bit.
    /// Its extra terms (a_c = ±0 in that lane) are products C_bc·(±0) and (±0)·s_b, which are ±0
    /// when C_bc and s_b are finite; adding ±0 to a sum leaves it unchanged unless the sum is
    /// −0, and a sum that starts from +0 is never −0 (x + (−x) rounds to +0, and +0 + ±0 = +0).
    /// Were C_bc or s_b not finite, the extra term would be NaN, and so would the result: NaN
    /// and ±∞ absorb every later addition. Non-finite lanes are therefore left to the caller,
    /// which evaluates them with `quadraticForm`.
    @inline(__always)
    static func quadraticForm(_ cov: UnsafeBufferPointer<Double>, lanes a: UnsafePointer<FloorLanes>, _ p: Int,
                              nonZero: UnsafeMutableBufferPointer<Int>) -> FloorLanes {
        summedQuadraticForm(cov, a, p, nonZero: nonZero)
    }

    /// The sum both `quadraticForm`s compute, on one sample (Double) or one per lane.
    @inline(__always)
    private static func summedQuadraticForm<V: QuadraticFormTerm>(_ cov: UnsafeBufferPointer<Double>, _ a: UnsafePointer<V>, _ p: Int,
                                                                  nonZero: UnsafeMutableBufferPointer<Int>) -> V {
        var count = 0
        for c in 0..<p where a[c].hasNonZero { nonZero[count] = c; count += 1 }
        var v = V.zero
        var q = 0
        while q + 4 <= count {
            let r0 = nonZero[q] * p, r1 = nonZero[q + 1] * p, r2 = nonZero[q + 2] * p, r3 = nonZero[q + 3] * p
            var s0 = V.zero, s1 = V.zero, s2 = V.zero, s3 = V.zero
            for k in 0..<count {
                let c = nonZero[k], ac = a[c]
                s0 += cov[r0 + c] * ac
                s1 += cov[r1 + c] * ac
                s2 += cov[r2 + c] * ac
                s3 += cov[r3 + c] * ac
            }
            v += a[nonZero[q]] * s0
            v += a[nonZero[q + 1]] * s1
            v += a[nonZero[q + 2]] * s2
            v += a[nonZero[q + 3]] * s3
            q += 4
        }
        while q < count {
            let b = nonZero[q]
            var s = V.zero
            for k in 0..<count { let c = nonZero[k]; s += cov[b * p + c] * a[c] }
            v += a[b] * s
            q += 1
        }
        return v
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
        mirrorBased(test: test, fit: fit, operation: operation, atTested: nil)
    }

    /// T and its quadratic part h at the tested samples of a mirror context (by position), as
    /// `mirrorBased` evaluates them: shared by every operation's mirror floors.
    struct TestedSampleValues: Sendable {
        let t: [Double]
        let h: [Double]

        init(fit: TaylorFit, testedPoints: [Double]) {
            let t = FlatTaylorPolynomial(fit.polynomial)
            let h = FlatTaylorPolynomial(fit.polynomial.truncated(toOrder: 2))
            let d = fit.dimension
            let n = d > 0 ? testedPoints.count / d : 0
            var tv = [Double](repeating: 0, count: n), hv = tv
            testedPoints.withUnsafeBufferPointer { x in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: d + max(t.scratchCount, h.scratchCount)) { scratch in
                    let u = scratch.baseAddress!, pw = u + d
                    for i in 0..<n {
                        hv[i] = h.value(at: x.baseAddress! + i * d, displacement: u, powers: pw)
                        tv[i] = t.value(at: x.baseAddress! + i * d, displacement: u, powers: pw)
                    }
                }
            }
            self.t = tv
            self.h = hv
        }
    }

    /// `atTested`, when given, holds T and h at the tested samples of the test's context
    /// (`TestedSampleValues`): read instead of evaluated again, the same values.
    static func mirrorBased(test: MirrorTest, fit: TaylorFit, operation: SymmetryOperation,
                            atTested: TestedSampleValues?) -> SchemeFloors? {
        guard test.usable >= MirrorTest.minimumPairs else { return nil }
        let t = FlatTaylorPolynomial(fit.polynomial)
        let h = FlatTaylorPolynomial(fit.polynomial.truncated(toOrder: 2))
        let d = fit.dimension
        var en: [Double] = [], eh: [Double] = [], et: [Double] = [], l2 = 0.0
        en.reserveCapacity(test.pairs.count); eh.reserveCapacity(test.pairs.count); et.reserveCapacity(test.pairs.count)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d + max(t.scratchCount, h.scratchCount)) { scratch in
            let x = scratch.baseAddress!, u = x + d, pw = u + d
            for (n, pair) in test.pairs.enumerated() {
                let y = pair.label, yg = pair.imagePrediction
                let hx: Double, tx: Double
                if let atTested {
                    (hx, tx) = (atTested.h[test.testedPositions[n]], atTested.t[test.testedPositions[n]])
                } else {
                    for j in 0..<d { x[j] = test.samplePoints[n * d + j] }
                    (hx, tx) = (h.value(at: x, displacement: u, powers: pw), t.value(at: x, displacement: u, powers: pw))
                }
                for j in 0..<d { x[j] = test.imagePoints[n * d + j] }
                let (hg, tg) = (h.value(at: x, displacement: u, powers: pw), t.value(at: x, displacement: u, powers: pw))
                en.append((y - yg) / 2)
                eh.append((y - hx + yg - hg) / 2)
                et.append((y - tx - yg + tg) / 2)
                l2 += (y - pair.looPrediction) * (y - pair.looPrediction)
            }
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

    /// The seeded subset of at most `maxSamples` rows. Every operation asks for the same one, so
    /// it is drawn once per (n, seed) and shared: the shuffle of all n indices would otherwise
    /// make each operation's cost grow with N.
    static func sampleIndices(_ n: Int, seed: UInt64) -> [Int] {
        guard n > maxSamples else { return Array(0..<n) }
        return SeededSubsetCache.shared.indices(n, limit: maxSamples, seed: seed)
    }
}

/// The samples of the model-based floors, one per lane: `FloorLanes.scalarCount` samples are
/// evaluated together, lane l of block b holding sample b·scalarCount + l (a last, partial block
/// repeats its last sample in the unused lanes).
typealias FloorLanes = SIMD8<Double>

/// The values `ErrorFloorEstimator.quadraticForm` sums: one sample's (Double) or one per lane
/// (`FloorLanes`), with IEEE arithmetic per lane.
protocol QuadraticFormTerm {
    static var zero: Self { get }
    /// Whether the value (any lane of it) is non-zero.
    var hasNonZero: Bool { get }
    static func * (lhs: Double, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func += (lhs: inout Self, rhs: Self)
}

extension Double: QuadraticFormTerm {
    var hasNonZero: Bool { self != 0 }
}

extension SIMD8: QuadraticFormTerm where Scalar == Double {
    var hasNonZero: Bool { any(self .!= 0) }
}

/// The part of the model-based floors that does not depend on the operation: the seeded floor
/// samples x of a table, their displacements u = x − c, the monomials u^α (the higher-order
/// fit's list when there is one, which starts with the fit's) and, at each x, the three dot
/// products of `ModelFloorBasis.products` — T(x), its quadratic part and T⁺(x). An analysis
/// builds it once and every operation's floors read it. Per-sample values are stored in blocks
/// of `FloorLanes` (see there).
struct ModelFloorBasis: @unchecked Sendable {
    let fit: TaylorFit
    let table: SampleTable
    let samples: [Int]
    let monomials: FlatMonomials
    let parameterCount: Int
    let monomialCount: Int
    /// Whether a compatible higher-order fit T⁺ is present (same centre, graded list extending the fit's).
    let hasHigherOrder: Bool
    let beta: [Double]
    /// β with the terms of order > 2 zeroed: the quadratic model h.
    let quadraticBeta: [Double]
    /// β⁺, or empty.
    let betaHigher: [Double]
    /// The number of sample blocks: ⌈samples / FloorLanes.scalarCount⌉.
    let blockCount: Int
    /// Per block b: u_j at `displacements[b·dimension + j]`.
    let displacements: [FloorLanes]
    /// Per block b: the first `parameterCount` monomials (the fit's) at `phi[b·p ..< (b + 1)·p]`.
    let phi: [FloorLanes]
    /// Per block: T, h, T⁺ at x (T⁺ = 0 without a higher-order fit).
    let t: [FloorLanes]
    let tQuadratic: [FloorLanes]
    let tHigher: [FloorLanes]

    init(fit: TaylorFit, higherOrder: TaylorFit?, table: SampleTable, seed: UInt64 = ErrorFloorEstimator.defaultSeed) {
        self.fit = fit
        self.table = table
        let samples = ErrorFloorEstimator.sampleIndices(table.count, seed: seed)
        self.samples = samples
        let p = fit.parameterCount
        // Every polynomial involved is a dot product with one monomial vector: the graded
        // exponent list of the higher-order fit starts with the order-k list (same centre).
        let hi = higherOrder.flatMap { $0.center == fit.center && Array($0.exponents.prefix(p)) == fit.exponents ? $0 : nil }
        let exponents = hi?.exponents ?? fit.exponents
        let order = hi?.order ?? fit.order
        let d = fit.dimension
        let monomials = FlatMonomials(exponents, dimension: d, order: order)
        self.monomials = monomials
        parameterCount = p
        let m = exponents.count
        monomialCount = m
        hasHigherOrder = hi != nil
        let beta = fit.coefficients
        let quadraticBeta = (0..<p).map { fit.exponents[$0].reduce(0, +) <= 2 ? fit.coefficients[$0] : 0 }
        let betaHigher = hi?.coefficients ?? []
        self.beta = beta
        self.quadraticBeta = quadraticBeta
        self.betaHigher = betaHigher
        let width = FloorLanes.scalarCount
        let blocks = (samples.count + width - 1) / width
        blockCount = blocks
        var u = [FloorLanes](repeating: FloorLanes(), count: blocks * d)
        var phi = [FloorLanes](repeating: FloorLanes(), count: blocks * p)
        var t = [FloorLanes](repeating: FloorLanes(), count: blocks), tq = t, th = t
        for b in 0..<blocks {
            for l in 0..<width {
                let i = samples[min(b * width + l, samples.count - 1)]
                for j in 0..<d { u[b * d + j][l] = table.features[j][i] - fit.center[j] }
            }
        }
        withUnsafeTemporaryAllocation(of: FloorLanes.self, capacity: monomials.powerCount + m) { scratch in
        u.withUnsafeBufferPointer { u in
        beta.withUnsafeBufferPointer { beta in
        quadraticBeta.withUnsafeBufferPointer { quadratic in
        betaHigher.withUnsafeBufferPointer { bh in
            let pw = scratch.baseAddress!, values = pw + monomials.powerCount
            for b in 0..<blocks {
                monomials.evaluate(u.baseAddress! + b * d, powers: pw, into: values)
                for c in 0..<p { phi[b * p + c] = values[c] }
                (t[b], tq[b], th[b]) = Self.products(UnsafePointer(values), p, beta, quadratic, bh)
            }
        }}}}}
        displacements = u
        self.phi = phi
        self.t = t
        tQuadratic = tq
        tHigher = th
    }

    /// (β·x, β_quadratic·x, β⁺·x) over the first p (β⁺: all) monomials x, per lane: three dot
    /// products, each summed from 0 in index order, computed side by side (independent chains
    /// of additions); β⁺·x is 0 without a higher-order fit (`bh` empty).
    @inline(__always)
    static func products(_ x: UnsafePointer<FloorLanes>, _ p: Int, _ beta: UnsafeBufferPointer<Double>,
                         _ quadratic: UnsafeBufferPointer<Double>, _ bh: UnsafeBufferPointer<Double>)
        -> (FloorLanes, FloorLanes, FloorLanes) {
        var t = FloorLanes(), q = FloorLanes(), h = FloorLanes()
        if bh.isEmpty {
            for c in 0..<p { let v = x[c]; t += v * beta[c]; q += v * quadratic[c] }
        } else {
            for c in 0..<p { let v = x[c]; t += v * beta[c]; q += v * quadratic[c]; h += v * bh[c] }
            for c in p..<bh.count { h += x[c] * bh[c] }
        }
        return (t, q, h)
    }
}

/// u^α for a fixed exponent list with the arithmetic of `ErrorFloorEstimator.monomials`
/// (powers by repeated multiplication, then Π_j u_j^α_j in coordinate order, from 1), for
/// `FloorLanes.scalarCount` points at once (one per lane, each with that arithmetic), into
/// caller-owned buffers: the floors evaluate it ~10⁵ times per operation.
///
/// Every monomial multiplies exactly `dimension` factors: those of its coordinates with
/// α_j > 0, in coordinate order, then the constant 1 (u_j^0, the first power of the first
/// coordinate) for the rest — the same product bit for bit (x·1 = x), with no loop of varying
/// length per monomial.
struct FlatMonomials {
    let dimension: Int
    let order: Int
    let count: Int
    /// Monomial a multiplies the powers at `factors[a·dimension ..< (a + 1)·dimension]`.
    private let factors: [Int]

    init(_ exponents: [[Int]], dimension: Int, order: Int) {
        self.dimension = dimension
        self.order = order
        count = exponents.count
        let stride = order + 1
        var factors: [Int] = []
        for alpha in exponents {
            var list: [Int] = []
            for j in 0..<dimension where alpha[j] > 0 { list.append(j * stride + alpha[j]) }
            factors += list + [Int](repeating: 0, count: dimension - list.count)
        }
        self.factors = factors
    }

    /// The number of powers `evaluate` needs: dimension·(order + 1).
    var powerCount: Int { dimension * (order + 1) }

    /// The monomials of u, one point per lane. `powers` needs `powerCount` entries; `out` at least `count`.
    func evaluate(_ u: UnsafePointer<FloorLanes>, powers pw: UnsafeMutablePointer<FloorLanes>,
                  into out: UnsafeMutablePointer<FloorLanes>) {
        let stride = order + 1
        for j in 0..<dimension {
            pw[j * stride] = FloorLanes(repeating: 1)
            if order > 0 { for k in 1...order { pw[j * stride + k] = pw[j * stride + k - 1] * u[j] } }
        }
        let d = dimension
        factors.withUnsafeBufferPointer { fa in
            if d == 3 {
                for a in 0..<count { out[a] = 1.0 * pw[fa[3 * a]] * pw[fa[3 * a + 1]] * pw[fa[3 * a + 2]] }
            } else {
                for a in 0..<count {
                    var m = FloorLanes(repeating: 1)
                    for f in (a * d)..<((a + 1) * d) { m *= pw[fa[f]] }
                    out[a] = m
                }
            }
        }
    }
}
