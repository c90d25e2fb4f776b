import Foundation

/// A reference structure to which frames are aligned (the lowest-energy frame, later the refined
/// stationary point).
///
/// Stored centred: `positions` are the given reference minus its mass-weighted centre of mass,
/// in the orientation they were given (no rotation to principal axes).
public struct EckartReference: Sendable {
    /// Atomic masses, u.
    public let masses: [Double]
    /// Flat atom-major positions with the centre of mass at the origin (length unit of the input).
    public let positions: [Double]
    /// Where the centre of mass of the reference was as given.
    public let inputCenterOfMass: [Double]
    /// For a reference whose atoms lie on one line through the centre of mass (every
    /// |rᵢ × u| ≤ 1e-9 max|r|, u the direction of the atom farthest from it): that line and two
    /// perpendicular unit vectors, which fix the phase of the bends (`align`); nil otherwise.
    public let linearAxes: LinearAxes?

    /// The molecular axis u of a linear reference and a right-handed perpendicular pair:
    /// e₁ = the coordinate axis least aligned with u, made perpendicular to it; e₂ = u × e₁.
    public struct LinearAxes: Sendable {
        public let axis: [Double]
        public let perpendicular1: [Double]
        public let perpendicular2: [Double]
    }

    public var atomCount: Int { masses.count }

    public init(positions: [Double], masses: [Double]) throws {
        try CartesianPositions.validate(positions, masses: masses, what: "reference positions")
        let c = CartesianPositions.centerOfMass(positions, masses: masses)
        self.masses = masses
        self.inputCenterOfMass = c
        let centred = positions.enumerated().map { $0.element - c[$0.offset % 3] }
        self.positions = centred
        linearAxes = Self.linearAxes(of: centred)
    }

    static func linearAxes(of r: [Double]) -> LinearAxes? {
        let atoms = r.count / 3
        guard atoms >= 2 else { return nil }
        let vectors = (0..<atoms).map { Array(r[(3 * $0)..<(3 * $0 + 3)]) }
        let norms = vectors.map { dot($0, $0).squareRoot() }
        let far = norms.indices.max { norms[$0] < norms[$1] }!
        guard norms[far] > 0 else { return nil }
        let u = vectors[far].map { $0 / norms[far] }
        for v in vectors where dot(Rotation3.cross(v, u), Rotation3.cross(v, u)).squareRoot() > 1e-9 * norms[far] { return nil }
        let k = (0..<3).min { abs(u[$0]) < abs(u[$1]) }!
        var e = [0.0, 0.0, 0.0]
        e[k] = 1
        let projected = (0..<3).map { e[$0] - u[k] * u[$0] }
        let n = dot(projected, projected).squareRoot()
        let e1 = projected.map { $0 / n }
        return LinearAxes(axis: u, perpendicular1: e1, perpendicular2: Rotation3.cross(u, e1))
    }

    /// Reference from per-atom `[x, y, z]` and element symbols (masses from `Element`).
    public init(positions: [[Double]], species: [String]) throws {
        guard positions.count == species.count else {
            throw MoleculeError.sizeMismatch(what: "reference positions", expected: species.count, got: positions.count)
        }
        try self.init(positions: try CartesianPositions.flat(positions), masses: try Element.masses(of: species))
    }

