/// Predicts a label at a query point from a low-order polynomial least-squares fit to nearby
/// samples: the building block of the mirror test.
///
/// The fit is ŷ(q + r·t) = Σ_{|α|≤o} c_α t^α on the neighbours, with t the displacement scaled by
/// the neighbourhood radius r (so the normal equations stay well conditioned); the prediction is
/// c_0 and its variance factor v = [(TᵀT)⁻¹]_00, so Var(ŷ(q)) = σ²v under independent noise.
struct LocalPolynomialPredictor {
    let dimension: Int
    let order: Int
    let exponents: [[Int]]

    /// Per order o = 0…order: each monomial as its list of exactly o coordinate factors (j
    /// repeated α_j times, j ascending), padded at the end with `dimension`, the slot of the
    /// constant 1 next to the scaled coordinates: m = (…(1·t_f1)·t_f2…)·1·1 is the product the
    /// definition reads, bit for bit (x·1 = x), with no loop of varying length per monomial.
    private let factorTables: [[Int]]

    /// Whether the quadratic monomials are 1, t_0, t_1, t_2, t_0², t_0t_1, t_0t_2, t_1², t_1t_2,
    /// t_2² in this order (three coordinates): their products are then written out directly.
    private let isQuadraticIn3: Bool

    init(dimension: Int) {
        self.dimension = dimension
        // Quadratic where it is affordable in neighbours, linear above four coordinates.
        order = dimension <= 4 ? 2 : 1
        exponents = MultiIndex.all(dimension: dimension, order: order)
        factorTables = (0...order).map { o in
            var factors: [Int] = []
            for alpha in MultiIndex.all(dimension: dimension, order: o) {
                var list: [Int] = []
                for j in 0..<dimension where alpha[j] > 0 { for _ in 0..<alpha[j] { list.append(j) } }
                factors += list + [Int](repeating: dimension, count: o - list.count)
            }
            return factors
        }
        isQuadraticIn3 = dimension == 3 && order == 2
            && factorTables[2] == [3, 3, 0, 3, 1, 3, 2, 3, 0, 0, 0, 1, 0, 2, 1, 1, 1, 2, 2, 2]
    }

    /// Neighbours to use: twice the local coefficient count plus a margin.
    var neighbourCount: Int { 2 * exponents.count + 2 }

    struct Prediction {
        let value: Double
        let varianceFactor: Double
    }

    /// Scratch doubles `predict` needs: AᵀA, its Cholesky factor, Aᵀy, two right-hand sides
    /// interleaved, the scaled displacement with its constant slot, the gathered labels and the
    /// design matrix A.
    var scratchCount: Int {
        let p = exponents.count
        return 2 * p * p + 3 * p + dimension + 1 + neighbourCount + neighbourCount * p
    }

    /// - Parameters: `query` (`dimension` values), `neighbours` (`count` indices into `points`
    ///   (row-major scaled coordinates) and `labels`), `radius` the neighbourhood radius (> 0),
    ///   `scratch` at least `scratchCount` doubles.
    func predict(at query: UnsafePointer<Double>, neighbours: UnsafePointer<Int>, count: Int,
                 points: UnsafeBufferPointer<Double>, labels: UnsafeBufferPointer<Double>, radius: Double,
                 scratch: UnsafeMutablePointer<Double>) -> Prediction? {
        for o in stride(from: order, through: 1, by: -1) {
            let table = factorTables[o]
            if let p = solve(query, neighbours, count, points, labels, radius, table.count / o, o, table, scratch) { return p }
        }
        return nil
    }

