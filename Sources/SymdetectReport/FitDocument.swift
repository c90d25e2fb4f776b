import Foundation
import SymdetectCore

// The `input` and `fit` parts of the JSON contract (SPEC §4), shared by `fit` (FitDocument) and
// `analyze` (which embeds the same sections).
//
// JSON has no NaN or infinity, and Foundation's JSONEncoder throws on them. Every number that can
// be non-finite (an infinite condition number of a singular design, a NaN from a degenerate fit)
// is therefore stored as `Double?` through `finiteOrNil`, and undefined standard errors are nil;
// the hand-written `encode(to:)` methods write nil as an explicit `null` (the synthesized ones
// would drop the key), so every documented field is always present.

/// One coefficient β_α of T(u) = Σ β_α u^α, u = x − c, in the user's units.
public struct CoefficientEntry: Codable, NullEncoded, Sendable, Equatable {
    /// "1", "q1", "q1^2*q3".
    public var monomial: String
    public var exponents: [Int]
    public var value: Double?
    /// nil (null) when the data do not determine the coefficient.
    public var stderr: Double?

    public init(monomial: String, exponents: [Int], value: Double?, stderr: Double?) {
        self.monomial = monomial
        self.exponents = exponents
        self.value = value
        self.stderr = stderr
    }
}

/// One force constant φ_{ijk…} = ∂ⁿT/∂u_i∂u_j∂u_k… at the centre.
public struct ForceConstantEntry: Codable, NullEncoded, Sendable, Equatable {
    /// Sorted 0-based coordinate indices.
    public var indices: [Int]
    /// "φ113" (1-based, as chemists write it).
    public var name: String
    public var value: Double?
    public var stderr: Double?

    public init(_ constant: ForceConstant) {
        indices = constant.indices
        name = ForceConstants.name(constant.indices)
        value = finiteOrNil(constant.value)
        stderr = constant.stderr.flatMap(finiteOrNil)
    }
}

/// One row of the `--order auto` table.
public struct OrderSelectionEntry: Codable, NullEncoded, Sendable, Equatable {
    public var order: Int
    /// nil when leave-one-out is undefined at this order (some leverage is 1).
    public var looRmse: Double?
    public var chosen: Bool

    public init(order: Int, looRmse: Double?, chosen: Bool) {
        self.order = order
        self.looRmse = looRmse
        self.chosen = chosen
    }
}

/// `fit`: the Taylor model, its diagnostics and the force constants at the centre.
///
/// Contract fields (SPEC §4): order, center, centerKind, rmse, r2, looRmse, conditionNumber,
/// rank, coefficients, gradient, hessian, hessianEigenvalues, cubic, quartic. The rest are
/// additions. Numbers that are undefined or non-finite are `null`.
public struct FitSection: Codable, NullEncoded, Sendable, Equatable {
    public var order: Int
    /// "fixed" or "auto" (then `orderSelection` lists the orders tried).
    public var orderChoice: String
    public var orderSelection: [OrderSelectionEntry]
    /// The expansion centre c, one value per feature.
    public var center: [Double?]
    /// How the centre was chosen: "auto", "origin", "mean", "min" or "given".
    public var centerChoice: String
    /// For `auto` the nature of the stationary point ("minimum", "saddle", "maximum",
    /// "degenerate", "not converged"); otherwise the choice ("origin", "mean", "min", "given").
    public var centerKind: String
    public var centerIterations: Int
    public var centerConverged: Bool
    public var centerInsideData: Bool
    /// |∇T(c)|.
    public var gradientNorm: Double?
    /// Gaussian locality radius (`--radius`), null when unweighted.
    public var radius: Double?
    public var rmse: Double?
    public var r2: Double?
    public var looRmse: Double?
    public var conditionNumber: Double?
    public var rank: Int
    public var parameterCount: Int
    public var residualDegreesOfFreedom: Int
    /// Residual standard deviation, null with no residual degrees of freedom.
    public var sigma: Double?
    /// Least-squares equations: one per sample, plus `forceEquations` (gradient-enhanced fit).
    public var equations: Int
    /// Equations from the frames' force components (−∂E/∂q), 0 when the fit used none.
    public var forceEquations: Int
    /// W: the weight of a force equation relative to an energy equation; null without forces.
    public var forceWeight: Double?
    /// "estimated" or "given"; null without forces.
    public var forceWeightSource: String?
    /// RMS of the force-component residuals (label units per coordinate unit); null without forces.
    public var forceRmse: Double?
    public var coefficients: [CoefficientEntry]
    /// Monomial combinations the data cannot separate (rank deficiency), empty when full rank.
    public var undeterminedCombinations: [String]
    public var gradient: [Double?]
    public var gradientStderr: [Double?]
    public var hessian: [[Double?]]
    public var hessianStderr: [[Double?]]
    /// Ascending.
    public var hessianEigenvalues: [Double?]
    /// `hessianEigenvectors[k]` is the unit eigenvector (normal mode) of `hessianEigenvalues[k]`,
    /// in feature order; its largest-magnitude entry is positive.
    public var hessianEigenvectors: [[Double?]]
    /// "minimum", "maximum", "saddle of index m" or "degenerate", from the eigenvalue signs.
    public var stationaryKind: String
    /// φ_ijk, i ≤ j ≤ k (empty below order 3).
    public var cubic: [ForceConstantEntry]
    /// φ_ijkl, i ≤ j ≤ k ≤ l (empty below order 4).
    public var quartic: [ForceConstantEntry]
    public var warnings: [String]