    /// Moves `frame` (flat atom-major, same atoms in the same order, same length unit) to the
    /// Eckart frame of this reference: its centre of mass to the origin, then the proper rotation
    /// minimising the mass-weighted RMSD to `positions` (`Kabsch`).
    ///
    /// That rotation satisfies the Eckart rotational conditions Σ mᵢ rᵢ^ref × aᵢ = 0 (its
    /// stationarity condition; Kudin & Dymarsky, J. Chem. Phys. 122, 224105 (2005)), so the aligned
    /// displacement aᵢ − rᵢ^ref is orthogonal, in mass-weighted coordinates, to translations and
    /// infinitesimal rotations of the reference.
    ///
    /// Linear reference: the RMSD does not change under rotations about the reference's axis, so
    /// that part of R is free; for a reference exactly on a line `Kabsch` takes the smallest
    /// rotation that carries the frame's weighted direction onto the axis. Coordinates of a bent
    /// frame are then defined up to a rotation within each degenerate bend pair (the energy is
    /// invariant under it).
    ///
    /// For a linear reference (`linearAxes`) that free rotation is fixed explicitly, so that the
    /// coordinates of a frame do not depend on its orientation: with pᵢ the components of the
    /// aligned aᵢ along (e₁, e₂), the dominant eigenvector v of T = Σ mᵢ pᵢ pᵢᵀ (angle
    /// α = ½ atan2(2T₁₂, T₁₁ − T₂₂), turned by π when Σ mᵢ (pᵢ·v)³ < 0) is rotated about the axis to
    /// the angle `axialAngle` from e₁. A rotation about the reference's axis keeps the Eckart
    /// conditions. A frame with T = 0 (itself linear) is left as Kabsch put it.
    /// `axialAngle` (radians) is ignored for a non-linear reference.
    public func align(_ frame: [Double], axialAngle: Double = 0) throws -> EckartAlignment {
        try CartesianPositions.validate(frame, masses: masses, what: "frame positions")
        let c = CartesianPositions.centerOfMass(frame, masses: masses)
        let centred = frame.enumerated().map { $0.element - c[$0.offset % 3] }
        var r = try Kabsch.rotation(aligning: centred, onto: positions, masses: masses)
        var aligned = Rotation3.apply(r, toEachAtomOf: centred)
        if let axes = linearAxes, let turn = Self.axialTurn(aligned, masses: masses, axes: axes, to: axialAngle) {
            r = turn * r
            aligned = Rotation3.apply(r, toEachAtomOf: centred)
        }
        var weighted = 0.0
        for (i, m) in masses.enumerated() {
            for a in 0..<3 {
                let d = aligned[3 * i + a] - positions[3 * i + a]
                weighted += m * d * d
            }
        }
        let rmsd = (weighted / masses.reduce(0, +)).squareRoot()
        return EckartAlignment(positions: aligned, rotation: r, centerOfMass: c, weightedRMSD: rmsd)
    }

    /// The rotation about `axes.axis` taking the bend direction of `aligned` (see `align`) to
    /// the angle `target` from e₁; nil when the frame has no perpendicular extent
    /// (tr T ≤ 1e-28 Σ mᵢ|aᵢ|², i.e. bends below 1e-14 of its size).
    static func axialTurn(_ aligned: [Double], masses: [Double], axes: LinearAxes, to target: Double) -> Matrix? {
        var t11 = 0.0, t12 = 0.0, t22 = 0.0, size = 0.0
        var p: [(Double, Double)] = []
        for (i, m) in masses.enumerated() {
            let a = Array(aligned[(3 * i)..<(3 * i + 3)])
            let (x, y) = (dot(a, axes.perpendicular1), dot(a, axes.perpendicular2))
            p.append((x, y))
            t11 += m * x * x; t12 += m * x * y; t22 += m * y * y
            size += m * dot(a, a)
        }
        guard t11 + t22 > 1e-28 * size else { return nil }
        var alpha = 0.5 * atan2(2 * t12, t11 - t22)
        let v = (cos(alpha), sin(alpha))
        let skew = zip(masses, p).reduce(0.0) { acc, e in
            let s = e.1.0 * v.0 + e.1.1 * v.1
            return acc + e.0 * s * s * s
        }
        if skew < 0 { alpha += .pi }
        return Rotation3.rotation(about: axes.axis, angle: target - alpha)
    }
}

/// One frame moved to the Eckart frame of a reference.
///
/// Convention: with t the frame's centre of mass and R the rotation,
///
///     aligned = R (x − t)        x = Rᵀ aligned + t
///
/// for every atom; vectors attached to atoms (forces, gradients, displacements) transform with
/// R alone: f_aligned = R f, f = Rᵀ f_aligned. `toEckartFrame` and `toFrame` are these two maps.
public struct EckartAlignment: Sendable {
    /// The aligned positions, flat atom-major.
    public let positions: [Double]
    /// R (3 × 3, det +1).
    public let rotation: Matrix
    /// t: the frame's mass-weighted centre of mass, as given.
    public let centerOfMass: [Double]
    /// sqrt(Σ mᵢ |aᵢ − rᵢ^ref|² / Σ mᵢ), length unit of the input.
    public let weightedRMSD: Double

    /// x ↦ R (x − t).
    public var toEckartFrame: RigidTransform {
        let rt = rotation * centerOfMass
        return RigidTransform(rotation: rotation, translation: rt.map { -$0 })
    }

    /// x ↦ Rᵀ x + t: puts a geometry built in the Eckart frame (an image, a displaced structure)
    /// back at the frame's own orientation and position.
    public var toFrame: RigidTransform {
        RigidTransform(rotation: rotation.transposed, translation: centerOfMass)
    }
}
