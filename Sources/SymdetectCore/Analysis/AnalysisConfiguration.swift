/// Where the learning curve e(N) ≈ a·N^(−b) behind the predicted gains comes from.
public enum LearningCurveSource: Sendable, Equatable {
    /// b = 0.5 and a = the label's standard deviation: assumed, not measured.
    case assumed
    /// Measured by `learning-curve` on these data and passed in.
    case measured
    /// The slope was given explicitly.
    case givenSlope
}

/// Everything `analyze` can be told (SPEC §2). Defaults are those of the command line.
public struct AnalysisConfiguration: Sendable {
    public var fit: FitConfiguration
    public var transform: TransformChoice
    /// Operations to test, added to (or, with `onlyListedOperations`, replacing) the default set.
    public var operations: [OperationSpec]
    public var onlyListedOperations: Bool
    /// Operations derived from the data's structure rather than named (a molecule's point group
    /// acting on its normal coordinates): tested first, like every candidate, and kept even with
    /// `onlyListedOperations`. A default candidate with the same matrix is then left out.
    public var extraOperations: [SymmetryOperation] = []
    /// Family-wise significance level (Holm).
    public var alpha: Double
    /// Tolerance on the floor, label units; nil = `defaultTargetFraction` × the label's standard deviation.
    public var targetError: Double?
    /// A breaking whose naive floor is below this is exact (label units); nil =
    /// `defaultExactToleranceFraction` × the target error. Never below the labels' resolution.
    public var exactTolerance: Double?
    /// Learning-curve exponent b in e(N) ≈ a·N^(−b).
    public var slope: Double
    public var learningCurveSource: LearningCurveSource
    /// Learning-curve prefactor a; nil = the label's standard deviation (e(1) ≈ sd(y)).
    public var prefactor: Double?
    /// Whether the curve is measured on the data (SPEC §2.8). The library's default is `.off`
    /// (the assumed curve); the command line's is `.quick`.
    public var learningCurvePlan: LearningCurvePlan = .off
    /// Seed of the measured curve's row draw and splits.
    public var learningCurveSeed: UInt64 = MeasuredLearningCurve.defaultSeed

    /// The default target error as a fraction of the label's standard deviation (SPEC §2.6).
    public static let defaultTargetFraction = 0.01
    /// The default exactness tolerance as a fraction of the target error (SPEC §2.6).
    public static let defaultExactToleranceFraction = 1e-3
    /// The default learning-curve slope when none is measured.
    public static let assumedSlope = 0.5

    public init(fit: FitConfiguration = .init(), transform: TransformChoice = .auto, operations: [OperationSpec] = [],
                onlyListedOperations: Bool = false, alpha: Double = 0.05, targetError: Double? = nil,
                exactTolerance: Double? = nil, slope: Double = assumedSlope,
                learningCurveSource: LearningCurveSource = .assumed, prefactor: Double? = nil) {
        self.fit = fit
        self.transform = transform
        self.operations = operations
        self.onlyListedOperations = onlyListedOperations
        self.alpha = alpha
        self.targetError = targetError
        self.exactTolerance = exactTolerance
        self.slope = slope
        self.learningCurveSource = learningCurveSource
        self.prefactor = prefactor
    }
}
