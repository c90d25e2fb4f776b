// The typed values `Analyzer.run` returns. They say *what* was found and *why*; the report
// module turns them into words, numbers and commands.

/// Something the model misses, which makes the Taylor test an effect size rather than a test.
public enum AdequacyProblem: Sendable, Equatable {
    /// The terms one order higher are significant (nested F test, p < `ModelAdequacy.misfitP`).
    case higherOrderTermsSignificant(order: Int, pValue: Double)
    /// The fit's RMSE exceeds `ModelAdequacy.noiseRatio` × the local leave-one-out noise estimate.
    case misfitAboveLocalNoise(fitRMSE: Double, localNoise: Double)
    /// The data cannot support the order-(k+1) model the misfit test needs, so the model's
    /// adequacy is unknown (and the Taylor test is not decisive).
    case misfitUntestable(order: Int)
}

/// Whether the Taylor model describes the data well enough for its Wald test to be decisive.
public struct ModelAdequacy: Sendable {
    /// Nested-F level below which the order-(k+1) terms count as misfit.
    public static let misfitP = 0.001
    /// A fit RMSE above this multiple of the local noise estimate is misfit.
    public static let noiseRatio = 2.0

    /// The model reproduces the labels to round-off (then it is adequate whatever else holds).
    public let reproducesLabels: Bool
    public let problems: [AdequacyProblem]
    /// RMSE of the fit on the tested scale (transformed labels).
    public let fitRMSE: Double
    /// RMS of the standardized local leave-one-out residuals (noise plus local misfit).
    public let localNoise: Double?
    /// p-value of the terms one order higher (nested F test); small = the model misses structure.
    public let higherOrderPValue: Double?

    public var adequate: Bool { reproducesLabels || problems.isEmpty }
}

/// Why a test could not speak for an operation.
public enum EvidenceLimitation: Sendable, Equatable {
    /// Fewer than `MirrorTest.minimumPairs` images fell inside the data.
    case mirrorCoverageTooLow(usable: Int, tested: Int)
    /// The Taylor model is not adequate (see `ModelAdequacy.problems`), so its test is not decisive.
    case modelInadequate
    /// The Taylor test has no p-value (no residual degrees of freedom, or nothing to test).
    case taylorUndefined
    /// The mirror test's local predictions are too coarse to resolve a breaking that matters:
    /// the smallest naive floor it could detect exceeds the target error (both on the tested
    /// scale, where the target is the same fraction of the labels' spread). It can still show
    /// breaking, but its silence is no evidence of exactness.
    case mirrorLacksResolution(resolvableFloor: Double, target: Double)
}

/// What the verdict of one operation rests on (SPEC §2.6).
public enum VerdictBasis: Sendable, Equatable {
    /// No breaking significant at α after Holm's correction.
    case noSignificantBreaking
    /// Breaking is detectable, but its RMS (the naive floor) is below the exactness tolerance.
    case negligibleBreaking(naiveFloor: Double, tolerance: Double)
    /// Broken; `scheme`'s predicted RMSE floor is within the target error.
    case floorWithinTarget(scheme: AugmentationScheme, floor: Double, target: Double)
    /// Broken; the lowest floor (if any scheme applies) exceeds the target error.
    case floorsAboveTarget(scheme: AugmentationScheme?, floor: Double?, target: Double)
    /// The Taylor model is not adequate, but its misfit is under half the target error, and the
    /// model's own breaking (its naive floor) is within `VerdictRule.withinMisfitFactor` × that
    /// misfit: no breaking is resolvable above the model's misfit (SPEC §2.6), and any that hides
    /// in it leaves a floor below the target error.
    case withinMisfit(modelFloor: Double, misfit: Double)
    /// The Taylor model is not adequate, but its breaking is many times its whole misfit:
    /// broken by effect size (the floor that decides is in `floorWithinTarget`'s place).
    case beyondMisfit(modelFloor: Double, misfit: Double)
    /// Neither test can speak (see the operation's `limitations`).
    case noEvidence
}

/// Where the images of the samples fall, for an operation whose mirror test lacked coverage:
/// per coordinate, the range of the images g·xᵢ and the range of the data.
public struct ImageRegion: Sendable, Equatable {
    public let imageRanges: [ClosedRange<Double>]
    public let dataRanges: [ClosedRange<Double>]
}

/// One tested operation with both tests, the verdict and the floors.
public struct OperationResult: Sendable {
    public let operation: SymmetryOperation
    public let verdict: Verdict
    public let basis: VerdictBasis
    /// The test that decided the verdict; nil when it is inconclusive.
    public let decidedBy: Evidence?
    /// What kept a test from speaking (empty when both could).
    public let limitations: [EvidenceLimitation]
    public let taylor: TaylorInvarianceTest
    public let mirror: MirrorTest
    /// The deciding test's p-value, raw and Holm-adjusted across operations.
    public let pValue: Double?
    public let adjustedPValue: Double?
    public let breakingOrder: Int?
    /// Estimated RMS(y(x) − y(g·x)) in label units.
    public let breakingRMS: Double?
    public let modelFloors: SchemeFloors
    public let mirrorFloors: SchemeFloors?
    /// The floors used for the verdict and recommendation (model-based where the model is
    /// adequate, otherwise mirror-based where coverage allows).
    public let floors: SchemeFloors
    public let floorSource: Evidence
    /// The scheme with the lowest predicted RMSE floor among those the verdict rests on, and that floor.
    public let bestScheme: AugmentationScheme?
    public let bestFloor: Double?
    /// Size of the orbit {I, g, g², …}; nil for continuous families.
    public let orbitSize: Int?
    /// N where augmenting with this operation alone (best scheme) stops helping; only for
    /// approximate operations.
    public let crossoverN: Double?
    /// Where the images fall when the mirror test lacked coverage (what data would decide it).
    public let imageRegion: ImageRegion?

