/// Why a molecular geometry computation was refused. Every case renders as one line.
public enum MoleculeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An atom symbol missing from `Element.all`.
    case unknownElement(String)
    /// Positions, masses or a Hessian whose size does not match the molecule's atom count.
    case sizeMismatch(what: String, expected: Int, got: Int)
    /// An atom given a mass that is not positive and finite.
    case invalidMass(atom: Int, mass: Double)
    /// A NaN or infinity in the named input.
    case nonFinite(what: String)
    /// A mode whose harmonic frequency vanishes (to rounding) has no dimensionless normal coordinate.
    case vanishingFrequency(mode: Int)
    /// The frames do not say consistently whether the molecule is linear: the lowest-energy frame
    /// is (or is not) nearly linear while the fitted equilibrium structure is not (or is), so
    /// neither 3N − 6 nor 3N − 5 vibrational coordinates describe them; or a single atom.
    case linearMolecule(formula: String)
    /// Too few frames for even a quadratic model in the vibrational coordinates
    /// (`needed` = 2 × its coefficients).
    case tooFewFrames(frames: Int, needed: Int, coordinates: Int)
    /// The fitted Hessian has a vanishing or negative curvature along some vibrational
    /// direction, so there are no harmonic normal coordinates about the stationary point.
    case notAMinimum(wavenumber: Double)
    /// A point-group operation whose action on the normal coordinates is not orthogonal
    /// (modes it mixes are not degenerate): the modes do not respect the structure's symmetry.
    case nonOrthogonalAction(operation: String, deviation: Double)

    public var description: String {
        switch self {
        case let .unknownElement(symbol):
            return "unknown element symbol '\(symbol)'"
        case let .sizeMismatch(what, expected, got):
            return "\(what): expected \(expected) values, got \(got)"
        case let .invalidMass(atom, mass):
            return "atom \(atom + 1): mass \(mass) is not a positive finite number"
        case let .nonFinite(what):
            return "\(what) contains a non-finite value"
        case let .linearMolecule(formula):
            return "\(formula): the lowest-energy frame and the fitted equilibrium structure disagree on whether the molecule is linear (3N − 5 or 3N − 6 vibrations): the frames are too far from one minimum"
        case let .tooFewFrames(frames, needed, coordinates):
            return "\(frames) frame\(frames == 1 ? "" : "s") cannot determine a quadratic model in \(coordinates) vibrational coordinates: at least \(needed) are needed"
        case let .notAMinimum(wavenumber):
            return "the fitted energy has no minimum at its stationary point (a harmonic wavenumber of \((wavenumber * 10).rounded() / 10) cm⁻¹): no normal coordinates"
        case let .nonOrthogonalAction(operation, deviation):
            return "\(operation) does not act orthogonally on the normal coordinates (deviation \(deviation)): the modes do not respect the point group"
        case let .vanishingFrequency(mode):
            return "mode \(mode + 1) has zero harmonic frequency: no dimensionless normal coordinate"
        }
    }
}
