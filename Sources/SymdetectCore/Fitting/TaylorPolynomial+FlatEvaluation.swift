/// T evaluated many times without allocating: the terms with a non-zero coefficient flattened
/// into index lists once, the powers of the displacement in caller-owned scratch.
///
/// Bit for bit the arithmetic of `TaylorPolynomial.value(displacement:)`: the powers u_j^k by
/// repeated multiplication from 1, each term β_α·Π_j u_j^α_j multiplied from β_α in coordinate
/// order (factors with α_j = 0 left out), the terms added from 0 in exponent order, zero
/// coefficients skipped. The per-operation tests evaluate T and its quadratic part ~10⁵ times
/// per analysis.
struct FlatTaylorPolynomial: Sendable {
    let center: [Double]
    let order: Int
    /// Non-zero coefficients, in exponent order.
    private let coefficients: [Double]
    /// Term t multiplies the powers at `factors[start[t]..<start[t + 1]]` (j·(order + 1) + α_j).
    private let start: [Int]
    private let factors: [Int]

    var dimension: Int { center.count }
    /// Scratch doubles `value` needs for the powers.
    var scratchCount: Int { max(dimension * (order + 1), 1) }

    init(_ polynomial: TaylorPolynomial) {
        center = polynomial.center
        order = polynomial.order
        let stride = polynomial.order + 1
        var coefficients: [Double] = [], start = [0], factors: [Int] = []
        for (alpha, b) in zip(polynomial.exponents, polynomial.coefficients) where b != 0 {
            coefficients.append(b)
            for j in 0..<alpha.count where alpha[j] > 0 { factors.append(j * stride + alpha[j]) }
            start.append(factors.count)
        }
        self.coefficients = coefficients
        self.start = start
        self.factors = factors
    }

    /// T(c + u) for the displacement u (`dimension` values); `powers` has `scratchCount` entries.
    func value(displacement u: UnsafePointer<Double>, powers pw: UnsafeMutablePointer<Double>) -> Double {
        let stride = order + 1
        for j in 0..<dimension {
            pw[j * stride] = 1
            if order > 0 { for k in 1...order { pw[j * stride + k] = pw[j * stride + k - 1] * u[j] } }
        }
        return coefficients.withUnsafeBufferPointer { beta in
            start.withUnsafeBufferPointer { st in
                factors.withUnsafeBufferPointer { fa in
                    var s = 0.0
                    for t in 0..<beta.count {
                        var m = beta[t]
                        for f in st[t]..<st[t + 1] { m *= pw[fa[f]] }
                        s += m
                    }
                    return s
                }
            }
        }
    }

    /// T(x) = T(c + (x − c)), as `TaylorPolynomial.value(at:)`; `displacement` is scratch for
    /// `dimension` values.
    func value(at x: UnsafePointer<Double>, displacement u: UnsafeMutablePointer<Double>, powers: UnsafeMutablePointer<Double>) -> Double {
        for j in 0..<dimension { u[j] = x[j] - center[j] }
        return value(displacement: u, powers: powers)
    }
}
