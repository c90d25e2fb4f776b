/// The inertia tensor of a molecule about its centre of mass,
/// I = Σ mᵢ (|rᵢ|² 𝟙 − rᵢ rᵢᵀ) with rᵢ measured from the centre of mass (u · length²).
public struct InertiaTensor: Sendable {
    /// 3 × 3, symmetric.
    public let tensor: Matrix
    /// Principal moments, ascending.
    public let principalMoments: [Double]
    /// Column k is the principal axis of `principalMoments[k]` (orthonormal, right-handed;
    /// each axis's entry of largest magnitude is positive except the third, whose sign makes
    /// the determinant +1). Axes of equal moments are any orthonormal pair of that plane.
    public let principalAxes: Matrix

    public init(positions: [Double], masses: [Double]) throws {
        try CartesianPositions.validate(positions, masses: masses, what: "positions")
        let c = CartesianPositions.centerOfMass(positions, masses: masses)
        var t = Matrix(rows: 3, columns: 3)
        for (i, m) in masses.enumerated() {
            let r = (0..<3).map { positions[3 * i + $0] - c[$0] }
            let r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2]
            for a in 0..<3 {
                t[a, a] += m * r2
                for b in 0..<3 { t[a, b] -= m * r[a] * r[b] }
            }
        }
        tensor = t
        if t.storage.allSatisfy({ $0 == 0 }) {
            // A single atom (or all atoms at one point): no rotational extent.
            principalMoments = [0, 0, 0]
            principalAxes = .identity(3)
            return
        }
        let eigen = try SymmetricEigenDecomposition(t)
        principalMoments = eigen.eigenvalues.map { Swift.max($0, 0) }
        var axes = eigen.eigenvectors
        if Rotation3.determinant(axes) < 0 { for a in 0..<3 { axes[a, 2] = -axes[a, 2] } }
        principalAxes = axes
    }

    /// Rotational degrees of freedom: 0 for a point, 2 for a linear molecule, 3 otherwise.
    /// Linear means the smallest principal moment is at most `tolerance` × the largest.
    public func rotationalDegreesOfFreedom(linearityTolerance tolerance: Double) -> Int {
        let largest = principalMoments[2]
        if largest == 0 { return 0 }
        return principalMoments[0] <= tolerance * largest ? 2 : 3
    }
}