    private func solve(_ q: UnsafePointer<Double>, _ nb: UnsafePointer<Int>, _ count: Int, _ pts: UnsafeBufferPointer<Double>,
                       _ lab: UnsafeBufferPointer<Double>, _ radius: Double, _ p: Int, _ o: Int,
                       _ table: [Int], _ scratch: UnsafeMutablePointer<Double>) -> Prediction? {
        precondition(count <= neighbourCount, "more neighbours than the scratch holds")
        guard count > p else { return nil }
        let d = dimension
        let ata = scratch
        let l = scratch + p * p
        let aty = scratch + 2 * p * p
        let rhs = aty + p
        let t = rhs + 2 * p
        // The neighbours' labels first, all loads issued together: read one at a time inside
        // the accumulation below, each waited for its own cache miss.
        let ys = t + d + 1
        let design = ys + neighbourCount
        for n in 0..<count { ys[n] = lab[nb[n]] }
        return table.withUnsafeBufferPointer { fac in
            // Row n of the design matrix A: the monomials of neighbour n's scaled displacement
            // t_j = (x_j − q_j)/r. Each monomial is the product of its coordinate factors (t_j
            // repeated α_j times, j ascending), multiplied in that order from 1, as the
            // definition reads.
            t[d] = 1
            if o == 2 && isQuadraticIn3 {
                // The table's products (1·t_f1)·t_f2 with 1 in the constant slot: 1·1·1 = 1,
                // (1·t_j)·1 = t_j and (1·t_i)·t_j = t_i·t_j exactly.
                let q0 = q[0], q1 = q[1], q2 = q[2]
                for n in 0..<count {
                    let i = nb[n]
                    let t0 = (pts[i * 3] - q0) / radius, t1 = (pts[i * 3 + 1] - q1) / radius, t2 = (pts[i * 3 + 2] - q2) / radius
                    storeVector(SIMD8(1, t0, t1, t2, t0 * t0, t0 * t1, t0 * t2, t1 * t1), design + n * 10)
                    storeVector(SIMD2(t1 * t2, t2 * t2), design + n * 10 + 8)
                }
            } else {
                for n in 0..<count {
                    let i = nb[n], monomials = design + n * p
                    for j in 0..<d { t[j] = (pts[i * d + j] - q[j]) / radius }
                    if o == 2 {
                        for a in 0..<p { monomials[a] = 1.0 * t[fac[2 * a]] * t[fac[2 * a + 1]] }
                    } else {
                        for a in 0..<p {
                            var m = 1.0
                            for f in (a * o)..<((a + 1) * o) { m *= t[fac[f]] }
                            monomials[a] = m
                        }
                    }
                }
            }
            // Normal equations: (AᵀA)_ab = Σ_n A_na·A_nb and (Aᵀy)_a = Σ_n A_na·y_n, each sum
            // taken over n = 0, 1, … from 0, left to right.
            if p == NormalEquations10.size {
                NormalEquations10.accumulate(design: design, labels: ys, count: count, ata: ata, aty: aty)
            } else {
                accumulateNormalEquations(design: design, labels: ys, count: count, p: p, ata: ata, aty: aty)
            }
            for a in 0..<p { for b in 0..<a { ata[a * p + b] = ata[b * p + a] } }
            // Cholesky AᵀA = LLᵀ; refuse near-singular neighbourhoods (e.g. coplanar points).
            var maxDiag = 0.0
            for a in 0..<p { maxDiag = max(maxDiag, ata[a * p + a]) }
            for j in 0..<p {
                var s = ata[j * p + j]
                for k in 0..<j { s -= l[j * p + k] * l[j * p + k] }
                guard s > 1e-10 * maxDiag else { return nil }
                let ljj = s.squareRoot()
                l[j * p + j] = ljj
                for i in (j + 1)..<max(j + 1, p) {
                    var r = ata[i * p + j]
                    for k in 0..<j { r -= l[i * p + k] * l[j * p + k] }
                    l[i * p + j] = r / ljj
                }
            }
            // Solves LLᵀz = b for the two right-hand sides b = Aᵀy (the coefficients, z_0 the
            // prediction) and b = e_0 (z_0 = [(AᵀA)⁻¹]_00) together, one per lane of a pair: each
            // lane takes the scalar substitution's operations in its order, and the two
            // independent chains of dependent operations overlap.
            for a in 0..<p { storeVector(SIMD2(aty[a], a == 0 ? 1 : 0), rhs + 2 * a) }
            for i in 0..<p {
                var s = loadVector(SIMD2<Double>.self, rhs + 2 * i)
                for k in 0..<i { s -= l[i * p + k] * loadVector(SIMD2<Double>.self, rhs + 2 * k) }
                storeVector(s / l[i * p + i], rhs + 2 * i)
            }
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = loadVector(SIMD2<Double>.self, rhs + 2 * i)
                for k in (i + 1)..<max(i + 1, p) { s -= l[k * p + i] * loadVector(SIMD2<Double>.self, rhs + 2 * k) }
                storeVector(s / l[i * p + i], rhs + 2 * i)
            }
            let z0 = loadVector(SIMD2<Double>.self, rhs)
            let value = z0[0], variance = z0[1]
            return Prediction(value: value, varianceFactor: max(variance, 0))
        }
    }

    /// The upper triangle of AᵀA and Aᵀy for any p, one neighbour at a time.
    private func accumulateNormalEquations(design: UnsafePointer<Double>, labels: UnsafePointer<Double>, count: Int,
                                           p: Int, ata: UnsafeMutablePointer<Double>, aty: UnsafeMutablePointer<Double>) {
        ata.update(repeating: 0, count: p * p)
        aty.update(repeating: 0, count: p)
        for n in 0..<count {
            let row = design + n * p, y = labels[n]
            for a in 0..<p {
                let ra = row[a], sum = ata + a * p
                aty[a] += ra * y
                for b in a..<p { sum[b] += ra * row[b] }
            }
        }
    }
}

