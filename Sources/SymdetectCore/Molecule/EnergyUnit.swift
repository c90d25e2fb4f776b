/// The energy unit of a molecular dataset's labels (and of its forces and Hessians, combined
/// with a `LengthUnit`). Raw values are the spellings of `--energy-unit`.
///
/// Conversions go through SI: `joules` is the energy of one unit (per molecule; the molar
/// units are divided by N_A), with CODATA 2018 constants (`PhysicalConstants`):
/// eV = e·1 V, hartree = E_h, kcal/mol = 4184 J / N_A (thermochemical calorie),
/// kJ/mol = 1000 J / N_A, cm⁻¹ = h·c·100 m⁻¹ (the energy of a photon of wavenumber 1 cm⁻¹).
public enum EnergyUnit: String, CaseIterable, Sendable, Codable {
    case electronvolt = "eV"
    case hartree = "hartree"
    case kilocaloriePerMole = "kcal/mol"
    case kilojoulePerMole = "kJ/mol"
    case wavenumber = "cm^-1"

    /// Joules in one unit.
    public var joules: Double {
        switch self {
        case .electronvolt: return PhysicalConstants.elementaryCharge
        case .hartree: return PhysicalConstants.hartreeEnergy
        case .kilocaloriePerMole: return 1000 * PhysicalConstants.thermochemicalCalorie / PhysicalConstants.avogadro
        case .kilojoulePerMole: return 1000 / PhysicalConstants.avogadro
        case .wavenumber: return PhysicalConstants.planck * PhysicalConstants.speedOfLight * 100
        }
    }

    /// `value` (in this unit) expressed in `other`.
    public func convert(_ value: Double, to other: EnergyUnit) -> Double {
        self == other ? value : value * (joules / other.joules)
    }
}
