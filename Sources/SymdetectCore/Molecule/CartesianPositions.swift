/// Layout of a molecule's Cartesian vectors (positions, displacements, forces, gradients):
/// a flat `[Double]` of length 3N, atom-major — `[x₁, y₁, z₁, x₂, y₂, z₂, …]` — in the order the
/// atoms are listed. Hessians are 3N × 3N in the same order.
public enum CartesianPositions {
    /// `[[x, y, z], …]` → the flat atom-major layout. Every inner array must have 3 entries.
    public static func flat(_ nested: [[Double]]) throws -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(nested.count * 3)
        for (i, atom) in nested.enumerated() {
            guard atom.count == 3 else { throw MoleculeError.sizeMismatch(what: "position of atom \(i + 1)", expected: 3, got: atom.count) }
            out.append(contentsOf: atom)
        }
        return out
    }

    /// The flat layout → one `[x, y, z]` per atom.
    public static func nested(_ flat: [Double]) -> [[Double]] {
        precondition(flat.count % 3 == 0, "a Cartesian vector has 3 entries per atom")
        return stride(from: 0, to: flat.count, by: 3).map { Array(flat[$0..<($0 + 3)]) }
    }

    /// Mass-weighted centre Σ mᵢ rᵢ / Σ mᵢ.
    public static func centerOfMass(_ positions: [Double], masses: [Double]) -> [Double] {
        precondition(positions.count == 3 * masses.count)
        var c = [0.0, 0.0, 0.0]
        var total = 0.0
        for (i, m) in masses.enumerated() {
            for a in 0..<3 { c[a] += m * positions[3 * i + a] }
            total += m
        }
        return c.map { $0 / total }
    }

    /// Checks that `positions` has 3 entries per mass, all finite, and that every mass is
    /// positive and finite.
    static func validate(_ positions: [Double], masses: [Double], what: String) throws {
        guard positions.count == 3 * masses.count else {
            throw MoleculeError.sizeMismatch(what: what, expected: 3 * masses.count, got: positions.count)
        }
        guard positions.allSatisfy({ $0.isFinite }) else { throw MoleculeError.nonFinite(what: what) }
        for (i, m) in masses.enumerated() where !(m > 0 && m.isFinite) {
            throw MoleculeError.invalidMass(atom: i, mass: m)
        }
    }
}
