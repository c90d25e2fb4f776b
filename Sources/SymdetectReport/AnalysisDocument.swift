import Foundation
import SymdetectCore

// The JSON document `analyze --json` writes: the whole contract of SPEC §4 plus the evidence
// behind every verdict. It embeds the `input` and `fit` sections `fit --json` writes
// (FitDocument.swift) and follows the same rules: every number that can be undefined or
// non-finite is `Double?` (non-finite → nil through `finiteOrNil`), and the hand-written
// `encode(to:)` methods write nil as an explicit `null`, so every documented key is always
// present. Encoding goes through `DocumentEncoder` (sorted keys): the same result gives the
// same bytes.

/// RMSE and MAE of one scheme's leftover label error, label units.
public struct FloorEntry: Codable, NullEncoded, Sendable, Equatable {
    public var rmse: Double?
    public var mae: Double?

    public init(rmse: Double?, mae: Double?) {
        self.rmse = rmse
        self.mae = mae
    }

    init(_ estimate: FloorEstimate) {
        rmse = finiteOrNil(estimate.rmse)
        mae = finiteOrNil(estimate.mae)
    }
}

/// `floors`: one entry per augmentation scheme, `null` where the scheme does not apply (e.g.
/// `hessian` when the centre is not a minimum).
public struct FloorsEntry: Codable, NullEncoded, Sendable, Equatable {
    public var naive: FloorEntry?
    public var hessian: FloorEntry?
    public var taylor: FloorEntry?

    public init(naive: FloorEntry?, hessian: FloorEntry?, taylor: FloorEntry?) {
        self.naive = naive
        self.hessian = hessian
        self.taylor = taylor
    }

    init(_ floors: SchemeFloors) {
        naive = floors.naive.map(FloorEntry.init)
        hessian = floors.hessian.map(FloorEntry.init)
        taylor = floors.taylor.map(FloorEntry.init)
    }

    public subscript(scheme: AugmentationScheme) -> FloorEntry? {
        switch scheme {
        case .naive: return naive
        case .hessian: return hessian
        case .taylor: return taylor
        }
    }
}

/// A fitted term that breaks a symmetry: the force constant of its monomial (α!·β_α).
public struct BreakingTermEntry: Codable, NullEncoded, Sendable, Equatable {
    /// "φ111" (1-based indices, as chemists write it).
    public var forceConstant: String
    public var monomial: String
    public var value: Double?
    public var stderr: Double?
    /// |antisymmetric coefficient| / its standard error.
    public var zScore: Double?

    init(_ term: BreakingTerm) {
        forceConstant = term.forceConstant
        monomial = term.monomial
        value = finiteOrNil(term.value)
        stderr = term.stderr.flatMap(finiteOrNil)
        zScore = finiteOrNil(term.zScore)
    }
}

/// One tested operation: both tests, the verdict and why, and the predicted floors.
public struct OperationEntry: Codable, NullEncoded, Sendable, Equatable {
    /// In the `--op` syntax, e.g. "reflect(q1)", "rotate(x,y,*)".
    public var name: String
    /// Where the operation comes from: "coordinate" (a default candidate acting on the
    /// coordinates), "mode" (a reflection along a Hessian mode), "pointGroup" (a molecule's
    /// point-group operation acting on its normal coordinates) or "user" (named with --op).
    public var kind: String
    /// G of g·x = c + G(x − c), rows in feature order; for a continuous family its first tested member.
    public var matrix: [[Double?]]
    /// Whether the operation is a continuous family (tested at several generic members).
    public var continuous: Bool
    /// "exact", "approximate" or "absent".
    public var verdict: String
    /// "taylor" or "mirror": the test whose evidence decided.
    /// "taylor" or "mirror"; null when the verdict is inconclusive.
    public var decidedBy: String?
    /// What the verdict rests on: noSignificantBreaking, negligibleBreaking, floorWithinTarget,
    /// floorsAboveTarget or noEvidence.
    public var basis: String
    /// What kept a test from speaking: mirrorCoverageTooLow, modelInadequate, taylorUndefined.
    public var limitations: [String]
    public var reason: String
    /// The deciding p-value, raw and Holm-adjusted across the tested operations.
    public var pValue: Double?
    public var adjustedPValue: Double?
    /// Each test's own p-value (null when it is undefined, e.g. too little mirror coverage).
    public var taylorPValue: Double?
    public var mirrorPValue: Double?
    /// Lowest order with significant antisymmetric Taylor terms (2 harmonic coupling, 3 cubic, ...), null if unbroken.
    public var breakingOrder: Int?
    /// Estimated RMS(y(x) − y(g·x)), label units.
    public var breakingRMS: Double?
    /// The force constants that break the symmetry at the breaking order (largest |z| first).
    public var breakingTerms: [BreakingTermEntry]
    /// Fraction of tested samples whose image has near neighbours (the mirror test's support).
    public var coverage: Double?
    public var mirrorTested: Int
    public var mirrorUsable: Int
    /// Fraction of usable pairs whose mirror residual exceeds the leave-one-out residual (½ under symmetry).
    public var mirrorExceedFraction: Double?
    /// RMS of the mirror test's leave-one-out residuals, label units (its noise floor).
    public var mirrorLooRms: Double?
    /// The floors used for the verdict and the recommendation, and where they came from ("taylor" or "mirror").
    public var floors: FloorsEntry
    public var floorSource: String
    public var modelFloors: FloorsEntry
    public var mirrorFloors: FloorsEntry?
    /// Scheme with the lowest predicted RMSE floor among those the verdict rests on, and that floor.
    public var bestScheme: String?
    public var bestFloor: Double?
    /// |{I, g, g², …}|; null for a continuous family.
    public var orbitSize: Int?
    /// N beyond which augmenting with this operation alone stops helping (approximate operations).
    public var crossoverN: Double?

