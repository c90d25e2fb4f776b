/// An orthonormal basis of the internal (vibrational) displacements of a reference structure,
/// in mass-weighted Cartesian coordinates: a displacement δx (length unit L) has mass-weighted
/// components √mᵢ δxᵢ (√u · L).
///
/// External motions of the reference r (centre of mass at the origin):
/// - translations Tₐ: √mᵢ eₐ / √M, a = x, y, z (M = Σ mᵢ);
/// - infinitesimal rotations about the principal axes uₐ: √mᵢ (uₐ × rᵢ) / √Iₐ. Their mutual
///   inner products are the inertia tensor's entries, so about principal axes they are
///   orthogonal, with squared norm Iₐ; rotations and translations are orthogonal because the
///   centre of mass is at the origin. A linear molecule has no rotation about its axis (I ≈ 0):
///   5 external vectors; an atom has only the 3 translations.
///
/// The vibrational basis spans their orthogonal complement (3N − 6, 3N − 5 for linear
/// molecules, 0 for an atom). It is built deterministically by pivoted Gram–Schmidt on the
/// projections of the Cartesian unit vectors e₁ … e₃N onto that complement: each step takes the
/// unit vector with the largest remaining residual (ties within a relative 1e-10 go to the lower
/// index), orthogonalises it twice (against the external and the accepted vectors) and
/// normalises it. Every basis vector therefore has a positive component along the unit
/// vector it came from, which fixes the signs; the same reference gives bit-identical vectors.
///
/// Vibrational coordinates of a frame: s = Bᵀ M^{1/2} (a − r), with a the frame aligned to the
/// Eckart frame of r (`EckartReference.align`) and B the 3N × n matrix of basis vectors. Because the
/// aligned displacement satisfies the Eckart conditions, M^{1/2}(a − r) lies in the span of B and
/// the inverse a = r + M^{−1/2} B s is exact.
public struct VibrationalBasis: Sendable {
    public let reference: EckartReference
    /// Inertia tensor of the reference.
    public let inertia: InertiaTensor
    /// True when the reference was judged linear (smallest principal moment ≤ tolerance × largest).
    public let isLinear: Bool
    /// 3N × k, orthonormal columns: the translations (x, y, z) then the rotations (about the
    /// principal axes of increasing moment that are kept).
    public let externalVectors: Matrix
    /// 3N × n, orthonormal columns, orthogonal to `externalVectors`: B.
    public let vectors: Matrix

    /// Number of vibrational coordinates n (3N − 6, 3N − 5, or 0).
    public var count: Int { vectors.columns }
    public var atomCount: Int { reference.atomCount }

    /// `linearityTolerance` is relative: the reference is linear when its smallest principal
    /// moment is at most that fraction of its largest. The default 1e-6 treats CO₂ bent by less
    /// than about 0.2° as linear (a linear geometry printed with 6 decimals is far inside it).
    public init(reference: EckartReference, linearityTolerance: Double = 1e-6) throws {
        self.reference = reference
        let n3 = 3 * reference.atomCount
        let masses = reference.masses
        let r = reference.positions
        inertia = try InertiaTensor(positions: r, masses: masses)
        let rotations = inertia.rotationalDegreesOfFreedom(linearityTolerance: linearityTolerance)
        isLinear = rotations == 2

        var external: [[Double]] = []
        let totalMass = masses.reduce(0, +)
        for a in 0..<3 {
            var t = [Double](repeating: 0, count: n3)
            for (i, m) in masses.enumerated() { t[3 * i + a] = (m / totalMass).squareRoot() }
            external.append(t)
        }
        // Rotations about the axes with the largest moments: all three, or the two of a linear molecule.
        for k in (3 - rotations)..<3 {
            let axis = inertia.principalAxes.column(k)
            var v = [Double](repeating: 0, count: n3)
            for (i, m) in masses.enumerated() {
                let c = Rotation3.cross(axis, Array(r[(3 * i)..<(3 * i + 3)]))
                for a in 0..<3 { v[3 * i + a] = m.squareRoot() * c[a] }
            }
            external.append(v)
        }
        // Orthonormalise (they are orthogonal analytically; this removes rounding).
        var accepted: [[Double]] = []
        for v in external {
            accepted.append(Self.orthonormalised(v, against: accepted))
        }
        externalVectors = Self.matrix(columns: accepted, rows: n3)

        let vibrationalCount = n3 - accepted.count
        // Residuals of the Cartesian unit vectors: the columns of I − E Eᵀ, kept row-wise
        // (residual[k] is the residual of e_k, symmetric so rows = columns).
        var residual = [[Double]](repeating: [Double](repeating: 0, count: n3), count: n3)
        for k in 0..<n3 {
            residual[k][k] = 1
            for e in accepted {
                let f = e[k]
                if f == 0 { continue }
                for i in 0..<n3 { residual[k][i] -= f * e[i] }
            }
        }
        var used = [Bool](repeating: false, count: n3)
        var basis: [[Double]] = []
        for _ in 0..<vibrationalCount {
            var best = -1
            var bestNorm = 0.0
            for k in 0..<n3 where !used[k] {
                let norm = dot(residual[k], residual[k])
                if best < 0 || norm > bestNorm * (1 + 1e-10) { best = k; bestNorm = norm }
            }
            used[best] = true
            let q = Self.orthonormalised(residual[best], against: accepted + basis)
            basis.append(q)
            for k in 0..<n3 where !used[k] {
                let f = dot(q, residual[k])
                for i in 0..<n3 { residual[k][i] -= f * q[i] }
            }
        }
        vectors = Self.matrix(columns: basis, rows: n3)
    }

