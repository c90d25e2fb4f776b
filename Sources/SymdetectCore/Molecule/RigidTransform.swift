/// A rigid motion of a molecule, x ↦ R x + t applied to every atom, with R orthogonal
/// (a proper rotation unless stated otherwise) and t a translation (length unit of the positions).
public struct RigidTransform: Equatable, Sendable {
    /// 3 × 3 orthogonal.
    public let rotation: Matrix
    /// 3 entries.
    public let translation: [Double]

    public init(rotation: Matrix, translation: [Double]) {
        precondition(rotation.rows == 3 && rotation.columns == 3 && translation.count == 3)
        self.rotation = rotation
        self.translation = translation
    }

    public static let identity = RigidTransform(rotation: .identity(3), translation: [0, 0, 0])

    /// R x + t for every atom of the flat positions.
    public func apply(toPositions positions: [Double]) -> [Double] {
        var out = Rotation3.apply(rotation, toEachAtomOf: positions)
        for i in stride(from: 0, to: out.count, by: 3) { for a in 0..<3 { out[i + a] += translation[a] } }
        return out
    }

    /// R v for every atom (displacements, forces, gradients: translations do not act on them).
    public func apply(toVectors vectors: [Double]) -> [Double] {
        Rotation3.apply(rotation, toEachAtomOf: vectors)
    }

    /// x ↦ Rᵀ (x − t).
    public var inverse: RigidTransform {
        let rt = rotation.transposed
        let t = rt * translation
        return RigidTransform(rotation: rt, translation: t.map { -$0 })
    }

    /// `self` after `other`: x ↦ R₁ (R₂ x + t₂) + t₁.
    public func composed(after other: RigidTransform) -> RigidTransform {
        let t = rotation * other.translation
        return RigidTransform(rotation: rotation * other.rotation,
                              translation: (0..<3).map { t[$0] + translation[$0] })
    }
}
