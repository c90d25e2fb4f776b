/// The immutable result of a least-squares Taylor fit T(u) = Σ_{|α|≤k} β_α u^α, u = x − c.
///
/// Coefficients and their covariance are in the user's units. Presentation lives elsewhere.
public struct TaylorFit: Sendable {
    public let featureNames: [String]
    public let order: Int
    public let polynomial: TaylorPolynomial
    /// Standard error of each coefficient, σ·sqrt((XᵀWX)⁻¹_αα); nil where the data cannot
    /// determine the coefficient (it has a component in the design's null space).
    public let standardErrors: [Double?]
    /// Covariance of the coefficients, σ²(XᵀWX)⁺ (pseudo-inverse on the determined subspace).
    public let covariance: Matrix
    /// Residual standard deviation σ = sqrt(Σ wᵢrᵢ² / (N − rank)); nil with no residual degrees of freedom.
    public let sigma: Double?
    /// sqrt(Σ wᵢrᵢ² / Σ wᵢ).
    public let rmse: Double
    public let r2: Double
    /// sqrt(Σ wᵢ(rᵢ/(1 − hᵢᵢ))² / Σ wᵢ) with hᵢᵢ the hat-matrix diagonal; nil when some hᵢᵢ ≈ 1.
    public let looRmse: Double?
    /// σ_max/σ_min of the column-equilibrated, internally scaled design; infinity when singular.
    public let conditionNumber: Double
    public let rank: Int
    public let rowCount: Int
    public let residualDegreesOfFreedom: Int
    /// Linear combinations of monomials the data cannot separate, e.g. "q1*q3 − 1.0·q1*q3^3".
    public let undeterminedCombinations: [String]
    public let radius: Double?
    /// Residuals yᵢ − T(xᵢ) and leverages hᵢᵢ, in row order; empty for large designs (those
    /// beyond `ExtendedPrecisionLeastSquares.workLimit`, N·p² > 2·10⁷), whose diagnostics are
    /// summed in the final pass without keeping N values each.
    public let residuals: [Double]
    public let leverages: [Double]
    public let warnings: [FitWarning]
    /// What the gradient equations contributed (nil for a fit to labels alone); then
    /// `rowCount` and `residualDegreesOfFreedom` count equations, not samples.
    public var gradientEquations: GradientEquationSummary? = nil

    public var center: [Double] { polynomial.center }
    public var exponents: [[Int]] { polynomial.exponents }
    public var coefficients: [Double] { polynomial.coefficients }
    public var parameterCount: Int { exponents.count }
    public var dimension: Int { featureNames.count }
    public var isRankDeficient: Bool { rank < parameterCount }

    public func monomialName(_ index: Int) -> String {
        MultiIndex.name(exponents[index], variables: featureNames)
    }

    public func value(at x: [Double]) -> Double { polynomial.value(at: x) }
}