    public var name: String { operation.name }
    public var coverage: Double { mirror.coverage }
}

public struct GroupSummary: Sendable {
    /// |G| of the group generated by the exact discrete operations (nil when continuous).
    public let order: Int?
    public let isContinuous: Bool
    public let isTruncated: Bool
    public let generators: [String]
}

/// Rotational symmetry found in one coordinate plane.
public enum RotationSymmetry: Sendable, Equatable {
    case continuous
    /// C_n: the largest n with an exact rotation by 360°/n.
    case cyclic(Int)
    case none
}

public struct PlaneRotation: Sendable {
    /// The two coordinates spanning the plane.
    public let axes: (String, String)
    public let symmetry: RotationSymmetry
}

/// Something a reader of the recommendation must know.
public enum Caveat: Sendable, Equatable {
    /// The centre is not a minimum: the hessian scheme is not offered.
    case hessianSchemeNeedsMinimum
    /// Approximate operations whose images mostly fall outside the data (coverage < 50 %).
    case lowCoverage(operations: [String])
    /// Augmenting with approximate operations biases the model towards the symmetrized label.
    case approximateFloor(Double)
    /// Left out: with the other chosen operations it would generate an infinite group.
    case leftOutInfiniteGroup(operation: String)
    /// The recommended operations generate more than `limit` elements.
    case groupTooLarge(limit: Int)
    /// A continuous family is augmented by sampled members.
    case continuousSampled
    /// Nothing qualifies for augmentation.
    case nothingToRecommend
    /// These operations could not be decided; they are left out of the group and the recommendation.
    case inconclusiveLeftOut(operations: [String])
}

/// Which operations to augment with and how. The command that does it is the report's to write.
public struct Recommendation: Sendable {
    public let operations: [SymmetryOperation]
    /// The scheme of the augmented labels: `naive` unless an approximate operation is chosen.
    public let scheme: AugmentationScheme
    /// Data-efficiency factor: the order of the group the recommended operations generate
    /// (nil when it is continuous or could not be closed).
    public let gainFactor: Int?
    /// N beyond which augmentation hurts (nil: never, the recommended operations are exact).
    public let crossoverN: Double?
    /// The RMSE floor the recommendation imposes (0 when only exact operations are used).
    public let floor: Double
    public let caveats: [Caveat]

    public var operationNames: [String] { operations.map(\.name) }
}

/// Label statistics used for defaults and for the report.
public struct LabelSummary: Sendable {
    public let mean: Double
    public let standardDeviation: Double
    public let minimum: Double
    public let maximum: Double

    public init(_ y: [Double]) {
        let n = Double(y.count)
        mean = y.reduce(0, +) / n
        // Σ(y − ȳ)² summed in index order from 0 (as reduce would), without an N-element temporary.
        var squares = 0.0
        for v in y { squares += (v - mean) * (v - mean) }
        standardDeviation = (squares / n).squareRoot()
        minimum = y.min() ?? .nan
        maximum = y.max() ?? .nan
    }
}

/// Something the reader of an analysis must know that is not tied to one operation.
public enum AnalysisWarning: Sendable, Equatable {
    case fit(FitWarning)
    /// The invariance tests ran on log y (labels positive, spanning `ratio` = max/min > 10³).
    case logTransform(ratio: Double)
    case molecule(MoleculeWarning)
}

/// Everything `analyze` found: one immutable value, rendered by the report layer.
public struct AnalysisResult: Sendable {
    public let configuration: AnalysisConfiguration
    public let rowCount: Int
    public let featureNames: [String]
    public let labelName: String
    public let labels: LabelSummary
    public let fit: FitOutcome
    public let transform: LabelTransform
    public let adequacy: ModelAdequacy
    public let operations: [OperationResult]
    /// Mode reflections left out because they are an operation already tested or an element of
    /// the exact group.
    public let coincidentOperations: [CoincidentOperation]
    /// The Hessian's modes after symmetrisation over the exact group of the coordinate
    /// operations: the vectors `reflect(mode K)` reflects along.
    public let symmetryAdaptedModes: HessianAnalysis
    public let group: GroupSummary
    public let planeRotations: [PlaneRotation]
    public let targetError: Double
    /// Breaking whose naive floor is below this counts as exact (label units).
    public let exactTolerance: Double
    /// Half a unit in the last written digit of the labels (label units), the resolution below
    /// which no breaking can be told from rounding; nil when it could not be determined.
    public let labelResolution: Double?
    /// The curve behind the gains and crossovers: the measured one where it was measured and
    /// falls with N, else the configuration's (assumed, given or read from a file).
    public let learningCurve: LearningCurveModel
    /// The curve measured on the data (`learningCurvePlan` quick or full); nil when off or not measurable.
    public let measuredLearningCurve: MeasuredLearningCurve?
    /// Why a requested measurement could not set the curve.
    public let learningCurveShortfall: LearningCurveShortfall?
    public let recommendation: Recommendation
    public internal(set) var warnings: [AnalysisWarning]
    /// The molecule, when the table came from molecular frames (`Analyzer.run(_:_:)` on a
    /// `MolecularTable`); nil otherwise.
    public internal(set) var molecule: MolecularSummary? = nil
}
