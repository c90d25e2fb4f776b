import SymdetectCore

extension MarkdownReport {
    /// The *Molecule* section (SPEC §2b): formula, point group (order, and order of its action
    /// on the normal coordinates), equilibrium geometry in Å, harmonic wavenumbers with each
    /// mode's character under each operation. Empty for a table that is not molecular.
    var moleculeSection: String {
        guard let m = result.molecule else { return "" }
        var s = "## Molecule\n\n"
        let order = m.pointGroupOrder.map { "order \($0)" } ?? "infinite order"
        s += "**\(m.formula)** (\(Self.plural(m.atoms.count, "atom")): \(m.atoms.joined(separator: ", "))), "
        s += "\(Self.plural(m.frameCount, "frame")), energies in \(m.energyUnit.rawValue), positions in \(m.lengthUnit.rawValue). "
        s += "Point group **\(m.pointGroupName)** (\(order)), found on the equilibrium structure within \(Self.f3(m.symmetryTolerance)) Å; "
        if let onModes = m.orderOnModes {
            s += "it acts on the \(m.modes.count) normal coordinates as a group of order **\(onModes)**, "
            s += "the data-efficiency factor of augmenting with it. "
        } else {
            s += "it acts on the \(m.modes.count) normal coordinates as a **continuous** group: "
            s += "\(Self.code(MolecularTable.axialRotationName)), the rotations about the molecular axis, turns each degenerate "
            s += "bending pair by any angle (tested at \(SymmetryOperation.genericAngles.count) generic angles), so augmenting with it "
            s += "has no fixed data-efficiency factor. Its other operations below are the finite representatives "
            s += "the group was found with (the half-turn about the axis, two perpendicular mirror planes and, "
            s += "for D∞h, those that exchange the ends). "
        }
        let trivial = m.operations.filter(\.actsTrivially).map { Self.code($0.name) }
        if trivial.count > 1 {
            s += "\(Self.list(trivial)) leave every normal coordinate unchanged. "
        }
        let shared = m.operations.filter { !$0.actsTrivially && $0.testedAs != $0.name }
        if !shared.isEmpty {
            s += shared.map { "\(Self.code($0.name)) acts on them as \(Self.code($0.testedAs ?? "")) does" }.joined(separator: "; ") + ", so is tested under that name. "
        }
        s += "The analysis below runs in the dimensionless normal coordinates q1 … q\(m.modes.count) (ascending wavenumber); "
        s += "the Taylor models in the vibrational coordinates have order \(m.fitOrder)"
        s += m.forcesUsed ? " and are fitted to the energies and the forces (\(1 + m.modes.count) equations per frame).\n\n" : ".\n\n"

        s += "Equilibrium geometry (Å; centre of mass at the origin, principal axes of inertia):\n\n"
        var rows: [[String]] = []
        for (i, atom) in m.atoms.enumerated() {
            rows.append(["\(i + 1)", atom] + m.equilibrium[i].map { Self.f6(abs($0) < 5e-7 ? 0 : $0) })
        }
        s += Self.table(["atom", "element", "x", "y", "z"], rows, align: ["--:", "---", "--:", "--:", "--:"]) + "\n"

        s += "Harmonic wavenumbers (cm⁻¹) and characters (+1 even, −1 odd, — within a degenerate set):\n\n"
        var modeRows: [[String]] = []
        for (k, mode) in m.modes.enumerated() {
            modeRows.append(["q\(k + 1)", Self.f6(mode.frequency)] + mode.characters.map { c in c.map { $0 > 0 ? "+1" : "−1" } ?? "—" })
        }
        s += Self.table(["mode", "wavenumber"] + m.operations.map { Self.code($0.name) }, modeRows,
                        align: ["---", "--:"] + m.operations.map { _ in "--:" }) + "\n"
        return s
    }
}