    public init(outcome: FitOutcome) {
        let fit = outcome.fit
        let constants = outcome.forceConstants
        let d = fit.dimension
        order = fit.order
        orderChoice = outcome.orderSelection.isEmpty ? "fixed" : "auto"
        orderSelection = outcome.orderSelection.map {
            OrderSelectionEntry(order: $0.order, looRmse: $0.looRmse.flatMap(finiteOrNil), chosen: $0.order == fit.order)
        }
        center = fit.center.map(finiteOrNil)
        centerChoice = {
            switch outcome.center.choice {
            case .auto: return "auto"
            case .origin: return "origin"
            case .mean: return "mean"
            case .min: return "min"
            case .given: return "given"
            }
        }()
        centerKind = Wording.centerKindCode(outcome.center.kind)
        centerIterations = outcome.center.iterations
        centerConverged = outcome.center.converged
        centerInsideData = outcome.center.insideData
        gradientNorm = finiteOrNil(outcome.center.gradientNorm)
        radius = fit.radius.flatMap(finiteOrNil)
        rmse = finiteOrNil(fit.rmse)
        r2 = finiteOrNil(fit.r2)
        looRmse = fit.looRmse.flatMap(finiteOrNil)
        conditionNumber = finiteOrNil(fit.conditionNumber)
        rank = fit.rank
        parameterCount = fit.parameterCount
        residualDegreesOfFreedom = fit.residualDegreesOfFreedom
        sigma = fit.sigma.flatMap(finiteOrNil)
        equations = fit.rowCount
        forceEquations = fit.gradientEquations?.gradientEquations ?? 0
        forceWeight = fit.gradientEquations.flatMap { finiteOrNil($0.weight) }
        forceWeightSource = fit.gradientEquations.map { $0.weightWasEstimated ? "estimated" : "given" }
        forceRmse = fit.gradientEquations.flatMap { finiteOrNil($0.gradientRMSE) }
        coefficients = fit.exponents.indices.map { a in
            CoefficientEntry(monomial: fit.monomialName(a), exponents: fit.exponents[a],
                             value: finiteOrNil(fit.coefficients[a]),
                             stderr: fit.standardErrors[a].flatMap(finiteOrNil))
        }
        undeterminedCombinations = fit.undeterminedCombinations
        gradient = constants.gradient.map(finiteOrNil)
        gradientStderr = constants.gradientStderr.map { $0.flatMap(finiteOrNil) }
        hessian = constants.hessian.nested.map { $0.map(finiteOrNil) }
        hessianStderr = constants.hessianStderr.map { $0.map { $0.flatMap(finiteOrNil) } }
        let analysis = outcome.hessian
        hessianEigenvalues = analysis.eigenvalues.map(finiteOrNil)
        hessianEigenvectors = (0..<d).map { k in (0..<d).map { i in finiteOrNil(analysis.eigenvectors[i, k]) } }
        stationaryKind = analysis.kind.label
        cubic = constants.cubic.map(ForceConstantEntry.init)
        quartic = constants.quartic.map(ForceConstantEntry.init)
        warnings = outcome.warnings.map(Wording.fitWarning)
    }
}

/// What `symdetect fit --json` writes: `{schemaVersion, input, fit}`.
public struct FitDocument: Codable, NullEncoded, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var input: InputSection
    public var fit: FitSection

    public init(input: InputSection, outcome: FitOutcome) {
        schemaVersion = Self.currentSchemaVersion
        self.input = input
        fit = FitSection(outcome: outcome)
    }

    /// The document as deterministic JSON (see `DocumentEncoder`).
    public func jsonData() throws -> Data { try DocumentEncoder.encode(self) }
}
