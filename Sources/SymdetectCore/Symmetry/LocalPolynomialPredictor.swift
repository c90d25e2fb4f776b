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

    init(dimension: Int) {
        self.dimension = dimension
        // Quadratic where it is affordable in neighbours, linear above four coordinates.
        order = dimension <= 4 ? 2 : 1
        exponents = MultiIndex.all(dimension: dimension, order: order)
    }

    /// Neighbours to use: twice the local coefficient count plus a margin.
    var neighbourCount: Int { 2 * exponents.count + 2 }

    struct Prediction {
        let value: Double
        let varianceFactor: Double
    }

    /// - Parameters: `points` row-major scaled coordinates of all samples, `labels` their values,
    ///   `neighbours` indices into them, `radius` the neighbourhood radius (> 0).
    func predict(at query: [Double], neighbours: [Int], points: [Double], labels: [Double], radius: Double) -> Prediction? {
        for o in stride(from: order, through: 1, by: -1) {
            let ex = o == order ? exponents : MultiIndex.all(dimension: dimension, order: o)
            if let p = solve(query, neighbours, points, labels, radius, ex) { return p }
        }
        return nil
    }

    private func solve(_ q: [Double], _ nb: [Int], _ points: [Double], _ labels: [Double], _ radius: Double, _ ex: [[Int]]) -> Prediction? {
        let p = ex.count
        guard nb.count > p else { return nil }
        let d = dimension
        // Each monomial as its list of coordinate factors (t_j repeated α_j times, j ascending):
        // multiplied in that order from 1, as the definition reads.
        var factorStart = [Int](repeating: 0, count: p + 1)
        var factors: [Int] = []
        for (a, alpha) in ex.enumerated() {
            for j in 0..<d where alpha[j] > 0 { for _ in 0..<alpha[j] { factors.append(j) } }
            factorStart[a + 1] = factors.count
        }
        var ata = [Double](repeating: 0, count: p * p)
        var aty = [Double](repeating: 0, count: p)
        var l = [Double](repeating: 0, count: p * p)
        var row = [Double](repeating: 0, count: p)
        var t = [Double](repeating: 0, count: d)
        var ok = true
        var value = 0.0, variance = 0.0
        ata.withUnsafeMutableBufferPointer { ata in
        aty.withUnsafeMutableBufferPointer { aty in
        l.withUnsafeMutableBufferPointer { l in
        row.withUnsafeMutableBufferPointer { row in
        t.withUnsafeMutableBufferPointer { t in
        factors.withUnsafeBufferPointer { fac in
        factorStart.withUnsafeBufferPointer { fs in
        points.withUnsafeBufferPointer { pts in
        labels.withUnsafeBufferPointer { lab in
        q.withUnsafeBufferPointer { q in
            for i in nb {
                for j in 0..<d { t[j] = (pts[i * d + j] - q[j]) / radius }
                for a in 0..<p {
                    var m = 1.0
                    for f in fs[a]..<fs[a + 1] { m *= t[fac[f]] }
                    row[a] = m
                }
                let y = lab[i]
                for a in 0..<p {
                    aty[a] += row[a] * y
                    for b in a..<p { ata[a * p + b] += row[a] * row[b] }
                }
            }
            for a in 0..<p { for b in 0..<a { ata[a * p + b] = ata[b * p + a] } }
            // Cholesky AᵀA = LLᵀ; refuse near-singular neighbourhoods (e.g. coplanar points).
            var maxDiag = 0.0
            for a in 0..<p { maxDiag = max(maxDiag, ata[a * p + a]) }
            for j in 0..<p {
                var s = ata[j * p + j]
                for k in 0..<j { s -= l[j * p + k] * l[j * p + k] }
                guard s > 1e-10 * maxDiag else { ok = false; return }
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
            value = solveL()
            for a in 0..<p { row[a] = a == 0 ? 1 : 0 }
            variance = solveL()
        }}}}}}}}}}
        guard ok else { return nil }
        return Prediction(value: value, varianceFactor: max(variance, 0))
    }
}
