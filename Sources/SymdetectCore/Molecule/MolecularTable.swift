/// The units and tolerances of a molecular dataset (SPEC §2b): what `--energy-unit`,
/// `--length-unit` and `--symmetry-tolerance` say, and the Taylor order wanted.
public struct MolecularOptions: Sendable, Equatable {
    public var energyUnit: EnergyUnit
    public var lengthUnit: LengthUnit
    /// Largest displacement (Å) a point-group operation may leave on the equilibrium structure.
    public var symmetryTolerance: Double
    /// The order of the Taylor model of E(s); lowered when the frames cannot support it.
    public var order: Int
    /// Whether the frames' forces enter the fits.
    public var forces: ForceUse

    public init(energyUnit: EnergyUnit = .electronvolt, lengthUnit: LengthUnit = .angstrom,
                symmetryTolerance: Double = PointGroupDiscovery.defaultTolerance, order: Int = 4,
                forces: ForceUse = .used(.estimated)) {
        self.energyUnit = energyUnit
        self.lengthUnit = lengthUnit
        self.symmetryTolerance = symmetryTolerance
        self.order = order
        self.forces = forces
    }
}

/// Whether the forces of the frames (when they have them) enter the Taylor fits as gradient
/// equations (SPEC §2b.3). Forces are read in the energy unit per length unit of the frames
/// (eV/Å by default, as ASE writes them).
public enum ForceUse: Sendable, Equatable {
    /// Ignored: a fit to the energies alone.
    case ignored
    /// −∂E/∂q_k as 3N − 6 extra equations per frame, with this weight in the fit in normal
    /// coordinates (the fits in s that locate the equilibrium always estimate theirs: a scalar
    /// weight in q is no scalar weight in s).
    case used(GradientWeight)
}

/// Something the reader of a molecular analysis must know.
public enum MoleculeWarning: Sendable, Equatable {
    /// The frames support at most order `used` (at least 2 frames per coefficient): `requested`
    /// was lowered to it. `coefficients` is the coefficient count of order `requested`.
    case orderLowered(requested: Int, used: Int, frames: Int, coefficients: Int)
    /// As `orderLowered`, counting the 1 + (3N − 6) equations of each frame with forces
    /// (at least 2 equations per coefficient).
    case orderLoweredWithForces(requested: Int, used: Int, frames: Int, equationsPerFrame: Int, coefficients: Int)
    /// The fitted energy has no stationary point among the frames: the lowest-energy frame
    /// serves as the equilibrium structure.
    case stationaryPointNotFound
}

/// One operation of the point group and what it does to the normal modes.
public struct PointGroupOperationSummary: Sendable, Equatable {
    /// The readable name, e.g. "E", "perm(2,3)·C2", "σv".
    public let name: String
    /// G_q: the orthogonal matrix by which it acts on q1 … qn.
    public let actionOnModes: Matrix
    /// True when it leaves every normal coordinate unchanged (E; the reflection through the
    /// plane of a planar molecule).
    public let actsTrivially: Bool
    /// The name under which its action on q is tested: its own, or that of an earlier operation
    /// acting the same way; nil when it acts trivially.
    public let testedAs: String?
}

/// One normal mode: its harmonic wavenumber and its character under each operation.
public struct ModeSymmetry: Sendable, Equatable {
    /// cm⁻¹.
    public let frequency: Double
    /// Per operation of `MolecularSummary.operations` (same order): +1 or −1 for a
    /// non-degenerate mode (the diagonal entry of G_q), nil for a mode of a degenerate set.
    public let characters: [Int?]
    public let isDegenerate: Bool
}

