/// Harmonic normal modes of a molecule about a reference structure, and the maps between its
/// geometries and dimensionless normal coordinates.
///
/// Units. Positions are in a `LengthUnit` L, energies in an `EnergyUnit` E, masses in u.
/// A Cartesian Hessian is in E/L²; the Hessian in the vibrational basis (the second derivatives
/// with respect to the mass-weighted coordinates s of `VibrationalBasis`) in E/(u·L²). Its
/// eigenvalues λₖ convert to angular frequencies through SI (CODATA 2018, `PhysicalConstants`):
///
///     ωₖ = sqrt(|λₖ| · E_J / (m_u · L_m²))  (rad/s),   ν̃ₖ = ωₖ / (2π c) / 100  (cm⁻¹)
///
/// with E_J = `energyUnit.joules`, L_m = `lengthUnit.meters`, m_u the atomic mass constant.
/// Wavenumbers carry the sign of λₖ: an imaginary frequency (a saddle direction) is reported as
/// a negative wavenumber. Modes are sorted by ascending λ (so ascending signed wavenumber).
///
/// Coordinates. With B the vibrational basis and L the orthogonal eigenvector matrix of the
/// projected Hessian H_s = Bᵀ M^{−1/2} H M^{−1/2} B = L Λ Lᵀ:
///
///     s = Bᵀ M^{1/2} (a − r)        mass-weighted vibrational coordinates (√u·L), a Eckart-aligned
///     Q = Lᵀ s                       mass-weighted normal coordinates (√u·L)
///     qₖ = γₖ Qₖ,  γₖ = sqrt(|ωₖ| m_u / ħ) · L_m    dimensionless normal coordinates
///
/// so that the harmonic energy is V = ½ Σₖ ħωₖ qₖ² (−ħ|ωₖ| for imaginary modes); in cm⁻¹ the
/// Hessian in q is diag(ν̃ₖ). Each inverse is exact (L orthogonal, γₖ > 0).
///
/// Signs. Each mode's mass-weighted Cartesian vector (a column of B L) has its entry of largest
/// magnitude positive (ties within a relative 1e-9 go to the lowest index), so the modes are
/// deterministic. Within a degenerate set of modes (the E pair of NH₃, the Π bend of CO₂) the
/// eigenvectors are one orthonormal basis of that eigenspace, fixed for a given input but not
/// otherwise canonical.
public struct NormalModes: Sendable {
    public let basis: VibrationalBasis
    public let energyUnit: EnergyUnit
    public let lengthUnit: LengthUnit
    /// H_s, n × n, E/(u·L²): the Hessian that was diagonalised.
    public let vibrationalHessian: Matrix
    /// λₖ, ascending, E/(u·L²).
    public let eigenvalues: [Double]
    /// ν̃ₖ, cm⁻¹, negative for imaginary modes.
    public let wavenumbers: [Double]
    /// L: n × n orthogonal; column k is mode k in the vibrational basis.
    public let modesInBasis: Matrix
    /// B L: 3N × n orthonormal columns; column k is mode k as a unit mass-weighted displacement.
    public let massWeightedModes: Matrix
    /// M^{−1/2} B L: 3N × n; column k is the Cartesian displacement (L) per unit Qₖ (√u·L).
    public let cartesianModes: Matrix
    /// γₖ = ∂qₖ/∂Qₖ, 1/(√u·L); 0 for a vanishing mode (|λₖ| ≤ 1e-10 max |λ|, i.e. a wavenumber
    /// below 1e-5 of the largest), whose dimensionless coordinate is undefined: the maps to and
    /// from q then throw `MoleculeError.vanishingFrequency`.
    public let dimensionlessScales: [Double]
    /// The Hessian in dimensionless normal coordinates, diagonal: ±ħ|ωₖ| in the energy unit
    /// (the sign of λₖ). Equal to `wavenumbers` when the energy unit is cm⁻¹.
    public let dimensionlessForceConstants: [Double]

    public var count: Int { eigenvalues.count }

