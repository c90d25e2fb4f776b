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
        case let .vanishingFrequency(mode):
            return "mode \(mode + 1) has zero harmonic frequency: no dimensionless normal coordinate"
        }
    }
}