/// What the molecular pipeline found about the molecule, for the report (SPEC §2b, §4).
public struct MolecularSummary: Sendable {
    /// Hill order: "H2O", "CH4", "NH3".
    public let formula: String
    /// Symbols in input order.
    public let atoms: [String]
    /// amu.
    public let masses: [Double]
    /// Schoenflies name, e.g. "C2v".
    public let pointGroupName: String
    /// The point group's order (nil for the infinite linear groups).
    public let pointGroupOrder: Int?
    /// Number of distinct matrices by which the group acts on q: the data-efficiency factor;
    /// nil when the action is continuous (a linear molecule's rotations about its axis turn each
    /// bending pair by any angle).
    public let orderOnModes: Int?
    /// The operations in the point group's order (identity first).
    public let operations: [PointGroupOperationSummary]
    /// Equilibrium geometry in Å (exactly symmetric under the operations, to rounding), centre of
    /// mass at the origin, in its principal axes of inertia (x the smallest moment, a right-handed
    /// frame; axes of equal moments are any orthonormal pair of their plane).
    public let equilibrium: [[Double]]
    /// Harmonic wavenumbers, cm⁻¹, ascending (mode k is q(k+1)).
    public let modes: [ModeSymmetry]
    public var frequencies: [Double] { modes.map(\.frequency) }
    public let energyUnit: EnergyUnit
    public let lengthUnit: LengthUnit
    /// The tolerance (Å) the point group was found with.
    public let symmetryTolerance: Double
    /// Order of the Taylor models in the vibrational coordinates (after any lowering).
    public let fitOrder: Int
    /// Frames read.
    public let frameCount: Int
    /// Whether the frames carry forces, and whether the fits of the energy (equilibrium, normal
    /// modes; and the analysis when the energy is its label) used them.
    public let framesHaveForces: Bool
    public let forcesUsed: Bool
    public let warnings: [MoleculeWarning]
}

/// A molecular dataset turned into a table in dimensionless normal coordinates (SPEC §2b.2–4):
///
/// 1. Reference = the lowest-energy frame; every frame Eckart-aligned to it and expressed in the
///    vibrational coordinates s = Bᵀ M^{1/2}(a − r) (`VibrationalBasis`).
/// 2. A Taylor model of E(s) (`FitPipeline`, centre auto) gives the stationary point s*.
/// 3. The equilibrium structure a* = r + M^{−1/2} B s* gives the point group
///    (`PointGroupDiscovery`); its group average (exactly symmetric) becomes the new reference,
///    every frame is re-aligned to it and s recomputed, and E(s) refitted (one refinement).
/// 4. The Hessian of that fit at its stationary point, averaged over the group acting on s
///    (H ← (1/|G|) Σ G_s H G_sᵀ: the energy is invariant, so this removes only fitting noise and
///    makes symmetry-degenerate modes exactly degenerate), gives the normal modes and the
///    harmonic wavenumbers (`NormalModes`).
/// 5. The table holds q = Γ Lᵀ s (q1 … qn by ascending wavenumber) and the energies in the
///    user's unit.
///
/// Each point-group operation (permutation p, 3×3 matrix R about the centre of mass) acts on
/// mass-weighted displacements as the block permutation matrix D (`displacementAction`, which
/// commutes with mass weighting because permuted atoms share their mass), on s as
/// G_s = Bᵀ D B (orthogonal because D maps the vibrational space of a symmetric reference onto
/// itself), and on q as G_q = Γ Lᵀ G_s L Γ⁻¹, orthogonal because modes mixed by G_s are
/// degenerate and so share γ. The distinct G_q form the group acting on the modes.
public struct MolecularTable: Sendable {
    /// q1 … qn and the energies (label name as read, user's energy unit), or the label given.
    public let table: SampleTable
    public let summary: MolecularSummary
    /// The operations to test: one per distinct non-trivial action on q, named after the first
    /// operation of the group acting that way.
    public let operations: [SymmetryOperation]
    public let modes: NormalModes
    public let pointGroup: PointGroup
    /// s* of the refined fit (in the vibrational coordinates of the equilibrium reference).
    public let stationaryPoint: [Double]
    /// The energy's stationary point in q (Γ Lᵀ s*): where the point-group operations act when
    /// the label is not the energy.
    public let equilibriumCoordinates: [Double]
    /// False when another label than the energy was given.
    public let labelIsEnergy: Bool

    /// Rounding below which an entry of G_q is set to 0 or ±1, so that operations acting the
    /// same way compare equal and the characters of non-degenerate modes are exactly ±1.
    static let cleanTolerance = 1e-9
    /// Largest ‖G_q G_qᵀ − I‖_max accepted.
    static let orthogonalityTolerance = 1e-6
    /// Relative wavenumber difference within which modes are degenerate.
    static let degeneracyTolerance = 1e-6

