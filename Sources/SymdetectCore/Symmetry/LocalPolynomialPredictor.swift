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
    }

    /// Neighbours to use: twice the local coefficient count plus a margin.
    var neighbourCount: Int { 2 * exponents.count + 2 }

    struct Prediction {
        let value: Double
        let varianceFactor: Double
    }

    /// Scratch doubles `predict` needs.
    var scratchCount: Int {
        let p = exponents.count
        return 2 * p * p + 2 * p + dimension + 1 + neighbourCount
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
        // Each monomial is the product of its coordinate factors (t_j repeated α_j times, j
        // ascending), multiplied in that order from 1, as the definition reads.
        scratch.update(repeating: 0, count: 2 * p * p + 2 * p + d + 1)
        let ata = scratch
        let l = scratch + p * p
        let aty = scratch + 2 * p * p
        let row = aty + p
        let t = row + p
        t[d] = 1
        // The neighbours' labels first, all loads issued together: read one at a time inside
        // the accumulation below, each waited for its own cache miss.
        let ys = t + d + 1
        for n in 0..<count { ys[n] = lab[nb[n]] }
        return table.withUnsafeBufferPointer { fac in
            for n in 0..<count {
                let i = nb[n]
                for j in 0..<d { t[j] = (pts[i * d + j] - q[j]) / radius }
                if o == 2 {
                    for a in 0..<p { row[a] = 1.0 * t[fac[2 * a]] * t[fac[2 * a + 1]] }
                } else {
                    for a in 0..<p {
                        var m = 1.0
                        for f in (a * o)..<((a + 1) * o) { m *= t[fac[f]] }
                        row[a] = m
                    }
                }
                let y = ys[n]
                for a in 0..<p {
                    aty[a] += row[a] * y
                    let ra = row[a], sum = ata + a * p
                    for b in a..<p { sum[b] += ra * row[b] }
                }
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
            // Solves LLᵀz = b in place (b in `row`), returns z[0].
            func solveL() -> Double {
                for i in 0..<p { var s = row[i]; for k in 0..<i { s -= l[i * p + k] * row[k] }; row[i] = s / l[i * p + i] }
                for i in stride(from: p - 1, through: 0, by: -1) { var s = row[i]; for k in (i + 1)..<max(i + 1, p) { s -= l[k * p + i] * row[k] }; row[i] = s / l[i * p + i] }
                return row[0]
            }
            for a in 0..<p { row[a] = aty[a] }
            let value = solveL()
            for a in 0..<p { row[a] = a == 0 ? 1 : 0 }
            let variance = solveL()
            return Prediction(value: value, varianceFactor: max(variance, 0))
        }
    }
}
