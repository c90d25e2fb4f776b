/// The operations an analysis tests (SPEC §2.4), in two rounds: first the coordinate operations
/// and the user's operations; then the reflections along the Hessian's modes, built from the
/// Hessian symmetrised over the exact group the first round found (symmetry-adapted modes, as
/// in every vibrational analysis), and left out where they coincide with an operation already
/// tested or an element of that group.
enum Candidates {
    /// Matrices closer than this (largest entry difference) are one operation.
    static let coincidenceTolerance = 1e-6
    /// Eigenvalues closer than this fraction of the largest |λ| are degenerate: a reflection
    /// along one vector of a degenerate pair is not defined by the Hessian.
    static let degeneracyTolerance = 1e-6

    /// Round one: the structure's operations (`extraOperations`, first, so that they keep their
    /// names when a coordinate candidate has the same matrix), the coordinate candidates (unless
    /// only listed operations are wanted) and the user's operations that do not need the modes.
    static func coordinateRound(_ table: SampleTable, configuration: AnalysisConfiguration) throws -> [SymmetryOperation] {
        var ops = configuration.extraOperations.filter { $0.dimension == table.dimension }
        if !configuration.onlyListedOperations {
            let structure = StructureGroup(ops, dimension: table.dimension)
            ops += CandidateOperations.defaults(table: table).filter { structure?.contains($0) != true }
        }
        for spec in configuration.operations where !spec.needsModes {
            let op = try spec.resolve(names: table.featureNames)
            if !ops.contains(where: { $0.name == op.name }) { ops.append(op) }
        }
        return CandidateOperations.deduplicated(ops)
    }

    /// Round two: reflections along the symmetry-adapted modes, and the user's `reflect(mode K)`.
    /// Default mode reflections are offered only at a stationary point inside the data, when the
    /// Hessian is not already diagonal in the coordinates.
    static func modeRound(_ table: SampleTable, configuration: AnalysisConfiguration, outcome: FitOutcome,
                          tested: [SymmetryOperation], exactGroup: [Matrix]) throws -> ModeRound {
        let hessian = symmetrized(outcome.forceConstants.hessian, over: exactGroup)
        let modes = try HessianAnalysis(hessian: hessian)
        var ops: [SymmetryOperation] = []
        var coincident: [CoincidentOperation] = []
        let d = table.dimension
        let offerModes = !configuration.onlyListedOperations && d > 1 && outcome.center.kind.isStationaryPoint
            && outcome.center.insideData && outcome.center.flatDirections == 0
            && !HessianAnalysis.isDiagonal(outcome.forceConstants.hessian)
        var wanted: [Int] = offerModes ? Array(0..<d) : []
        for spec in configuration.operations {
            if case let .reflectMode(k) = spec.form, k <= d, !wanted.contains(k - 1) { wanted.append(k - 1) }
        }
        let big = modes.eigenvalues.map(abs).max() ?? 0
        let structure = StructureGroup(tested, dimension: d)
        for k in wanted {
            let op = SymmetryOperation.reflectMode(k, modes: modes.eigenvectors)
            let listed = configuration.operations.contains { if case .reflectMode(k + 1) = $0.form { return true }; return false }
            if !listed {
                if structure?.contains(op) == true { continue }
                let degenerate = modes.eigenvalues.indices.contains { $0 != k && abs(modes.eigenvalues[$0] - modes.eigenvalues[k]) <= degeneracyTolerance * big }
                if degenerate { continue }
                // Within ~3° of an axis reflection already tested: the same test, and two
                // almost-equal reflections would generate an infinite group.
                if tested.contains(where: { !$0.isContinuous && $0.matrix.maxAbsDifference(op.matrix) < CandidateOperations.nearAxisTolerance }) {
                    if let same = tested.first(where: { !$0.isContinuous && $0.matrix.maxAbsDifference(op.matrix) < coincidenceTolerance }) {
                        coincident.append(CoincidentOperation(name: op.name, sameAs: same.name))
                    }
                    continue
                }
            }
            if let element = exactGroup.firstIndex(where: { $0.maxAbsDifference(op.matrix) < coincidenceTolerance }) {
                coincident.append(CoincidentOperation(name: op.name, sameAs: elementName(element, exactGroup: exactGroup, tested: tested)))
                continue
            }
            ops.append(op)
        }
        return ModeRound(operations: ops, coincident: coincident, modes: modes)
    }

    /// H_s = (1/|G|) Σ_g G H Gᵀ: the part of the Hessian invariant under the group (H itself
    /// when the group is trivial).
    static func symmetrized(_ h: Matrix, over group: [Matrix]) -> Matrix {
        guard group.count > 1 else { return h }
        var sum = Matrix(rows: h.rows, columns: h.columns)
        for g in group {
            let term = g * h * g.transposed
            for i in 0..<h.rows { for j in 0..<h.columns { sum[i, j] += term[i, j] } }
        }
        return sum.scaled(by: 1 / Double(group.count))
    }

    /// The name of the tested operation whose matrix is group element `index`; nil when the
    /// element is a product of the exact operations rather than one of them.
    static func elementName(_ index: Int, exactGroup: [Matrix], tested: [SymmetryOperation]) -> String? {
        let m = exactGroup[index]
        return tested.first { !$0.isContinuous && $0.matrix.maxAbsDifference(m) < coincidenceTolerance }?.name
    }
}

/// The result of the mode round.
struct ModeRound {
    let operations: [SymmetryOperation]
    let coincident: [CoincidentOperation]
    /// The symmetry-adapted modes the reflections were built from.
    let modes: HessianAnalysis
}

/// A candidate left out because it is the same operation (within `Candidates.coincidenceTolerance`)
/// as one already tested or an element of the exact group.
public struct CoincidentOperation: Sendable, Equatable {
    public let name: String
    /// The tested operation it equals; nil when it equals a product of the exact operations.
    public let sameAs: String?
}