    /// Normal modes from a Cartesian Hessian (3N × 3N, atom-major, E/L²) at the reference of
    /// `basis`. The Hessian is symmetrised, mass-weighted and projected onto the basis; the
    /// projection removes the translational and rotational directions (exact zero modes of an
    /// invariant Hessian at a stationary point).
    public init(cartesianHessian hessian: Matrix, basis: VibrationalBasis,
                energyUnit: EnergyUnit, lengthUnit: LengthUnit) throws {
        let n3 = 3 * basis.atomCount
        guard hessian.rows == n3, hessian.columns == n3 else {
            throw MoleculeError.sizeMismatch(what: "Cartesian Hessian", expected: n3 * n3, got: hessian.rows * hessian.columns)
        }
        guard hessian.storage.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: "Cartesian Hessian") }
        let invSqrtMass = (0..<n3).map { 1 / basis.reference.masses[$0 / 3].squareRoot() }
        var weighted = Matrix(rows: n3, columns: n3)
        for i in 0..<n3 {
            for j in 0..<n3 {
                weighted[i, j] = 0.5 * (hessian[i, j] + hessian[j, i]) * invSqrtMass[i] * invSqrtMass[j]
            }
        }
        let b = basis.vectors
        try self.init(vibrationalHessian: b.transposed * weighted * b, basis: basis,
                      energyUnit: energyUnit, lengthUnit: lengthUnit)
    }

    /// Normal modes from the Hessian with respect to the vibrational coordinates s of `basis`
    /// (n × n, E/(u·L²)), e.g. the second-order part of a Taylor fit in s. Symmetrised first.
    public init(vibrationalHessian hessian: Matrix, basis: VibrationalBasis,
                energyUnit: EnergyUnit, lengthUnit: LengthUnit) throws {
        let n = basis.count
        guard hessian.rows == n, hessian.columns == n else {
            throw MoleculeError.sizeMismatch(what: "vibrational Hessian", expected: n * n, got: hessian.rows * hessian.columns)
        }
        guard hessian.storage.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: "vibrational Hessian") }
        self.basis = basis
        self.energyUnit = energyUnit
        self.lengthUnit = lengthUnit
        var sym = hessian
        for i in 0..<n { for j in 0..<n { sym[i, j] = 0.5 * (hessian[i, j] + hessian[j, i]) } }
        vibrationalHessian = sym
        let n3 = 3 * basis.atomCount
        guard n > 0 else {
            eigenvalues = []; wavenumbers = []; dimensionlessScales = []; dimensionlessForceConstants = []
            modesInBasis = Matrix(rows: 0, columns: 0)
            massWeightedModes = Matrix(rows: n3, columns: 0)
            cartesianModes = Matrix(rows: n3, columns: 0)
            return
        }
        let eigen = try SymmetricEigenDecomposition(sym)
        var l = eigen.eigenvectors
        var bl = basis.vectors * l
        for k in 0..<n where Self.needsFlip(bl.column(k)) {
            for i in 0..<n { l[i, k] = -l[i, k] }
            for i in 0..<n3 { bl[i, k] = -bl[i, k] }
        }
        modesInBasis = l
        massWeightedModes = bl
        var cart = bl
        for i in 0..<n3 {
            let w = 1 / basis.reference.masses[i / 3].squareRoot()
            for k in 0..<n { cart[i, k] *= w }
        }
        cartesianModes = cart
        eigenvalues = eigen.eigenvalues

        let c = PhysicalConstants.self
        let lengthM = lengthUnit.meters
        let omegaSquaredPerLambda = energyUnit.joules / (c.atomicMassConstant * lengthM * lengthM)
        var nus: [Double] = [], scales: [Double] = [], quanta: [Double] = []
        let largest = eigen.eigenvalues.map(abs).max() ?? 0
        for lambda in eigen.eigenvalues {
            let omega = (abs(lambda) * omegaSquaredPerLambda).squareRoot()
            let sign: Double = lambda < 0 ? -1 : 1
            nus.append(sign * omega / (2 * Double.pi * c.speedOfLight) / 100)
            // A rounding-level eigenvalue (an uncoupled direction) has no meaningful γ.
            let vanishing = abs(lambda) <= Self.vanishingEigenvalueRatio * largest
            scales.append(vanishing ? 0 : (omega * c.atomicMassConstant / c.reducedPlanck).squareRoot() * lengthM)
            quanta.append(sign * c.reducedPlanck * omega / energyUnit.joules)
        }
        wavenumbers = nus
        dimensionlessScales = scales
        dimensionlessForceConstants = quanta
    }

    // MARK: Coordinate maps

    /// Q = Lᵀ s (√u·L).
    public func normalCoordinates(fromVibrational s: [Double]) throws -> [Double] {
        try checkCount(s, "vibrational coordinates")
        return modesInBasis.transposed * s
    }

    /// s = L Q.
    public func vibrationalCoordinates(fromNormal q: [Double]) throws -> [Double] {
        try checkCount(q, "normal coordinates")
        return modesInBasis * q
    }

    /// q = Γ Lᵀ s (dimensionless).
    public func dimensionlessCoordinates(fromVibrational s: [Double]) throws -> [Double] {
        try requireNonzeroFrequencies()
        let big = try normalCoordinates(fromVibrational: s)
        return (0..<count).map { big[$0] * dimensionlessScales[$0] }
    }

    /// q of a frame (flat atom-major positions in L, any orientation): Eckart alignment to the
    /// reference, then `dimensionlessCoordinates(fromVibrational:)`.
    public func dimensionlessCoordinates(of frame: [Double]) throws -> [Double] {
        try dimensionlessCoordinates(fromVibrational: try basis.vibrationalCoordinates(of: frame))
    }

    /// s = L Γ⁻¹ q.
    public func vibrationalCoordinates(fromDimensionless q: [Double]) throws -> [Double] {
        try requireNonzeroFrequencies()
        try checkCount(q, "dimensionless normal coordinates")
        return modesInBasis * (0..<count).map { q[$0] / dimensionlessScales[$0] }
    }

    /// Positions (L) in the Eckart frame of the reference for dimensionless coordinates q.
    public func cartesian(fromDimensionless q: [Double]) throws -> [Double] {
        try basis.cartesian(from: try vibrationalCoordinates(fromDimensionless: q))
    }

    /// The same positions placed at a frame's own orientation and position.
    public func cartesian(fromDimensionless q: [Double], placedAs alignment: EckartAlignment) throws -> [Double] {
        alignment.toFrame.apply(toPositions: try cartesian(fromDimensionless: q))
    }

    /// Γ Lᵀ (n × n): q = T s. Transforms a Taylor model in s to one in q.
    public func dimensionlessFromVibrational() throws -> Matrix {
        try requireNonzeroFrequencies()
        var t = modesInBasis.transposed
        for k in 0..<count { for j in 0..<count { t[k, j] *= dimensionlessScales[k] } }
        return t
    }

    /// L Γ⁻¹ (n × n): s = T⁻¹ q.
    public func vibrationalFromDimensionless() throws -> Matrix {
        try requireNonzeroFrequencies()
        var t = modesInBasis
        for i in 0..<count { for k in 0..<count { t[i, k] /= dimensionlessScales[k] } }
        return t
    }

    // MARK: Internals

    /// |λₖ| / max |λ| at or below which a mode counts as vanishing.
    static let vanishingEigenvalueRatio = 1e-10

    private func checkCount(_ v: [Double], _ what: String) throws {
        guard v.count == count else { throw MoleculeError.sizeMismatch(what: what, expected: count, got: v.count) }
        guard v.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: what) }
    }

    func requireNonzeroFrequencies() throws {
        if let k = dimensionlessScales.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw MoleculeError.vanishingFrequency(mode: k)
        }
    }

    /// True when the entry of largest magnitude (lowest index among ties within 1e-9) is negative.
    static func needsFlip(_ v: [Double]) -> Bool {
        let largest = v.map(abs).max() ?? 0
        guard largest > 0 else { return false }
        let first = v.firstIndex { abs($0) >= largest * (1 - 1e-9) }!
        return v[first] < 0
    }
}