    init(_ r: OperationResult, reason: String, kind: String) {
        name = r.name
        self.kind = kind
        matrix = r.operation.matrix.nested.map { $0.map(finiteOrNil) }
        continuous = r.operation.isContinuous
        verdict = r.verdict.rawValue
        decidedBy = r.decidedBy?.rawValue
        basis = Self.code(r.basis)
        limitations = r.limitations.map(Self.code)
        self.reason = reason
        pValue = r.pValue.flatMap(finiteOrNil)
        adjustedPValue = r.adjustedPValue.flatMap(finiteOrNil)
        taylorPValue = r.taylor.pValue.flatMap(finiteOrNil)
        mirrorPValue = r.mirror.pValue.flatMap(finiteOrNil)
        breakingOrder = r.breakingOrder
        breakingRMS = r.breakingRMS.flatMap(finiteOrNil)
        breakingTerms = r.breakingOrder == nil ? [] : r.taylor.responsible.map(BreakingTermEntry.init)
        coverage = finiteOrNil(r.coverage)
        mirrorTested = r.mirror.tested
        mirrorUsable = r.mirror.usable
        mirrorExceedFraction = r.mirror.exceedFraction.flatMap(finiteOrNil)
        mirrorLooRms = r.mirror.looRMS.flatMap(finiteOrNil)
        floors = FloorsEntry(r.floors)
        floorSource = r.floorSource.rawValue
        modelFloors = FloorsEntry(r.modelFloors)
        mirrorFloors = r.mirrorFloors.map(FloorsEntry.init)
        bestScheme = r.bestScheme?.rawValue
        bestFloor = r.bestFloor.flatMap(finiteOrNil)
        orbitSize = r.orbitSize
        crossoverN = r.crossoverN.flatMap(finiteOrNil)
    }

    static func code(_ b: VerdictBasis) -> String {
        switch b {
        case .noSignificantBreaking: return "noSignificantBreaking"
        case .negligibleBreaking: return "negligibleBreaking"
        case .floorWithinTarget: return "floorWithinTarget"
        case .floorsAboveTarget: return "floorsAboveTarget"
        case .withinMisfit: return "withinMisfit"
        case .beyondMisfit: return "beyondMisfit"
        case .noEvidence: return "noEvidence"
        }
    }

    static func code(_ l: EvidenceLimitation) -> String {
        switch l {
        case .mirrorCoverageTooLow: return "mirrorCoverageTooLow"
        case .modelInadequate: return "modelInadequate"
        case .taylorUndefined: return "taylorUndefined"
        case .mirrorLacksResolution: return "mirrorLacksResolution"
        }
    }
}

/// A mode reflection left out because it is the same operation as `sameAs` (null: a product of
/// the exact operations).
public struct CoincidentOperationEntry: Codable, NullEncoded, Sendable, Equatable {
    public var name: String
    public var sameAs: String?
}

/// `group`: the group the exact operations generate.
public struct GroupEntry: Codable, NullEncoded, Sendable, Equatable {
    /// |G|, null when the group is continuous.
    public var order: Int?
    public var continuous: Bool
    /// The closure stopped at its element cap (the listed order is a lower bound).
    public var truncated: Bool
    public var generators: [String]

