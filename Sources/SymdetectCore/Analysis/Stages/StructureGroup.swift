/// The group by which a molecule's point group acts on its normal coordinates, when it contains
/// a continuous part (a linear molecule: C∞ turns each bending pair by any angle, and with the
/// finite representatives it forms the whole of C∞v or D∞h acting on q).
///
/// Membership: g belongs to it when, for some element h of the finite closure F of the discrete
/// point-group operations, M = hᵀ g is a member of the rotation family exp(φK)
/// = 𝟙 + sin φ K + (1 − cos φ) K² (K³ = −K). Because tr(Kᵀ𝟙) = tr(KᵀK²) = 0 and tr((K²)ᵀK) = 0,
/// sin φ = tr(KᵀM)/tr(KᵀK) and 1 − cos φ = tr((K²)ᵀ(M − 𝟙))/tr((K²)ᵀK²); g is a member when M
/// equals the family member at that φ within `tolerance` (largest entry).
///
/// Coordinate candidates inside that group (the reflections of one bending coordinate, the swap
/// and the plane rotations of a bending pair, reflections along its degenerate modes) are
/// operations of the point group already tested under its names, so they are not tested again.
struct StructureGroup {
    static let tolerance = 1e-6

    let finite: [Matrix]
    let generator: Matrix

    /// nil when no continuous point-group operation is among `operations`.
    init?(_ operations: [SymmetryOperation], dimension: Int) {
        var generator: Matrix?
        for op in operations { if case let .axialRotation(k) = op.kind, k.rows == dimension { generator = k } }
        guard let generator else { return nil }
        self.generator = generator
        let discrete = operations.filter { if case .pointGroup = $0.kind { return $0.dimension == dimension } else { return false } }
        finite = GroupClosure(generators: discrete.map(\.matrix), dimension: dimension, limit: 256).elements
    }

    func contains(_ g: Matrix) -> Bool {
        let k = generator, k2 = generator * generator
        func trace(_ a: Matrix, _ b: Matrix) -> Double {
            var s = 0.0
            for i in 0..<a.rows { for j in 0..<a.columns { s += a[i, j] * b[i, j] } }
            return s
        }
        let kk = trace(k, k), k2k2 = trace(k2, k2)
        guard kk > 0, k2k2 > 0 else { return false }
        let identity = Matrix.identity(g.rows)
        for h in finite {
            let m = h.transposed * g
            var shifted = m
            for i in 0..<m.rows { shifted[i, i] -= 1 }
            let sine = trace(k, m) / kk, versine = trace(k2, shifted) / k2k2
            var member = identity
            for i in 0..<m.rows { for j in 0..<m.columns { member[i, j] += sine * k[i, j] + versine * k2[i, j] } }
            if member.maxAbsDifference(m) < Self.tolerance { return true }
        }
        return false
    }

    /// Whether every tested matrix of `op` lies in the group.
    func contains(_ op: SymmetryOperation) -> Bool { op.matrices.allSatisfy(contains) }
}