/// The normal equations of a fit with p = 10 monomials (the quadratic fit in three coordinates,
/// the mirror test's usual case), accumulated with the sums of a block of AᵀA held in vector
/// registers.
///
/// Every element is the same sum as in the general loop, Σ_n A_na·A_nb over n = 0, 1, … from 0,
/// left to right: only the nesting changes (a block of elements outer, neighbours inner), and
/// lanewise vector products and sums are the IEEE scalar operations. Rows a and a + 1 are taken
/// together over columns a…9; the one lower-triangle element this includes, (AᵀA)_{a+1,a}, is
/// the same products summed in the same order as (AᵀA)_{a,a+1}, hence the same value.
private enum NormalEquations10 {
    static var size: Int { 10 }

    static func accumulate(design: UnsafePointer<Double>, labels: UnsafePointer<Double>, count: Int,
                           ata: UnsafeMutablePointer<Double>, aty: UnsafeMutablePointer<Double>) {
        var atyHead = SIMD8<Double>(), atyTail = SIMD2<Double>()
        for n in 0..<count {
            let row = design + n * size, y = labels[n]
            atyHead += y * loadVector(SIMD8<Double>.self, row)
            atyTail += y * loadVector(SIMD2<Double>.self, row + 8)
        }
        storeVector(atyHead, aty)
        storeVector(atyTail, aty + 8)
        rowPair(0, from: 0, SIMD8<Double>.self, design, count, ata)
        rowPair(0, from: 8, SIMD2<Double>.self, design, count, ata)
        rowPair(2, from: 2, SIMD8<Double>.self, design, count, ata)
        rowPair(4, from: 4, SIMD4<Double>.self, design, count, ata)
        rowPair(4, from: 8, SIMD2<Double>.self, design, count, ata)
        rowPair(6, from: 6, SIMD4<Double>.self, design, count, ata)
        rowPair(8, from: 8, SIMD2<Double>.self, design, count, ata)
    }

    /// (AᵀA)_{a,b…b+w−1} and (AᵀA)_{a+1,b…b+w−1}, w the width of V.
    @inline(__always)
    private static func rowPair<V: SIMD>(_ a: Int, from b: Int, _: V.Type, _ design: UnsafePointer<Double>, _ count: Int,
                                         _ ata: UnsafeMutablePointer<Double>) where V.Scalar == Double {
        var first = V(), second = V()
        for n in 0..<count {
            let row = design + n * size
            let columns = loadVector(V.self, row + b)
            first += row[a] * columns
            second += row[a + 1] * columns
        }
        storeVector(first, ata + a * size + b)
        storeVector(second, ata + (a + 1) * size + b)
    }
}

/// A vector of doubles read from / written to consecutive doubles at any 8-byte alignment.
@inline(__always)
private func loadVector<V: SIMD>(_: V.Type, _ p: UnsafePointer<Double>) -> V where V.Scalar == Double {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inline(__always)
private func storeVector<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Double>) where V.Scalar == Double {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}