    /// - Parameters:
    ///   - frames: the geometries and their energies, which define the equilibrium, the modes and
    ///     the point group.
    ///   - label: another per-frame property to analyse in place of the energy (a dipole
    ///     component, an atom-resolved quantity), with its name; nil analyses the energy.
    public init(frames: MolecularFrames, options: MolecularOptions = .init(),
                label: (name: String, values: [Double])? = nil) throws {
        let n = frames.atomCount
        if let label, label.values.count != frames.frameCount {
            throw MoleculeError.sizeMismatch(what: "label \(label.name)", expected: frames.frameCount, got: label.values.count)
        }
        if let label, !label.values.allSatisfy(\.isFinite) { throw MoleculeError.nonFinite(what: "label \(label.name)") }
        let masses = try frames.masses ?? Element.masses(of: frames.species)
        let formula = Self.hillFormula(frames.species)
        guard frames.frameCount > 0 else {
            throw MoleculeError.tooFewFrames(frames: 0, needed: 1, coordinates: max(3 * n - 6, 0))
        }
        func frame(_ f: Int) -> [Double] { Array(frames.positions[(3 * n * f)..<(3 * n * (f + 1))]) }

        // 1. The lowest-energy frame as the first reference; a nearly linear one is put exactly
        //    on its axis, so that the coordinates are the 3N − 5 of a linear molecule.
        let lowest = frames.energies.indices.min { frames.energies[$0] < frames.energies[$1] }!
        guard n >= 2 else { throw MoleculeError.linearMolecule(formula: formula) }
        let lowestFrame = frame(lowest)
        let nearlyLinear = try Self.isNearlyLinear(lowestFrame, masses: masses)
        let firstReference = nearlyLinear ? try Self.projectedOnAxis(lowestFrame, masses: masses) : lowestFrame
        let firstBasis = try VibrationalBasis(reference: try EckartReference(positions: firstReference, masses: masses))
        guard firstBasis.isLinear == nearlyLinear else { throw MoleculeError.linearMolecule(formula: formula) }
        let count = firstBasis.count

        // Energies and forces: 1 + (3N − 6) equations per frame in every fit of the energy; the
        // analysis in q has them only when the energy is its label.
        let forces: [Double]? = options.forces != .ignored ? frames.forces : nil
        let equationsPerFrame = forces == nil || label != nil ? 1 : 1 + count
        var order = options.order
        while order > 2, frames.frameCount * equationsPerFrame < 2 * MultiIndex.count(dimension: count, order: order) { order -= 1 }
        let needed = (2 * MultiIndex.count(dimension: count, order: 2) + equationsPerFrame - 1) / equationsPerFrame
        guard frames.frameCount >= needed else {
            throw MoleculeError.tooFewFrames(frames: frames.frameCount, needed: needed, coordinates: count)
        }
        var warnings: [MoleculeWarning] = []
        if order < options.order {
            let coefficients = MultiIndex.count(dimension: count, order: options.order)
            warnings.append(equationsPerFrame == 1
                ? .orderLowered(requested: options.order, used: order, frames: frames.frameCount, coefficients: coefficients)
                : .orderLoweredWithForces(requested: options.order, used: order, frames: frames.frameCount,
                                          equationsPerFrame: equationsPerFrame, coefficients: coefficients))
        }
        let sNames = (1...count).map { "s\($0)" }
        func coordinates(_ basis: VibrationalBasis) throws -> SampleTable {
            var columns = [[Double]](repeating: [Double](repeating: 0, count: frames.frameCount), count: count)
            var gradients = forces.map { _ in columns }
            for f in 0..<frames.frameCount {
                let alignment = try basis.reference.align(frame(f), axialAngle: Self.bendPhase(frame: f))
                let s = try basis.vibrationalCoordinates(ofAligned: alignment.positions)
                for k in 0..<count { columns[k][f] = s[k] }
                if let forces {
                    // ∂E/∂s = Bᵀ M^{−1/2} R (−F).
                    let minusF = forces[(3 * n * f)..<(3 * n * (f + 1))].map { -$0 }
                    let g = try basis.vibrationalGradient(fromCartesianGradient: minusF, alignment: alignment)
                    for k in 0..<count { gradients![k][f] = g[k] }
                }
            }
            var table = SampleTable(featureNames: sNames, labelName: frames.labelKey, features: columns, labels: frames.energies)
            table.gradients = gradients.map { LabelGradients(values: $0, weight: .estimated) }
            return table
        }

        // 2. The stationary point in the coordinates of the first reference.
        let firstFit = try Self.stationaryFit(try coordinates(firstBasis), order: order, warnings: &warnings)
        let firstEquilibrium = try firstBasis.cartesian(from: firstFit.center)

        // 3. The point group of that structure; its symmetric average is the new reference.
        let toAngstrom = options.lengthUnit.convert(1, to: .angstrom)
        let perAtom = (0..<n).map { i in (0..<3).map { firstEquilibrium[3 * i + $0] * toAngstrom } }
        let group = try PointGroupDiscovery.pointGroup(species: frames.species, masses: masses, positions: perAtom,
                                                       tolerance: options.symmetryTolerance)
        guard group.isLinear == nearlyLinear else { throw MoleculeError.linearMolecule(formula: formula) }
        let symmetric = group.symmetrizedPositions.flatMap { $0.map { $0 / toAngstrom } }
        let basis = try VibrationalBasis(reference: try EckartReference(positions: symmetric, masses: masses))
        guard basis.isLinear == nearlyLinear, basis.count == count else { throw MoleculeError.linearMolecule(formula: formula) }
        let sTable = try coordinates(basis)
        let fit = try Self.stationaryFit(sTable, order: order, warnings: &warnings)

        // 4. The group on s, the symmetrised Hessian, the modes. A linear molecule's Hessian is
        //    also averaged over the quarter turns about its axis (C4 ⊂ C∞): a quadratic form in
        //    the bends has angular components 0 and ±2 under the axial rotation, and the quarter
        //    turns remove the ±2, which makes each bending pair exactly degenerate.
        let b = basis.vectors
        let actionsOnS = group.operations.map { b.transposed * $0.displacementAction() * b }
        let axis = group.principalAxis ?? [0, 0, 1]
        let quarterTurns = nearlyLinear
            ? (1..<4).map { b.transposed * Self.axialRotationAction(axis: axis, angle: Double($0) * .pi / 2, atoms: n) * b }
            : []
        let averaging = actionsOnS + quarterTurns.flatMap { t in actionsOnS.map { t * $0 } }
        let fitted = ForceConstants(fit).hessian
        var hessian = Matrix(rows: count, columns: count)
        for g in averaging {
            let term = g * fitted * g.transposed
            for i in 0..<count { for j in 0..<count { hessian[i, j] += term[i, j] / Double(averaging.count) } }
        }
        let modes = try NormalModes(vibrationalHessian: hessian, basis: basis,
                                    energyUnit: options.energyUnit, lengthUnit: options.lengthUnit)
        if let soft = modes.wavenumbers.first(where: { !($0 > 0) }) { throw MoleculeError.notAMinimum(wavenumber: soft) }
        try modes.requireNonzeroFrequencies()

        // 5. The table in q.
        let toQ = try modes.dimensionlessFromVibrational()
        let fromQ = try modes.vibrationalFromDimensionless()
        let qNames = (1...count).map { "q\($0)" }
        var qColumns = [[Double]](repeating: [Double](repeating: 0, count: frames.frameCount), count: count)
        for f in 0..<frames.frameCount {
            let q = toQ * sTable.point(f)
            for k in 0..<count { qColumns[k][f] = q[k] }
        }
        var qTable = SampleTable(featureNames: qNames, labelName: label?.name ?? frames.labelKey, features: qColumns,
                                 labels: label?.values ?? frames.energies)
        if label == nil, let sGradients = sTable.gradients, case let .used(weight) = options.forces {
            // ∂E/∂q = Γ⁻¹ Lᵀ ∂E/∂s.
            var qGradients = sGradients.values
            for f in 0..<frames.frameCount {
                let g = try modes.dimensionlessGradient(fromVibrational: (0..<count).map { sGradients.values[$0][f] })
                for k in 0..<count { qGradients[k][f] = g[k] }
            }
            qTable.gradients = LabelGradients(values: qGradients, weight: weight)
        }
        table = qTable

        // The group on q.
        let degenerate = (0..<count).map { k in
            (0..<count).contains { j in
                j != k && abs(modes.wavenumbers[j] - modes.wavenumbers[k]) <= Self.degeneracyTolerance * abs(modes.wavenumbers[k])
            }
        }
        var summaries: [PointGroupOperationSummary] = []
        var tested: [SymmetryOperation] = []
        var distinct: [Matrix] = []
        let identity = Matrix.identity(count)
        for (index, op) in group.operations.enumerated() {
            let gq = Self.cleaned(toQ * actionsOnS[index] * fromQ)
            let deviation = (gq * gq.transposed).maxAbsDifference(identity)
            guard deviation <= Self.orthogonalityTolerance else {
                throw MoleculeError.nonOrthogonalAction(operation: op.name, deviation: deviation)
            }
            if !distinct.contains(where: { $0.maxAbsDifference(gq) < Self.cleanTolerance }) { distinct.append(gq) }
            let trivial = gq.maxAbsDifference(identity) < Self.cleanTolerance
            var testedAs: String?
            if !trivial {
                if let same = tested.first(where: { $0.matrix.maxAbsDifference(gq) < Self.cleanTolerance }) {
                    testedAs = same.name
                } else {
                    tested.append(.pointGroup(name: op.name, matrix: gq))
                    testedAs = op.name
                }
            }
            summaries.append(PointGroupOperationSummary(name: op.name, actionOnModes: gq, actsTrivially: trivial, testedAs: testedAs))
        }
        // C∞: its generator on q, K_q = Γ Lᵀ Bᵀ K_D B L Γ⁻¹ with K_D the block-diagonal [u]× (u the
        // axis) acting on every atom's mass-weighted displacement.
        var continuousOnModes = false
        if nearlyLinear {
            var kCartesian = Matrix(rows: 3 * n, columns: 3 * n)
            let ux: [[Double]] = [[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]]
            for i in 0..<n { for r in 0..<3 { for c in 0..<3 { kCartesian[3 * i + r, 3 * i + c] = ux[r][c] } } }
            let generator = Self.cleaned(toQ * (b.transposed * kCartesian * b) * fromQ)
            let rotation = SymmetryOperation.axialRotation(name: Self.axialRotationName, generator: generator)
            // A diatomic has no bends: the rotations then fix its one coordinate.
            let trivial = generator.storage.allSatisfy { $0 == 0 }
            if !trivial { tested.append(rotation) }
            continuousOnModes = !trivial
            summaries.append(PointGroupOperationSummary(name: rotation.name, actionOnModes: Self.cleaned(rotation.matrix),
                                                        actsTrivially: trivial, testedAs: trivial ? nil : rotation.name))
        }
        let modeSymmetries = (0..<count).map { k in
            ModeSymmetry(frequency: modes.wavenumbers[k],
                         characters: summaries.map { degenerate[k] ? nil : Int($0.actionOnModes[k, k].rounded()) },
                         isDegenerate: degenerate[k])
        }
        let axes = basis.inertia.principalAxes
        let equilibrium = (0..<n).map { i in
            (0..<3).map { a in (0..<3).reduce(0.0) { $0 + axes[$1, a] * basis.reference.positions[3 * i + $1] } * toAngstrom }
        }

        operations = tested
        self.modes = modes
        pointGroup = group
        stationaryPoint = fit.center
        equilibriumCoordinates = toQ * fit.center
        labelIsEnergy = label == nil
        summary = MolecularSummary(
            formula: formula, atoms: frames.species, masses: masses, pointGroupName: group.name,
            pointGroupOrder: group.order, orderOnModes: continuousOnModes ? nil : distinct.count, operations: summaries,
            equilibrium: equilibrium, modes: modeSymmetries, energyUnit: options.energyUnit,
            lengthUnit: options.lengthUnit, symmetryTolerance: options.symmetryTolerance, fitOrder: order,
            frameCount: frames.frameCount, framesHaveForces: frames.forces != nil, forcesUsed: forces != nil,
            warnings: warnings)
    }

