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
/// Degenerate inputs (singular values ≤ 1e-12 σ₁ count as zero): for planar point sets the
/// proper optimum is still unique (and is returned even when improper matrices are allowed: the
/// mirror through the plane fits equally well); for collinear sets only the line is matched and
/// the rotation about it is free: the smallest rotation taking one line onto the other is
/// returned.
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
        let sigma = svd.singularValues
        let u = svd.u, v = svd.v
        let cutoff = 1e-12 * sigma[0]
        let u1 = u.column(0), v1 = v.column(0)
        if sigma[1] <= cutoff {
            // Collinear: only u₁ ↦ v₁ is determined; take the smallest such rotation.
            return smallestRotation(taking: normalised(u1), to: normalised(v1))
        }
        // GSL's Jacobi SVD leaves the left singular vector of a zero singular value at zero, so
        // U is completed right-handed: u₃ = u₁ × u₂. Then det U = +1 and the proper optimum is
        // V diag(1, 1, det V) Uᵀ. (Flipping u₃ flips d too, so this equals the textbook form.)
        let u2 = u.column(1)
        var u3 = Rotation3.cross(u1, u2)
        var d = Rotation3.determinant(v)
        if allowImproper && sigma[2] > cutoff {
            // Full rank: the unconstrained optimum V Uᵀ with GSL's own u₃.
            u3 = u.column(2)
            d = 1
        }
        let uc = [u1, u2, normalised(u3)]
        var r = Matrix(rows: 3, columns: 3)
        for a in 0..<3 {
            for b in 0..<3 {
                r[a, b] = v[a, 0] * uc[0][b] + v[a, 1] * uc[1][b] + d * v[a, 2] * uc[2][b]
            }
        }
        return r
    }

    private static func normalised(_ x: [Double]) -> [Double] {
        let n = dot(x, x).squareRoot()
        return x.map { $0 / n }
    }

    /// The rotation by the smallest angle taking unit vector a to unit vector b (Rodrigues).
    /// For b = −a: the half-turn about the axis e_k × a, e_k the coordinate axis least aligned with a.
    static func smallestRotation(taking a: [Double], to b: [Double]) -> Matrix {
        var axis = Rotation3.cross(a, b)
        let sine = dot(axis, axis).squareRoot()
        let cosine = dot(a, b)
        if sine < 1e-12 {
            if cosine > 0 { return .identity(3) }
            let k = (0..<3).min { abs(a[$0]) < abs(a[$1]) }!
            var e = [0.0, 0.0, 0.0]
            e[k] = 1
            axis = normalised(Rotation3.cross(e, a))
            var r = Matrix(rows: 3, columns: 3)
            for i in 0..<3 { for j in 0..<3 { r[i, j] = 2 * axis[i] * axis[j] - (i == j ? 1 : 0) } }
            return r
        }
        axis = axis.map { $0 / sine }
        // R = cos θ 𝟙 + sin θ [k]× + (1 − cos θ) k kᵀ
        let kx: [[Double]] = [[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]]
        var r = Matrix(rows: 3, columns: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                r[i, j] = (i == j ? cosine : 0) + sine * kx[i][j] + (1 - cosine) * axis[i] * axis[j]
            }
        }
        return r
    }
}
