import SymdetectCore

/// `molecule` (SPEC §4): what the molecular pipeline found; present only for molecular input.
public struct MoleculeEntry: Codable, NullEncoded, Sendable, Equatable {
    /// `pointGroup`: the Schoenflies name, the group's order (null for C∞v and D∞h) and the
    /// order of its action on the normal coordinates (the data-efficiency factor).
    public struct PointGroupEntry: Codable, NullEncoded, Sendable, Equatable {
        public var name: String
        public var order: Int?
        /// Null when the action is continuous (a linear molecule's rotations about its axis).
        public var orderOnModes: Int?
        /// True when the group acts on the modes as a continuous group.
        public var continuousOnModes: Bool

        public init(name: String, order: Int?, orderOnModes: Int?) {
            self.name = name
            self.order = order
            self.orderOnModes = orderOnModes
            continuousOnModes = orderOnModes == nil
        }
    }

    /// One point-group operation: its name, its matrix on q1 … qn, and the tested operation
    /// acting the same way (null when it leaves every coordinate unchanged).
    public struct OperationOnModesEntry: Codable, NullEncoded, Sendable, Equatable {
        public var name: String
        public var matrix: [[Double]]
        public var testedAs: String?
    }

    /// One normal mode: its harmonic wavenumber (cm⁻¹) and its character (+1/−1) under each
    /// operation by name; an operation is absent from `characters` for a mode of a degenerate set.
    public struct ModeEntry: Codable, NullEncoded, Sendable, Equatable {
        public var frequency: Double?
        public var characters: [String: Int]
        public var degenerate: Bool
    }

    /// Hill formula, e.g. "H2O".
    public var formula: String
    /// Element symbols in input order.
    public var atoms: [String]
    public var masses: [Double]
    public var pointGroup: PointGroupEntry
    /// Equilibrium positions in Å, one [x, y, z] per atom (principal axes, centre of mass at the origin).
    public var equilibrium: [[Double]]
    /// Harmonic wavenumbers in cm⁻¹, ascending (those of q1 … qn).
    public var frequencies: [Double?]
    public var modes: [ModeEntry]
    public var operations: [OperationOnModesEntry]
    public var energyUnit: String
    public var lengthUnit: String
    /// Å.
    public var symmetryTolerance: Double
    /// Order of the Taylor models in the vibrational coordinates.
    public var fitOrder: Int
    public var frames: Int

    init(_ m: MolecularSummary) {
        formula = m.formula
        atoms = m.atoms
        masses = m.masses
        pointGroup = PointGroupEntry(name: m.pointGroupName, order: m.pointGroupOrder, orderOnModes: m.orderOnModes)
        equilibrium = m.equilibrium
        frequencies = m.frequencies.map(finiteOrNil)
        modes = m.modes.map { mode in
            var characters: [String: Int] = [:]
            for (op, c) in zip(m.operations, mode.characters) { if let c { characters[op.name] = c } }
            return ModeEntry(frequency: finiteOrNil(mode.frequency), characters: characters, degenerate: mode.isDegenerate)
        }
        operations = m.operations.map { OperationOnModesEntry(name: $0.name, matrix: $0.actionOnModes.nested, testedAs: $0.testedAs) }
        energyUnit = m.energyUnit.rawValue
        lengthUnit = m.lengthUnit.rawValue
        symmetryTolerance = m.symmetryTolerance
        fitOrder = m.fitOrder
        frames = m.frameCount
    }
}