    init(_ g: GroupSummary) {
        order = g.order
        continuous = g.isContinuous
        truncated = g.isTruncated
        generators = g.generators
    }
}

/// Rotational symmetry found in one coordinate plane ("continuous", "C4", ..., "none").
public struct PlaneRotationEntry: Codable, NullEncoded, Sendable, Equatable {
    public var plane: String
    public var symmetry: String
}

/// `modelAdequacy`: whether the Taylor test could be decisive.
public struct ModelAdequacyEntry: Codable, NullEncoded, Sendable, Equatable {
    public var adequate: Bool
    /// RMSE of the fit on the tested scale (after `transform`).
    public var fitRmse: Double?
    public var localNoise: Double?
    public var higherOrderPValue: Double?
    public var reason: String

    init(_ a: ModelAdequacy) {
        adequate = a.adequate
        fitRmse = finiteOrNil(a.fitRMSE)
        localNoise = a.localNoise.flatMap(finiteOrNil)
        higherOrderPValue = a.higherOrderPValue.flatMap(finiteOrNil)
        reason = Wording().adequacy(a)
    }
}

/// `transform`: the scale the invariance tests ran on.
public struct TransformEntry: Codable, NullEncoded, Sendable, Equatable {
    /// "auto", "none" or "log" as asked.
    public var choice: String
    /// "none" or "log" as used.
    public var applied: String
}

/// `labelSummary`: statistics of the label, label units.
public struct LabelSummaryEntry: Codable, NullEncoded, Sendable, Equatable {
    public var mean: Double?
    public var standardDeviation: Double?
    public var minimum: Double?
    public var maximum: Double?

    init(_ s: LabelSummary) {
        mean = finiteOrNil(s.mean)
        standardDeviation = finiteOrNil(s.standardDeviation)
        minimum = finiteOrNil(s.minimum)
        maximum = finiteOrNil(s.maximum)
    }
}

/// `learningCurve`: e(N) ≈ prefactor·N^(−slope), and where the slope came from.
public struct LearningCurveEntry: Codable, NullEncoded, Sendable, Equatable {
    public var prefactor: Double?
    public var slope: Double?
    /// Standard error of the measured slope; null when not measured here (or two sizes only).
    public var slopeStderr: Double?
    /// "assumed" (b = 0.5, a = the label's standard deviation), "measured" (here with quick or
    /// full, or from its file), "given", or "assumed (not measurable: …)".
    public var slopeSource: String
    /// Whether the curve was measured on these data.
    public var measured: Bool
    /// "quick", "full" or "off".
    public var mode: String
    /// Mean test RMSE of the baseline and of the recommended augmentation per size (null where skipped).
    public var points: [LearningCurvePointEntry]
    public var measurement: LearningCurveMeasurementEntry?
}

/// One size of the measured curve.
public struct LearningCurvePointEntry: Codable, NullEncoded, Sendable, Equatable {
    public var n: Int
    public var baseline: Double?
    public var augmented: Double?
    /// Sample standard deviations over the splits.
    public var baselineSD: Double?
    public var augmentedSD: Double?
}

/// How the curve was measured and every augmented series.
public struct LearningCurveMeasurementEntry: Codable, NullEncoded, Sendable, Equatable {
    public var rows: Int
    public var rowsUsed: Int
    public var testSize: Int
    public var repeats: Int
    public var seed: UInt64
    public var sizes: [Int]
    /// The largest N the mode allows.
    public var sizeCap: Int
    public var sizeCapped: Bool
    public var testSizeCapped: Bool
    public var maximumTrainingPoints: Int
    public var augmentations: [MeasuredAugmentationEntry]
}

public struct MeasuredAugmentationEntry: Codable, NullEncoded, Sendable, Equatable {
    /// "recommendation" or "nearTarget" (an approximate operation with a floor near the target error).
    public var role: String
    public var operations: [String]
    public var scheme: String
    public var groupOrder: Int
    public var floor: Double?
    public var points: [MeasuredPointEntry]
    /// Measured gain (baseline samples needed for the same RMSE, over N) at the largest measured N.
    public var gainAtLargestN: Double?
    public var gainExtrapolated: Bool?
}

public struct MeasuredPointEntry: Codable, NullEncoded, Sendable, Equatable {
    public var n: Int
    public var rmse: Double?
    public var rmseSD: Double?
}

