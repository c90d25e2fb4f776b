/// Evaluates all monomials u^α of a graded exponent list with one multiplication each:
/// every α of degree ≥ 1 is a lower monomial times one coordinate, u^α = u^{α − e_j}·u_j, and in
/// graded order the lower monomial has already been computed.
struct MonomialEvaluator: Sendable {
    let count: Int
    /// For monomial a ≥ 1: the index of α − e_j and the coordinate j (the first non-zero exponent).
    let parent: [Int]
    let variable: [Int]

    init(exponents: [[Int]]) {
        count = exponents.count
        var index: [[Int]: Int] = [:]
        for (a, alpha) in exponents.enumerated() { index[alpha] = a }
        var parent = [Int](repeating: -1, count: exponents.count)
        var variable = [Int](repeating: -1, count: exponents.count)
        for (a, alpha) in exponents.enumerated() {
            guard let j = alpha.firstIndex(where: { $0 > 0 }) else { continue }
            var lower = alpha
            lower[j] -= 1
            guard let p = index[lower], p < a else { preconditionFailure("exponents are not graded and closed") }
            parent[a] = p
            variable[a] = j
        }
        self.parent = parent
        self.variable = variable
    }

    /// Fills `row[0..<count]` with u^α (row[0] = 1 for the constant).
    @inline(__always)
    func evaluate(_ u: UnsafeBufferPointer<Double>, into row: UnsafeMutableBufferPointer<Double>) {
        row[0] = 1
        parent.withUnsafeBufferPointer { par in
            variable.withUnsafeBufferPointer { va in
                for a in 1..<count { row[a] = row[par[a]] * u[va[a]] }
            }
        }
    }

    func evaluate(_ u: [Double]) -> [Double] {
        var row = [Double](repeating: 0, count: count)
        u.withUnsafeBufferPointer { ub in row.withUnsafeMutableBufferPointer { evaluate(ub, into: $0) } }
        return row
    }
}
