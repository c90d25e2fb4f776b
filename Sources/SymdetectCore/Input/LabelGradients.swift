/// Measured derivatives ∂y/∂x_j of the label at every sample (for a molecule: the energy
/// gradient −F projected on the fitted coordinates), with the weight their equations get in the
/// Taylor fit (`GradientEnhancedFitter`).
public struct LabelGradients: Sendable, Equatable {
    /// `values[j][i]` = ∂y/∂x_j at sample i, in label units per coordinate unit. Finite.
    public var values: [[Double]]
    public var weight: GradientWeight

    public init(values: [[Double]], weight: GradientWeight = .estimated) {
        self.values = values
        self.weight = weight
    }

    /// The gradients of the samples at `indices`, in that order.
    public func rows(_ indices: [Int]) -> LabelGradients {
        LabelGradients(values: values.map { col in indices.map { col[$0] } }, weight: weight)
    }
}

/// The weight W of a gradient equation relative to a label equation: the fit minimises
/// Σᵢ (yᵢ − T(xᵢ))² + W Σᵢ Σⱼ (gᵢⱼ − ∂ⱼT(xᵢ))². W = σ_y²/σ_g² (label noise over gradient-
/// component noise) makes the stacked equations homoscedastic; its unit is (coordinate unit)²,
/// dimensionless for dimensionless normal coordinates.
public enum GradientWeight: Sendable, Equatable {
    /// Estimated from the fit's own residuals (`GradientEnhancedFitter.estimateWeight`).
    case estimated
    /// Given (`--force-weight`).
    case fixed(Double)
}
