/// The length unit of a molecular dataset's positions. Raw values are the spellings of
/// `--length-unit`. `meters` is the length of one unit: 1 Å = 1e-10 m (exact), 1 bohr = a₀
/// (CODATA 2018, `PhysicalConstants.bohrRadius`).
public enum LengthUnit: String, CaseIterable, Sendable, Codable {
    case angstrom = "angstrom"
    case bohr = "bohr"

    /// Metres in one unit.
    public var meters: Double {
        switch self {
        case .angstrom: return 1e-10
        case .bohr: return PhysicalConstants.bohrRadius
        }
    }

    /// `value` (in this unit) expressed in `other`.
    public func convert(_ value: Double, to other: LengthUnit) -> Double {
        self == other ? value : value * (meters / other.meters)
    }
}