    /// The Taylor model of E(s) expanded about its stationary point: the fit about the
    /// lowest-energy frame, then Newton steps on it (`FitPipeline.searchStationaryPoint`, along
    /// the directions the data determine). Unlike `FitPipeline.run` there is no misfit test and
    /// no locality-weighted refinement of the centre: each needs a fit one order higher (462
    /// coefficients for a quartic in six coordinates), and the centre only fixes the reference
    /// structure, about which E is refitted; the analysis of the table in q refines its own
    /// centre. A search that fails or leaves the frames falls back to the lowest-energy frame,
    /// with a warning.
    static func stationaryFit(_ table: SampleTable, order: Int, warnings: inout [MoleculeWarning]) throws -> TaylorFit {
        let lowest = table.labels.indices.min { table.labels[$0] < table.labels[$1] }!
        let initial = try TaylorFitter.fit(table, labels: table.labels, center: table.point(lowest), order: order, radius: nil)
        let (fit, _, converged) = try FitPipeline.searchStationaryPoint(table, labels: table.labels, initial: initial, radius: nil)
        guard converged, table.contains(fit.center) else {
            if !warnings.contains(.stationaryPointNotFound) { warnings.append(.stationaryPointNotFound) }
            return initial
        }
        return fit
    }

    /// The name of the rotations about a linear molecule's axis.
    public static let axialRotationName = "C∞"

