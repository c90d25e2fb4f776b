/// T(x) = Σ_α β_α (x − c)^α: a polynomial in the displacement u = x − c from a centre c,
/// in the user's units. Evaluation, gradient and Hessian are exact (no differencing).
public struct TaylorPolynomial: Sendable, Equatable {
    public let center: [Double]
    public let exponents: [[Int]]
    public let coefficients: [Double]

    public init(center: [Double], exponents: [[Int]], coefficients: [Double]) {
        precondition(exponents.count == coefficients.count)
        precondition(exponents.allSatisfy { $0.count == center.count })
        self.center = center
        self.exponents = exponents
        self.coefficients = coefficients
        order = exponents.map { $0.reduce(0, +) }.max() ?? 0
    }

    public var dimension: Int { center.count }
    /// Highest total degree of the exponent list; stored, as every evaluation needs it.
    public let order: Int

    /// Powers u_j^0 … u_j^order for every coordinate.
    @inline(__always)
    static func powers(_ u: [Double], order: Int) -> [[Double]] {
        u.map { v in
            var p = [Double](repeating: 1, count: order + 1)
            if order > 0 { for k in 1...order { p[k] = p[k - 1] * v } }
            return p
        }
    }

    public func value(displacement u: [Double]) -> Double {
        // Σ_α β_α Π_j u_j^α_j with the powers by repeated multiplication (as `powers`), on a
        // scratch buffer: evaluated ~10⁵ times per analysis.
        let d = u.count, stride = order + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(d * stride, 1)) { pw in
            for j in 0..<d {
                pw[j * stride] = 1
                if order > 0 { for k in 1...order { pw[j * stride + k] = pw[j * stride + k - 1] * u[j] } }
            }
            var s = 0.0
            for (alpha, b) in zip(exponents, coefficients) where b != 0 {
                var m = b
                for j in 0..<alpha.count where alpha[j] > 0 { m *= pw[j * stride + alpha[j]] }
                s += m
            }
            return s
        }
    }

    public func value(at x: [Double]) -> Double {
        value(displacement: zip(x, center).map { $0 - $1 })
    }

    /// ∂T/∂x_k at x.
    public func gradient(at x: [Double]) -> [Double] {
        let u = zip(x, center).map { $0 - $1 }
        let pw = Self.powers(u, order: order)
        var g = [Double](repeating: 0, count: dimension)
        for (alpha, b) in zip(exponents, coefficients) where b != 0 {
            for k in 0..<dimension where alpha[k] > 0 {
                var m = b * Double(alpha[k])
                for j in 0..<dimension {
                    let e = j == k ? alpha[j] - 1 : alpha[j]
                    if e > 0 { m *= pw[j][e] }
                }
                g[k] += m
            }
        }
        return g
    }

    /// ∂²T/∂x_k∂x_l at x.
    public func hessian(at x: [Double]) -> Matrix {
        let u = zip(x, center).map { $0 - $1 }
        let pw = Self.powers(u, order: order)
        var h = Matrix(rows: dimension, columns: dimension)
        for (alpha, b) in zip(exponents, coefficients) where b != 0 {
            for k in 0..<dimension where alpha[k] > 0 {
                for l in k..<dimension {
                    var e = alpha
                    e[k] -= 1
                    guard e[l] > 0 else { continue }
                    let factor = Double(alpha[k]) * Double(e[l])
                    e[l] -= 1
                    var m = b * factor
                    for j in 0..<dimension where e[j] > 0 { m *= pw[j][e[j]] }
                    h[k, l] += m
                    if l != k { h[l, k] += m }
                }
            }
        }
        return h
    }

    /// The same polynomial restricted to total degree ≤ `maxOrder` (e.g. the quadratic model h).
    public func truncated(toOrder maxOrder: Int) -> TaylorPolynomial {
        let c = zip(exponents, coefficients).map { $0.reduce(0, +) <= maxOrder ? $1 : 0 }
        return TaylorPolynomial(center: center, exponents: exponents, coefficients: c)
    }

    public func coefficient(of alpha: [Int]) -> Double {
        guard let i = exponents.firstIndex(of: alpha) else { return 0 }
        return coefficients[i]
    }
}
