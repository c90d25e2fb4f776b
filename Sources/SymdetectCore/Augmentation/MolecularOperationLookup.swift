/// Why an operation named on molecular input could not be resolved.
public enum MolecularOperationError: Error, Equatable, Sendable {
    /// No point-group operation has this name. `available` lists the names of the operations that
    /// act on the normal coordinates (identity and trivially acting ones omitted).
    case unknownPointGroupOperation(text: String, available: [String])
    /// A bare symbol (`σv`) that names several operations acting differently on the modes.
    case ambiguousPointGroupOperation(text: String, candidates: [String])
    /// The coordinate syntax was wrong for the normal coordinates (unknown `q7`, …).
    case syntax(OperationSyntaxError)
}

/// The operations named for a molecule, as the analysis names them: point-group operations
/// (`C2`, `perm(2,3)·C2`, `σv`) and operations in the syntax of coordinates on the dimensionless
/// normal coordinates q1 … qn (`reflect(q1)`, `invert`, `reflect(mode 2)`).
public enum MolecularOperationLookup {
    /// Resolves `spec` on `molecule`.
    ///
    /// A point-group name matches (after spelling `*` as `·`, `sigma` as `σ`, `^2` as `²`, and
    /// dropping blanks) either an operation's full name, or, when the permutation is left out, its
    /// symbol — accepted when every operation with that symbol acts on q in the same way. The
    /// result is a `.pointGroup` operation with the matrix by which it acts on q.
    /// - Parameter modes: the Hessian eigenvectors of the fit in q, for `reflect(mode K)`.
    public static func resolve(_ spec: OperationSpec, on molecule: MolecularTable, modes: Matrix?) throws -> SymmetryOperation {
        guard case let .pointGroup(text) = spec.form else {
            do {
                return try spec.resolve(names: molecule.table.featureNames, modes: modes)
            } catch let error as OperationSyntaxError {
                throw MolecularOperationError.syntax(error)
            }
        }
        let ops = molecule.summary.operations
        let wanted = normalised(text)
        // C∞ (linear molecules) is a continuous family, as the analysis tests it.
        if wanted == MolecularTable.axialRotationName,
           let family = molecule.operations.first(where: { $0.name == MolecularTable.axialRotationName && $0.isContinuous }) {
            return family
        }
        if let exact = ops.first(where: { normalised($0.name) == wanted }) {
            return .pointGroup(name: exact.name, matrix: exact.actionOnModes)
        }
        let bySymbol = ops.filter { symbol(of: normalised($0.name)) == wanted }
        if let first = bySymbol.first {
            let distinct = bySymbol.filter { $0.actionOnModes.maxAbsDifference(first.actionOnModes) > MolecularTable.cleanTolerance }
            guard distinct.isEmpty else {
                throw MolecularOperationError.ambiguousPointGroupOperation(text: text, candidates: bySymbol.map(\.name))
            }
            return .pointGroup(name: first.name, matrix: first.actionOnModes)
        }
        throw MolecularOperationError.unknownPointGroupOperation(
            text: text, available: ops.filter { !$0.actsTrivially }.map(\.name))
    }

    static func normalised(_ name: String) -> String {
        var s = name.replacingOccurrences(of: " ", with: "")
        for (from, to) in [("*", "·"), ("sigma", "σ"), ("^2", "²"), ("^3", "³"), ("^4", "⁴"), ("^5", "⁵"), ("′", "'")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        return s
    }

    /// The part after the permutation: "perm(2,3)·C2" → "C2".
    static func symbol(of name: String) -> String {
        guard let dot = name.lastIndex(of: "·") else { return name }
        return String(name[name.index(after: dot)...])
    }
}