extension LearningCurveEntry {
    init(_ result: AnalysisResult, source: String) {
        prefactor = finiteOrNil(result.learningCurve.prefactor)
        slope = finiteOrNil(result.learningCurve.slope)
        let configuration = result.configuration
        switch configuration.learningCurvePlan {
        case .off: mode = "off"
        case .quick: mode = "quick"
        case .full: mode = "full"
        }
        points = []
        measurement = nil
        slopeSource = source
        measured = configuration.learningCurveSource == .measured
        if let m = result.measuredLearningCurve {
            let rec = m.recommended
            points = m.baseline.points.enumerated().map { k, p in
                let a = rec?.series.points[k]
                return LearningCurvePointEntry(n: p.n, baseline: p.rmseMean.flatMap(finiteOrNil), augmented: a?.rmseMean.flatMap(finiteOrNil),
                                               baselineSD: p.rmseSD.flatMap(finiteOrNil), augmentedSD: a?.rmseSD.flatMap(finiteOrNil))
            }
            measurement = LearningCurveMeasurementEntry(
                rows: m.rowCount, rowsUsed: m.rowsUsed, testSize: m.testSize, repeats: m.repeats, seed: m.seed, sizes: m.sizes,
                sizeCap: m.sizeCap, sizeCapped: m.sizeCapped, testSizeCapped: m.testCapped, maximumTrainingPoints: m.maximumTrainingPoints,
                augmentations: m.augmentations.map { a in
                    MeasuredAugmentationEntry(
                        role: a.role == .recommendation ? "recommendation" : "nearTarget", operations: a.operations,
                        scheme: a.scheme.rawValue, groupOrder: a.groupOrder, floor: finiteOrNil(a.floor),
                        points: a.series.points.map { MeasuredPointEntry(n: $0.n, rmse: $0.rmseMean.flatMap(finiteOrNil), rmseSD: $0.rmseSD.flatMap(finiteOrNil)) },
                        gainAtLargestN: a.gainAtLargestN.flatMap { finiteOrNil($0.gain) }, gainExtrapolated: a.gainAtLargestN?.extrapolated)
                })
            if m.model != nil {
                measured = true
                slopeStderr = m.fit?.slopeStandardError.flatMap(finiteOrNil)
            }
        }
    }
}

/// `recommendation`: what to augment with, how, what it gains and up to where.
public struct RecommendationEntry: Codable, NullEncoded, Sendable, Equatable {
    public var operations: [String]
    public var scheme: String
    /// The order of the group the recommended operations generate; null when continuous.
    public var gainFactor: Int?
    /// N beyond which augmentation hurts; null when it never does (only exact operations).
    public var crossoverN: Double?
    /// The RMSE floor the recommendation imposes, label units (0 with only exact operations).
    public var floor: Double?
    /// The `symdetect augment ...` command that writes the augmented data; null when nothing is recommended.
    public var command: String?
    public var caveats: [String]

    init(_ r: Recommendation, command: String?, wording: Wording) {
        operations = r.operationNames
        scheme = r.scheme.rawValue
        gainFactor = r.gainFactor
        crossoverN = r.crossoverN.flatMap(finiteOrNil)
        floor = finiteOrNil(r.floor)
        self.command = command
        caveats = r.caveats.map(wording.caveat)
    }
}

/// The options that shaped the analysis (beyond the fit's, which `fit` records).
public struct AnalysisOptionsEntry: Codable, NullEncoded, Sendable, Equatable {
    public var alpha: Double?
    /// `--target-error` as given; null = the default (1 % of the label's standard deviation).
    public var targetErrorOption: Double?
    /// `--exact-tolerance` as given; null = the default (10⁻³ × the target error).
    public var exactToleranceOption: Double?
    /// `--op` strings as given.
    public var operations: [String]
    public var onlyListedOperations: Bool
}

/// Which tool and which bytes produced the document.
public struct ProvenanceEntry: Codable, NullEncoded, Sendable, Equatable {
    public var tool: String
    public var version: String?
    /// SHA-256 of the input file, lower-case hex; null when it was not computed.
    public var inputSHA256: String?

    public init(tool: String = "symdetect", version: String?, inputSHA256: String?) {
        self.tool = tool
        self.version = version
        self.inputSHA256 = inputSHA256
    }
}