    /// The smallest principal moment of inertia of the lowest-energy frame, relative to the
    /// largest, at or below which the molecule is taken to be linear: 10⁻² is a bend of about
    /// 20° for CO₂ (the ratio grows as the square of the bend), while non-linear molecules, even
    /// prolate tops such as propyne, stay above 4·10⁻².
    static let nearLinearMomentRatio = 1e-2

    static func isNearlyLinear(_ positions: [Double], masses: [Double]) throws -> Bool {
        guard masses.count >= 2 else { return false }
        if masses.count == 2 { return true }
        let moments = try InertiaTensor(positions: positions, masses: masses).principalMoments
        return moments[2] > 0 && moments[0] <= nearLinearMomentRatio * moments[2]
    }

    /// Every atom moved onto the axis of smallest moment through the centre of mass (the
    /// component along it kept).
    static func projectedOnAxis(_ positions: [Double], masses: [Double]) throws -> [Double] {
        let inertia = try InertiaTensor(positions: positions, masses: masses)
        let u = inertia.principalAxes.column(0)
        let c = CartesianPositions.centerOfMass(positions, masses: masses)
        var out = positions
        for i in 0..<masses.count {
            let along = (0..<3).reduce(0.0) { $0 + (positions[3 * i + $1] - c[$1]) * u[$1] }
            for a in 0..<3 { out[3 * i + a] = c[a] + along * u[a] }
        }
        return out
    }

