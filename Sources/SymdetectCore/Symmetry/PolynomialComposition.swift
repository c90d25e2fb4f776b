/// The coefficient map of T ↦ T∘g for a linear g: if T(u) = Σ β_α u^α then
/// T(Gu) = Σ_α (Mβ)_α u^α, with column α of M the expansion of Π_j (Σ_k G_jk u_k)^{α_j}.
///
/// Exact up to floating-point rounding (no sampling); the total degree of each monomial is
/// preserved, so M is block diagonal by degree.
public enum PolynomialComposition {
    public static func coefficientMap(_ g: Matrix, exponents: [[Int]]) -> Matrix {
        let p = exponents.count
        let d = g.rows
        var position: [[Int]: Int] = [:]
        for (a, alpha) in exponents.enumerated() { position[alpha] = a }
        // (Gu)_j as a sparse linear polynomial.
        let linear: [[[Int]: Double]] = (0..<d).map { j in
            var poly: [[Int]: Double] = [:]
            for k in 0..<d where g[j, k] != 0 {
                var e = [Int](repeating: 0, count: d); e[k] = 1
                poly[e] = g[j, k]
            }
            return poly
        }
        var powerCache: [Int: [[Int]: Double]] = [:]   // key j*64 + power
        func power(_ j: Int, _ n: Int) -> [[Int]: Double] {
            if n == 0 { return [[Int](repeating: 0, count: d): 1] }
            if let c = powerCache[j * 64 + n] { return c }
            let r = multiply(power(j, n - 1), linear[j])
            powerCache[j * 64 + n] = r
            return r
        }
        var m = Matrix(rows: p, columns: p)
        for (a, alpha) in exponents.enumerated() {
            var poly: [[Int]: Double] = [[Int](repeating: 0, count: d): 1]
            for j in 0..<d where alpha[j] > 0 { poly = multiply(poly, power(j, alpha[j])) }
            for e in sortedKeys(poly) {
                let c = poly[e]!
                guard let row = position[e] else { continue }   // cannot happen: degree preserved
                m[row, a] += c
            }
        }
        return m
    }

    static func multiply(_ a: [[Int]: Double], _ b: [[Int]: Double]) -> [[Int]: Double] {
        var out: [[Int]: Double] = [:]
        // Sorted iteration: Dictionary order varies between processes, and the summation order
        // must not, or results would differ in the last bits from run to run.
        for ea in sortedKeys(a) {
            let ca = a[ea]!
            for eb in sortedKeys(b) {
                let cb = b[eb]!
                let e = zip(ea, eb).map { $0 + $1 }
                out[e, default: 0] += ca * cb
            }
        }
        return out
    }

    static func sortedKeys(_ p: [[Int]: Double]) -> [[Int]] {
        p.keys.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
