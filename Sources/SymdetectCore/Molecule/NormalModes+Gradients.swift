/// Energy gradients in dimensionless normal coordinates. With q = Γ Lᵀ s (Γ = diag γₖ, L
/// orthogonal) the chain rule gives ∂E/∂q = Γ⁻¹ Lᵀ ∂E/∂s and back ∂E/∂s = L Γ ∂E/∂q; the
/// Cartesian ends are `VibrationalBasis.vibrationalGradient(fromCartesianGradient:alignment:)`
/// and `VibrationalBasis.cartesianGradient(fromVibrationalGradient:at:)`. Units: E per unit q.
extension NormalModes {
    /// ∂E/∂q from ∂E/∂s.
    public func dimensionlessGradient(fromVibrational gradient: [Double]) throws -> [Double] {
        let normal = try normalCoordinates(fromVibrational: gradient)
        try requireNonzeroFrequencies()
        return (0..<count).map { normal[$0] / dimensionlessScales[$0] }
    }

    /// ∂E/∂s from ∂E/∂q.
    public func vibrationalGradient(fromDimensionless gradient: [Double]) throws -> [Double] {
        guard gradient.count == count else {
            throw MoleculeError.sizeMismatch(what: "dimensionless gradient", expected: count, got: gradient.count)
        }
        try requireNonzeroFrequencies()
        return try vibrationalCoordinates(fromNormal: (0..<count).map { gradient[$0] * dimensionlessScales[$0] })
    }

    /// ∂E/∂q from a Cartesian gradient (E/L, −forces) given in the orientation of the frame that
    /// `alignment` aligned.
    public func dimensionlessGradient(fromCartesianGradient gradient: [Double],
                                      alignment: EckartAlignment) throws -> [Double] {
        try dimensionlessGradient(fromVibrational: try basis.vibrationalGradient(fromCartesianGradient: gradient, alignment: alignment))
    }

    /// The Cartesian gradient (E/L) in the Eckart frame at the geometry of q, for ∂E/∂q.
    public func cartesianGradient(fromDimensionlessGradient gradient: [Double], at q: [Double]) throws -> [Double] {
        try basis.cartesianGradient(fromVibrationalGradient: try vibrationalGradient(fromDimensionless: gradient),
                                    at: try vibrationalCoordinates(fromDimensionless: q))
    }
}
