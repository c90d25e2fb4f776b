/// CODATA 2018 values (SI), the only physical constants molecular mode uses.
///
/// Since the 2019 SI redefinition c, h, e and N_A are exact; the hartree energy, the Bohr
/// radius and the atomic mass constant are measured (relative standard uncertainties 1.9e-12,
/// 1.5e-10 and 3.0e-10), which bounds the accuracy of every unit conversion built on them.
public enum PhysicalConstants {
    /// Speed of light in vacuum c, m/s (exact).
    public static let speedOfLight = 299_792_458.0
    /// Planck constant h, J·s (exact).
    public static let planck = 6.626_070_15e-34
    /// Reduced Planck constant ħ = h/(2π), J·s.
    public static let reducedPlanck = planck / (2 * Double.pi)
    /// Elementary charge e, C (exact); also the joules in one electronvolt.
    public static let elementaryCharge = 1.602_176_634e-19
    /// Avogadro constant N_A, 1/mol (exact).
    public static let avogadro = 6.022_140_76e23
    /// Hartree energy E_h, J.
    public static let hartreeEnergy = 4.359_744_722_2071e-18
    /// Bohr radius a₀, m.
    public static let bohrRadius = 0.529_177_210_903e-10
    /// Atomic mass constant m_u = 1 u = 1 Da, kg.
    public static let atomicMassConstant = 1.660_539_066_60e-27
    /// Thermochemical calorie, J (exact by definition).
    public static let thermochemicalCalorie = 4.184
}
