/// The orthogonal matrix that best superimposes one set of weighted points on another
/// (Kabsch 1976, with weights): for centred point sets yᵢ (moving) and rᵢ (target),
///
///     R = argmin over R ∈ SO(3) (or O(3))  Σ mᵢ |R yᵢ − rᵢ|²  =  argmax tr(R H),  H = Σ mᵢ yᵢ rᵢᵀ.
///
/// With the SVD H = U Σ Vᵀ the optimum is R = V diag(1, 1, d) Uᵀ, d = sign det(V Uᵀ) for a
/// proper rotation (the reflection case flips the direction of the smallest singular value,
/// which costs least), d = 1 when improper matrices are allowed. GSL's one-sided Jacobi SVD
/// gives singular vectors to full precision, so a rigidly moved copy is recovered to ≈ 1e-15.
///
/// Degenerate inputs: for planar point sets the smallest singular value is 0 and d picks the
/// proper solution uniquely; for collinear sets the rotation about the line is undetermined and
/// the one returned is whatever the SVD's (deterministic) basis of that plane gives.
public enum Kabsch {
    /// Both point sets flat atom-major, already centred (Σ mᵢ yᵢ = Σ mᵢ rᵢ = 0); `masses` are the
    /// weights. Returns a 3 × 3 orthogonal R with det +1 (or ±1 when `allowImproper`).
    public static func rotation(aligning moving: [Double], onto target: [Double], masses: [Double],
                                allowImproper: Bool = false) throws -> Matrix {
        try CartesianPositions.validate(moving, masses: masses, what: "moving positions")
        try CartesianPositions.validate(target, masses: masses, what: "target positions")
        var h = Matrix(rows: 3, columns: 3)
        for (i, m) in masses.enumerated() {
            for a in 0..<3 {
                let ya = m * moving[3 * i + a]
                for b in 0..<3 { h[a, b] += ya * target[3 * i + b] }
            }
        }
        if h.storage.allSatisfy({ $0 == 0 }) { return .identity(3) }
        let svd = try SingularValueDecomposition(h)
        let u = svd.u, v = svd.v
        var d = 1.0
        if !allowImproper {
            d = Rotation3.determinant(v * u.transposed) < 0 ? -1 : 1
        }
        var r = Matrix(rows: 3, columns: 3)
        for a in 0..<3 {
            for b in 0..<3 {
                r[a, b] = v[a, 0] * u[b, 0] + v[a, 1] * u[b, 1] + d * v[a, 2] * u[b, 2]
            }
        }
        return r
    }
}
