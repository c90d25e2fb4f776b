/// The frames of one molecule: the same atoms, in the same order, in every frame, each frame with
/// its Cartesian geometry, its label (an energy) and optionally the forces on the atoms.
///
/// Units are those of the file (extended XYZ does not record them); the molecular pipeline converts
/// with the user's `--length-unit`/`--energy-unit`. Every number is finite (the readers refuse
/// anything else).
public struct MolecularFrames: Sendable, Equatable {
    /// One `key=value` pair of a frame's comment line that the reader did not consume, kept to be
    /// written back with the frame.
    ///
    /// `value` is the value's text with the quoting undone (no surrounding `"…"`, backslash escapes
    /// resolved); a bare key (a flag) has the value `T`. A writer must quote values that contain
    /// blanks, quotes or `=`.
    public struct InfoEntry: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }

        public var description: String { "\(key)=\(value)" }
    }

    /// The chemical symbol of each atom as written (`O`, `H`, `D`, …); the same in every frame.
    public var species: [String]
    /// Mass of each atom in amu, from a per-atom `masses` property when the file has one (then the
    /// same in every frame); `nil` means "the most abundant isotope of each element".
    public var masses: [Double]?
    /// Frame-major, then atom, then x, y, z: `positions[(f * atomCount + a) * 3 + k]`, in the file's
    /// length unit.
    public var positions: [Double]
    /// The forces on the atoms in the same layout as `positions`, when every frame has them.
    public var forces: [Double]?
    /// The label of each frame.
    public var energies: [Double]
    /// The name of the label (the comment-line key as found in the first frame, or the CSV column).
    public var labelKey: String
    /// Per frame, the other comment-line keys in the order written (`Properties` and the label are
    /// not repeated here).
    public var extraInfo: [[InfoEntry]]
    public var frameCount: Int
    public var atomCount: Int

    public init(
        species: [String], masses: [Double]? = nil, positions: [Double], forces: [Double]? = nil,
        energies: [Double], labelKey: String, extraInfo: [[InfoEntry]]? = nil
    ) {
        let atomCount = species.count
        let frameCount = energies.count
        precondition(positions.count == frameCount * atomCount * 3, "positions must hold frameCount × atomCount × 3 values")
        precondition(forces.map { $0.count == positions.count } ?? true, "forces must have the layout of positions")
        precondition(masses.map { $0.count == atomCount } ?? true, "one mass per atom")
        precondition(extraInfo.map { $0.count == frameCount } ?? true, "one info list per frame")
        self.species = species
        self.masses = masses
        self.positions = positions
        self.forces = forces
        self.energies = energies
        self.labelKey = labelKey
        self.extraInfo = extraInfo ?? Array(repeating: [], count: frameCount)
        self.frameCount = frameCount
        self.atomCount = atomCount
    }

    /// Position of atom `atom` in frame `frame` as (x, y, z).
    public func position(frame: Int, atom: Int) -> (x: Double, y: Double, z: Double) {
        let i = (frame * atomCount + atom) * 3
        return (positions[i], positions[i + 1], positions[i + 2])
    }

    /// Force on atom `atom` in frame `frame`, when the frames carry forces.
    public func force(frame: Int, atom: Int) -> (x: Double, y: Double, z: Double)? {
        guard let forces else { return nil }
        let i = (frame * atomCount + atom) * 3
        return (forces[i], forces[i + 1], forces[i + 2])
    }
}

extension MolecularFrames {
    /// The frames of a CSV read with `--molecule O,H,H`: the feature columns, in order, are the
    /// consecutive x, y, z coordinates of the atoms named by `symbols`; the label is the energy.
    ///
    /// Throws `InputError.badData` (naming `path` and both counts) unless there are exactly
    /// 3 × `symbols.count` feature columns, or when a symbol is empty.
    public init(table: SampleTable, symbols: [String], path: String = "<table>") throws {
        guard !symbols.isEmpty else {
            throw InputError.badData(
                path: path, line: nil, column: nil, columnName: nil, text: nil,
                reason: "the molecule has no atoms (name them, e.g. O,H,H)")
        }
        if let blank = symbols.firstIndex(where: { $0.trimmingBlanksForSymbol().isEmpty }) {
            throw InputError.badData(
                path: path, line: nil, column: nil, columnName: nil, text: nil,
                reason: "atom \(blank + 1) of the molecule has an empty symbol")
        }
        let expected = 3 * symbols.count
        guard table.dimension == expected else {
            let atoms = "\(symbols.count) atom\(symbols.count == 1 ? "" : "s") (\(symbols.joined(separator: ",")))"
            throw InputError.badData(
                path: path, line: nil, column: nil, columnName: nil, text: nil,
                reason: "\(table.dimension) feature column\(table.dimension == 1 ? "" : "s"), but a molecule of \(atoms)"
                    + " needs \(expected): x, y, z of each atom in order")
        }
        let atomCount = symbols.count
        var positions = [Double](repeating: 0, count: table.count * expected)
        positions.withUnsafeMutableBufferPointer { out in
            for (column, values) in table.features.enumerated() {
                for (frame, value) in values.enumerated() { out[frame * expected + column] = value }
            }
        }
        self.init(
            species: symbols.map { $0.trimmingBlanksForSymbol() }, positions: positions,
            energies: table.labels, labelKey: table.labelName)
        precondition(self.atomCount == atomCount)
    }
}

/// `MolecularFrames.InfoEntry`, for code that handles comment-line entries on their own.
public typealias InfoEntry = MolecularFrames.InfoEntry

private extension String {
    func trimmingBlanksForSymbol() -> String { CSVNumberParser.trimmingBlanks(self) }
}

extension MolecularFrames {
    /// Whether a comment-line key names an energy (`energy`, `REF_energy`, `free_energy`, …: it
    /// contains "energy", any case). Any other label (a dipole component, a charge) is a property
    /// of the geometry: the normal modes then come from the frames' energies, not from it.
    public static func isEnergyKey(_ key: String) -> Bool { key.lowercased().contains("energy") }

    /// The numeric comment-line value `key` of every frame (`extraInfo`), e.g. `dipole_x`.
    /// - Throws: `InputError.badData` naming the first frame that lacks it or whose value is not a
    ///   finite number.
    public func property(_ key: String, path: String) throws -> [Double] {
        try extraInfo.enumerated().map { frame, info in
            guard let entry = info.first(where: { $0.key == key }) else {
                throw InputError.badData(path: path, line: nil, column: nil, columnName: nil, text: nil,
                                         reason: "frame \(frame + 1) has no key '\(key)' on its comment line")
            }
            guard let value = Double(entry.value), value.isFinite else {
                throw InputError.badData(path: path, line: nil, column: nil, columnName: nil, text: entry.value,
                                         reason: "frame \(frame + 1): '\(key)' is not a finite number")
            }
            return value
        }
    }
}
