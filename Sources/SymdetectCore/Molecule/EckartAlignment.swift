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

    public var atomCount: Int { masses.count }

    public init(positions: [Double], masses: [Double]) throws {
        try CartesianPositions.validate(positions, masses: masses, what: "reference positions")
        let c = CartesianPositions.centerOfMass(positions, masses: masses)
        self.masses = masses
        self.inputCenterOfMass = c
        self.positions = positions.enumerated().map { $0.element - c[$0.offset % 3] }
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
    public func align(_ frame: [Double]) throws -> EckartAlignment {
        try CartesianPositions.validate(frame, masses: masses, what: "frame positions")
        let c = CartesianPositions.centerOfMass(frame, masses: masses)
        let centred = frame.enumerated().map { $0.element - c[$0.offset % 3] }
        let r = try Kabsch.rotation(aligning: centred, onto: positions, masses: masses)
        let aligned = Rotation3.apply(r, toEachAtomOf: centred)
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
