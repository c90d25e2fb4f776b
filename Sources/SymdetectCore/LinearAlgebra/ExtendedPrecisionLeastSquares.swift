/// Householder QR least squares carried out in x87 extended precision (`Float80`, 64-bit
/// significand, unit round-off 5.4e-20).
///
/// Why: any backward-stable double-precision solver leaves coefficient errors of order
/// ε·κ(X) (≈ 1e-6 for a degree-10 monomial design on clustered x, κ ≈ 5e9 after scaling),
/// short of the 7 significant digits the fit promises. The same algorithm with 11 more bits
/// brings that to ≈ 3e-10. Used for designs small enough that O(N·p²) extended-precision
/// arithmetic is cheap; the result is rounded to `Double`.
enum ExtendedPrecisionLeastSquares {
    /// Largest N·p² handled here (≈ 0.5 s); larger designs use the double-precision path.
    static let workLimit = 20_000_000

#if arch(x86_64) || arch(i386)
    typealias Extended = Float80
#else
    typealias Extended = Double
#endif

    /// Solves min ‖Xβ − y‖ for a full-column-rank X (row-major, rows × p). Returns nil when a
    /// Householder pivot vanishes (numerically rank deficient): the caller keeps its SVD solution.
    /// The design must itself be formed in extended precision: rounding its entries to double
    /// is a relative perturbation of ε that alone costs ε·κ in the coefficients.
    static func solve(columnMajorDesign a: inout [Extended], rhs: [Double], columns p: Int) -> [Double]? {
        let n = rhs.count
        guard n >= p, a.count == n * p else { return nil }
        var b = rhs.map { Extended($0) }
        var diag = [Extended](repeating: 0, count: p)
        for k in 0..<p {
            var norm: Extended = 0
            for i in k..<n { norm += a[k * n + i] * a[k * n + i] }
            norm = norm.squareRoot()
            guard norm > 0 else { return nil }
            let alpha = a[k * n + k] > 0 ? -norm : norm
            // v = x − αe₁, stored in place; H = I − 2vvᵀ/vᵀv.
            a[k * n + k] -= alpha
            var vtv: Extended = 0
            for i in k..<n { vtv += a[k * n + i] * a[k * n + i] }
            diag[k] = alpha
            guard vtv > 0 else { continue }
            for j in (k + 1)..<max(k + 1, p) {
                var s: Extended = 0
                for i in k..<n { s += a[k * n + i] * a[j * n + i] }
                let f = 2 * s / vtv
                for i in k..<n { a[j * n + i] -= f * a[k * n + i] }
            }
            var s: Extended = 0
            for i in k..<n { s += a[k * n + i] * b[i] }
            let f = 2 * s / vtv
            for i in k..<n { b[i] -= f * a[k * n + i] }
        }
        let biggest = diag.map { abs($0) }.max() ?? 0
        guard diag.allSatisfy({ abs($0) > biggest * 1e-17 }) else { return nil }
        // Back substitution R β = Qᵀy (R's strict upper part is in a, its diagonal in diag).
        var beta = [Extended](repeating: 0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            var s = b[k]
            for j in (k + 1)..<max(k + 1, p) { s -= a[j * n + k] * beta[j] }
            beta[k] = s / diag[k]
        }
        return beta.map { Double($0) }
    }
}
