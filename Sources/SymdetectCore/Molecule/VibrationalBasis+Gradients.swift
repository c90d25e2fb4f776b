/// Energy gradients (negative forces) between Cartesian and vibrational coordinates.
///
/// E(s) = E(a(s)) with the linear map a(s) = r + M^{−1/2} B s, so the gradient with respect to s
/// is exactly g_s = Bᵀ M^{−1/2} g_a, g_a the Cartesian gradient at the aligned geometry a. For
/// a rotation-invariant energy g_a = R g_x, g_x the gradient in the frame's own orientation.
///
/// Back: the Cartesian gradient of a rotation- and translation-invariant energy at a is the
/// unique vector g with (i) Bᵀ M^{−1/2} g = g_s, (ii) Σ gᵢ = 0 (no net force) and
/// (iii) Σ aᵢ × gᵢ = 0 (no net torque about the centre of mass). Condition (i) leaves
/// g = M^{1/2} B g_s + c with M^{−1/2} c an external motion of r; (ii) removes its translation
/// (B is orthogonal to translations and r is centred) and (iii) fixes its rotation θ,
/// cᵢ = mᵢ θ × rᵢ, through A θ = −Σ aᵢ × (M^{1/2} B g_s)ᵢ with A = Σ mᵢ ((aᵢ·rᵢ) 𝟙 − rᵢ aᵢᵀ)
/// (the inertia tensor when a = r). For a linear reference A is singular along the axis and the
/// minimum-norm θ is used (singular values below 1e-12 of the largest dropped).
extension VibrationalBasis {
    /// g_s = Bᵀ M^{−1/2} R g for a Cartesian gradient `gradient` (E/L, flat atom-major, in the
    /// orientation of the frame that `alignment` aligned). Units E/(√u·L). Forces are −gradient.
    public func vibrationalGradient(fromCartesianGradient gradient: [Double],
                                    alignment: EckartAlignment) throws -> [Double] {
        try CartesianPositions.validate(gradient, masses: reference.masses, what: "Cartesian gradient")
        let rotated = Rotation3.apply(alignment.rotation, toEachAtomOf: gradient)
        let weighted = (0..<rotated.count).map { rotated[$0] / reference.masses[$0 / 3].squareRoot() }
        return project(massWeighted: weighted)
    }

    /// The Cartesian gradient (E/L) in the Eckart frame at the geometry of coordinates
    /// `coordinates`, for the gradient `gradient` with respect to them. Rotate it to a frame's
    /// orientation with `alignment.toFrame.apply(toVectors:)`.
    public func cartesianGradient(fromVibrationalGradient gradient: [Double],
                                  at coordinates: [Double]) throws -> [Double] {
        guard gradient.count == count else {
            throw MoleculeError.sizeMismatch(what: "vibrational gradient", expected: count, got: gradient.count)
        }
        guard gradient.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: "vibrational gradient") }
        let a = try cartesian(from: coordinates)
        let masses = reference.masses
        let r = reference.positions
        let bg = vectors * gradient
        var g = (0..<bg.count).map { bg[$0] * masses[$0 / 3].squareRoot() }
        guard atomCount > 1 else { return g }

        var torque = [0.0, 0.0, 0.0]
        var matrixA = Matrix(rows: 3, columns: 3)
        for (i, m) in masses.enumerated() {
            let ai = Array(a[(3 * i)..<(3 * i + 3)]), ri = Array(r[(3 * i)..<(3 * i + 3)])
            let t = Rotation3.cross(ai, Array(g[(3 * i)..<(3 * i + 3)]))
            for k in 0..<3 { torque[k] -= t[k] }
            let ar = dot(ai, ri)
            for p in 0..<3 {
                matrixA[p, p] += m * ar
                for q in 0..<3 { matrixA[p, q] -= m * ri[p] * ai[q] }
            }
        }
        let theta = try Self.minimumNormSolve(matrixA, torque)
        for (i, m) in masses.enumerated() {
            let c = Rotation3.cross(theta, Array(r[(3 * i)..<(3 * i + 3)]))
            for k in 0..<3 { g[3 * i + k] += m * c[k] }
        }
        return g
    }

    /// x minimising |x| among the minimisers of |A x − b| (3 × 3, via SVD).
    static func minimumNormSolve(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        if a.storage.allSatisfy({ $0 == 0 }) { return [0, 0, 0] }
        let svd = try SingularValueDecomposition(a)
        let cutoff = 1e-12 * (svd.singularValues.first ?? 0)
        var x = [0.0, 0.0, 0.0]
        for k in 0..<3 where svd.singularValues[k] > cutoff {
            let f = dot(svd.u.column(k), b) / svd.singularValues[k]
            for i in 0..<3 { x[i] += f * svd.v[i, k] }
        }
        return x
    }
}