/// What `symdetect analyze --json` writes (SPEC §4), schema version 1.
///
/// Contract fields: schemaVersion, input, fit, operations[{name, matrix, verdict, pValue,
/// breakingOrder, breakingRMS, coverage, floors}], group{order, generators},
/// recommendation{operations, scheme, gainFactor, crossoverN, command}. Everything else is an
/// addition. Undefined and non-finite numbers are `null`; keys are never omitted.
public struct AnalysisDocument: Codable, NullEncoded, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var provenance: ProvenanceEntry
    public var input: InputSection
    public var fit: FitSection
    public var labelSummary: LabelSummaryEntry
    public var transform: TransformEntry
    public var modelAdequacy: ModelAdequacyEntry
    public var options: AnalysisOptionsEntry
    /// The tolerance on floors used for the verdicts, label units.
    public var targetError: Double?
    /// Breaking whose naive floor is below this counts as exact, label units.
    public var exactTolerance: Double?
    /// Half a unit in the last written digit of the labels; null when undetermined.
    public var labelResolution: Double?
    public var operations: [OperationEntry]
    public var coincidentOperations: [CoincidentOperationEntry]
    public var group: GroupEntry
    public var planeRotations: [PlaneRotationEntry]
    public var learningCurve: LearningCurveEntry
    public var recommendation: RecommendationEntry
    public var warnings: [String]
    /// The molecule (SPEC §2b); null unless the input was molecular frames.
    public var molecule: MoleculeEntry?

    /// - Parameters:
    ///   - input: the `input` section (the path as given on the command line).
    ///   - provenance: tool version and input digest, supplied by the caller (no I/O here).
    ///   - context: the report context (units, the options the `augment` command repeats).
    public init(result: AnalysisResult, input: InputSection, provenance: ProvenanceEntry, context: ReportContext) {
        let wording = Wording(units: context.units)
        schemaVersion = Self.currentSchemaVersion
        self.provenance = provenance
        self.input = input
        fit = FitSection(outcome: result.fit)
        labelSummary = LabelSummaryEntry(result.labels)
        transform = TransformEntry(choice: result.configuration.transform.rawValue, applied: result.transform.rawValue)
        modelAdequacy = ModelAdequacyEntry(result.adequacy)
        let configuration = result.configuration
        options = AnalysisOptionsEntry(alpha: finiteOrNil(configuration.alpha),
                                       targetErrorOption: configuration.targetError.flatMap(finiteOrNil),
                                       exactToleranceOption: configuration.exactTolerance.flatMap(finiteOrNil),
                                       operations: configuration.operations.map(\.text),
                                       onlyListedOperations: configuration.onlyListedOperations)
        targetError = finiteOrNil(result.targetError)
        exactTolerance = finiteOrNil(result.exactTolerance)
        labelResolution = result.labelResolution.flatMap(finiteOrNil)
        let listed = Set(configuration.operations.compactMap {
            try? $0.resolve(names: result.featureNames, modes: result.symmetryAdaptedModes.eigenvectors).name
        })
        operations = result.operations.map {
            OperationEntry($0, reason: wording.reason($0, alpha: configuration.alpha, names: result.featureNames),
                           kind: Self.kindCode($0.operation, listed: listed))
        }
        coincidentOperations = result.coincidentOperations.map { CoincidentOperationEntry(name: $0.name, sameAs: $0.sameAs) }
        group = GroupEntry(result.group)
        planeRotations = result.planeRotations.map {
            PlaneRotationEntry(plane: "\($0.axes.0),\($0.axes.1)", symmetry: Wording.rotation($0.symmetry))
        }
        learningCurve = LearningCurveEntry(result, source: Wording.learningCurveSourceCode(result, file: context.learningCurvePath))
        recommendation = RecommendationEntry(result.recommendation, command: context.augmentCommand(result.recommendation), wording: wording)
        warnings = result.warnings.map { Wording.warning($0, labelName: result.labelName) }
        molecule = result.molecule.map(MoleculeEntry.init)
    }

    /// The `kind` of an operation (see `OperationEntry.kind`); `listed` holds the names of the
    /// operations given with --op.
    static func kindCode(_ op: SymmetryOperation, listed: Set<String>) -> String {
        switch op.kind {
        case .pointGroup, .axialRotation: return "pointGroup"
        case .reflectMode: return listed.contains(op.name) ? "user" : "mode"
        default: return listed.contains(op.name) ? "user" : "coordinate"
        }
    }

    /// The document as deterministic JSON (see `DocumentEncoder`).
    public func jsonData() throws -> Data { try DocumentEncoder.encode(self) }
}