    /// The phase (radians) to which frame `f`'s bends are turned about a linear reference's axis
    /// (`EckartReference.align`): uniform in [0, 2π) from a seeded generator per frame, so that
    /// the bends of a linear molecule are spread evenly over their degenerate pairs whatever the
    /// orientation of the frames as given (the energy is invariant under the axial rotation).
    static func bendPhase(frame f: Int) -> Double {
        var rng = SeededGenerator(seed: 0xB3D_0000 &+ UInt64(f) &* 0x9E37_79B9_7F4A_7C15)
        return rng.uniform(0, 2 * .pi)
    }

    /// The 3N × 3N block-diagonal rotation by `angle` about the unit `axis` (identity permutation).
    static func axialRotationAction(axis: [Double], angle: Double, atoms n: Int) -> Matrix {
        let r = Rotation3.rotation(about: axis, angle: angle)
        var d = Matrix(rows: 3 * n, columns: 3 * n)
        for i in 0..<n { for a in 0..<3 { for c in 0..<3 { d[3 * i + a, 3 * i + c] = r[a, c] } } }
        return d
    }

    /// Entries within `cleanTolerance` of 0 or ±1 set to those values.
    static func cleaned(_ m: Matrix) -> Matrix {
        var out = m
        for i in 0..<m.rows {
            for j in 0..<m.columns {
                for v in [0.0, 1.0, -1.0] where abs(m[i, j] - v) < cleanTolerance { out[i, j] = v }
            }
        }
        return out
    }

    /// The Hill formula: C first, then H, then the other elements alphabetically; without carbon
    /// all alphabetically (H2O, CH4, H3N, ClH). Counts of 1 are not written.
    public static func hillFormula(_ species: [String]) -> String {
        var counts: [String: Int] = [:]
        for s in species { counts[s, default: 0] += 1 }
        var keys = counts.keys.sorted()
        if counts["C"] != nil {
            keys.removeAll { $0 == "C" || $0 == "H" }
            keys = ["C"] + (counts["H"] != nil ? ["H"] : []) + keys
        }
        return keys.map { $0 + (counts[$0]! > 1 ? String(counts[$0]!) : "") }.joined()
    }
}