    /// Builds the reference from per-atom positions and element symbols.
    public init(positions: [[Double]], species: [String], linearityTolerance: Double = 1e-6) throws {
        try self.init(reference: try EckartReference(positions: positions, species: species),
                      linearityTolerance: linearityTolerance)
    }

    /// s = Bᵀ M^{1/2} (a − r) for a frame (flat atom-major, any orientation and position):
    /// the frame is first aligned to the Eckart frame of the reference. Units √u · L.
    public func vibrationalCoordinates(of frame: [Double]) throws -> [Double] {
        try vibrationalCoordinates(ofAligned: try reference.align(frame).positions)
    }

    /// s = Bᵀ M^{1/2} (a − r) for positions already in the Eckart frame of the reference.
    public func vibrationalCoordinates(ofAligned aligned: [Double]) throws -> [Double] {
        try CartesianPositions.validate(aligned, masses: reference.masses, what: "aligned positions")
        return project(massWeighted: massWeightedDisplacement(aligned))
    }

    /// a = r + M^{−1/2} B s: positions in the Eckart frame of the reference.
    public func cartesian(from coordinates: [Double]) throws -> [Double] {
        guard coordinates.count == count else {
            throw MoleculeError.sizeMismatch(what: "vibrational coordinates", expected: count, got: coordinates.count)
        }
        guard coordinates.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: "vibrational coordinates") }
        let mw = vectors * coordinates
        return (0..<mw.count).map { reference.positions[$0] + mw[$0] / reference.masses[$0 / 3].squareRoot() }
    }

    /// The same geometry put back at a frame's own orientation and position
    /// (`alignment.toFrame`), as augmented images are written.
    public func cartesian(from coordinates: [Double], placedAs alignment: EckartAlignment) throws -> [Double] {
        alignment.toFrame.apply(toPositions: try cartesian(from: coordinates))
    }

    // MARK: Internals shared with the normal-mode code

    func massWeightedDisplacement(_ aligned: [Double]) -> [Double] {
        (0..<aligned.count).map { (aligned[$0] - reference.positions[$0]) * reference.masses[$0 / 3].squareRoot() }
    }

    /// Bᵀ v.
    func project(massWeighted v: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: count)
        for i in 0..<vectors.rows {
            let vi = v[i]
            if vi == 0 { continue }
            for k in 0..<count { s[k] += vectors[i, k] * vi }
        }
        return s
    }

    /// Gram–Schmidt applied twice ("twice is enough", Giraud et al. 2005) then normalised.
    static func orthonormalised(_ v: [Double], against basis: [[Double]]) -> [Double] {
        var w = v
        for _ in 0..<2 {
            for q in basis {
                let f = dot(q, w)
                for i in 0..<w.count { w[i] -= f * q[i] }
            }
        }
        let norm = dot(w, w).squareRoot()
        return w.map { $0 / norm }
    }

    static func matrix(columns: [[Double]], rows: Int) -> Matrix {
        var m = Matrix(rows: rows, columns: columns.count)
        for (k, c) in columns.enumerated() { for i in 0..<rows { m[i, k] = c[i] } }
        return m
    }
}
