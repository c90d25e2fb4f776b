import Foundation
import SymdetectCore

/// The words for the analysis' typed values: verdict reasons, adequacy, caveats, warnings,
/// centres, progress. Shared by the Markdown report, the JSON documents and the command line's
/// summaries, so each thing is said one way everywhere.
public struct Wording: Sendable {
    /// Label units shown next to amounts (e.g. "cm^-1"); nil for none.
    public var units: String?

    public init(units: String? = nil) { self.units = units }

    static func f3(_ x: Double) -> String { NumberFormatting.format(x, digits: 3) }

    /// A value in label units, e.g. "0.512 cm^-1".
    public func amount(_ x: Double, digits: Int = 3) -> String {
        NumberFormatting.format(x, digits: digits) + (units.map { " \($0)" } ?? "")
    }

    // MARK: Verdicts

    /// Whether a test's (Holm-adjusted) p-value decided the verdict, and so is worth showing.
    public static func pValueDecides(_ op: OperationResult) -> Bool {
        switch op.basis {
        case .noEvidence, .withinMisfit, .beyondMisfit: return false
        default: return true
        }
    }

    public static func testName(_ e: Evidence) -> String {
        e == .taylor ? "Taylor (Wald) test" : "mirror test"
    }

    /// Why an operation got its verdict, in one paragraph (no trailing period).
    public func reason(_ op: OperationResult, alpha: Double, names: [String]) -> String {
        let test = op.decidedBy.map(Self.testName) ?? "no test"
        let p = op.adjustedPValue.map { "Holm-adjusted p = \(NumberFormatting.format($0, digits: 3))" } ?? "no p-value"
        var s: String
        switch op.basis {
        case .noSignificantBreaking:
            s = "no significant breaking: \(test), \(p) ≥ α = \(Self.f3(alpha))"
        case let .negligibleBreaking(floor, tolerance):
            s = "a breaking is detectable (\(test), \(p)), but its RMS — the naive floor \(amount(floor)) — is below the exactness tolerance \(amount(tolerance)): exact for every practical purpose"
        case let .floorWithinTarget(scheme, floor, target):
            s = "broken (\(test), \(p)), but the \(scheme.rawValue) scheme's predicted RMSE floor \(amount(floor)) is within the target error \(amount(target))"
        case let .floorsAboveTarget(scheme, floor, target):
            let lowest = scheme.flatMap { sc in floor.map { "(\(sc.rawValue)) \(amount($0))" } } ?? "(none applies)"
            s = "broken (\(test), \(p)); the lowest predicted RMSE floor \(lowest) exceeds the target error \(amount(target))"
        case let .withinMisfit(floor, misfit):
            s = "the Taylor model is not adequate, but it misfits the labels by only \(amount(misfit)) (RMS), under half the target error, and its own breaking — a naive floor of \(amount(floor)) — is within \(NumberFormatting.format(VerdictRule.withinMisfitFactor, digits: 2))× that misfit: no breaking is resolvable above the model's misfit"
        case let .beyondMisfit(floor, misfit):
            let verdictText = op.verdict == .approximate ? "within" : "above"
            s = "the Taylor model is not adequate, but its breaking — a naive floor of \(amount(floor)) — is more than \(NumberFormatting.format(VerdictRule.beyondMisfitFactor, digits: 2))× its whole misfit of \(amount(misfit)) (RMS): broken by effect size, with the lowest floor \(op.bestFloor.map { amount($0) } ?? "undefined") \(verdictText) the target error"
        case .noEvidence:
            s = "neither test can speak: " + op.limitations.map(limitation).joined(separator: ", and ")
            s += ". " + whatWouldDecide(op, names: names)
            return s
        }
        let notes = op.limitations.compactMap { l -> String? in
            switch (l, op.decidedBy) {
            case (.modelInadequate, .mirror?): return "the Taylor model is not adequate, so the mirror test decides"
            case (.taylorUndefined, .mirror?): return "the Taylor test is undefined (no residual degrees of freedom)"
            case (.mirrorCoverageTooLow, .taylor?): return limitation(l)
            default: return nil
            }
        }
        if !notes.isEmpty { s += "; " + notes.joined(separator: "; ") }
        return s
    }

    public func limitation(_ l: EvidenceLimitation) -> String {
        switch l {
        case let .mirrorCoverageTooLow(usable, tested):
            return "the mirror test has too little coverage (\(usable) of \(tested) images fall inside the data; it needs \(MirrorTest.minimumPairs))"
        case .modelInadequate: return "the Taylor model is not adequate"
        case .taylorUndefined: return "the Taylor test is undefined (no residual degrees of freedom)"
        case let .mirrorLacksResolution(floor, target):
            return "the mirror test's local predictions are too coarse to rule out a breaking that matters (the smallest naive floor it resolves, \(Self.f3(floor)), exceeds the target error \(Self.f3(target)) on the scale the tests ran on), so its finding no breaking is no evidence of exactness"
        }
    }

    /// What data would decide an inconclusive operation.
    public func whatWouldDecide(_ op: OperationResult, names: [String]) -> String {
        var wants: [String] = []
        if let region = op.imageRegion {
            var beyond: [String] = []
            for (j, name) in names.enumerated() where j < region.imageRanges.count {
                let image = region.imageRanges[j], data = region.dataRanges[j]
                let slack = 1e-9 * max(data.upperBound - data.lowerBound, .leastNormalMagnitude)
                if image.lowerBound < data.lowerBound - slack || image.upperBound > data.upperBound + slack {
                    beyond.append("\(name) from \(NumberFormatting.format(image.lowerBound, digits: 4)) to \(NumberFormatting.format(image.upperBound, digits: 4)) (the data span \(NumberFormatting.format(data.lowerBound, digits: 4)) to \(NumberFormatting.format(data.upperBound, digits: 4)))")
                }
            }
            if beyond.isEmpty {
                wants.append("more samples near the images g·x of the existing ones (they fall between the samples)")
            } else {
                let shown = beyond.prefix(3).joined(separator: "; ")
                wants.append("samples where the images g·x fall: \(shown)" + (beyond.count > 3 ? "; and \(beyond.count - 3) more coordinates" : ""))
            }
        }
        if op.limitations.contains(where: { if case .mirrorLacksResolution = $0 { return true }; return false }) {
            wants.append("denser samples, so that neighbours predict the label more closely than the target error")
        }
        if op.limitations.contains(.modelInadequate) || op.limitations.contains(.taylorUndefined) {
            wants.append("enough samples near the centre for a Taylor model without misfit")
        }
        return "It is left out of the group and the recommendation. To decide it, add " + wants.joined(separator: ", or ")
    }

    // MARK: Model

    public func adequacy(_ a: ModelAdequacy) -> String {
        if a.reproducesLabels { return "the model reproduces the labels to round-off" }
        if a.problems.isEmpty { return "no misfit detected beyond the noise" }
        return a.problems.map { problem in
            switch problem {
            case let .higherOrderTermsSignificant(order, p):
                return "order-\(order) terms are significant, p = \(NumberFormatting.format(p, digits: 3))"
            case let .misfitUntestable(order):
                return "too few rows for the order-\(order) model that would reveal a misfit, so the model's adequacy is unknown"
            case let .misfitAboveLocalNoise(rmse, local):
                return "fit RMSE \(Self.f3(rmse)) exceeds \(NumberFormatting.format(ModelAdequacy.noiseRatio, digits: 2))× the local noise estimate \(Self.f3(local))"
            }
        }.joined(separator: "; ")
    }

    /// JSON's `centerKind`.
    public static func centerKindCode(_ k: CenterKind) -> String {
        switch k {
        case .stationary(let s):
            switch s {
            case .minimum: return "minimum"
            case .maximum: return "maximum"
            case .saddle: return "saddle"
            case .degenerate: return "degenerate"
            }
        case .notConverged: return "not converged"
        case .fallback: return "lowest sample, stationary-point search abandoned"
        case .origin: return "origin"
        case .mean: return "mean"
        case .lowestSample: return "min"
        case .given: return "given"
        }
    }

    public static func fallback(_ f: CenterFallback) -> String {
        switch f {
        case let .leftTheData(point):
            return "the stationary point of the fitted model (\(point.map { NumberFormatting.format($0, digits: 4) }.joined(separator: ", "))) lies outside the range of the data"
        case let .singularHessian(condition):
            return "the Hessian at the stationary point is singular (condition number \(NumberFormatting.format(condition, digits: 2))): the label does not depend on some directions, so the stationary point is not unique"
        }
    }

    public static func fitWarning(_ w: FitWarning) -> String {
        switch w {
        case let .rankDeficient(rank, p, combinations):
            return "the design is rank deficient (rank \(rank) of \(p)): the data cannot separate \(combinations.joined(separator: "; ")); the minimum-norm solution is reported and the affected standard errors are undefined"
        case .noResidualDegreesOfFreedom: return "no residual degrees of freedom: standard errors are undefined"
        case .leverageOne: return "some samples have leverage 1 (the model interpolates them): leave-one-out RMSE is undefined"
        case let .searchNotConverged(iterations):
            return "the stationary-point search did not converge in \(iterations) Newton steps; the last centre is used"
        case let .searchAbandoned(f):
            return "the stationary-point search was abandoned — \(fallback(f)) — and the lowest-label sample is the centre instead; no mode reflections are tested"
        case let .centerOutsideData(center):
            return "the centre \(center.map { String(format: "%.6g", $0) }.joined(separator: ", ")) lies outside the range of the data: the expansion is an extrapolation"
        }
    }

    public static func warning(_ w: AnalysisWarning, labelName: String) -> String {
        switch w {
        case .fit(let f): return fitWarning(f)
        case .logTransform(let ratio):
            return "labels span \(NumberFormatting.format(ratio, digits: 3))× (> 10³): invariance tests ran on log(\(labelName)); floors are in label units"
        case .molecule(let m): return moleculeWarning(m)
        }
    }

    public static func moleculeWarning(_ w: MoleculeWarning) -> String {
        switch w {
        case let .orderLowered(requested, used, frames, coefficients):
            return "order \(requested) needs \(2 * coefficients) frames (2 per coefficient) and there are \(frames): the Taylor models use order \(used)"
        case let .orderLoweredWithForces(requested, used, frames, equationsPerFrame, coefficients):
            return "order \(requested) needs \(2 * coefficients) equations (2 per coefficient) and \(frames) frames with forces give \(frames * equationsPerFrame): the Taylor models use order \(used)"
        case .stationaryPointNotFound:
            return "the fitted energy has no stationary point among the frames: the lowest-energy frame is taken as the equilibrium structure"
        }
    }

    public static func rotation(_ r: RotationSymmetry) -> String {
        switch r {
        case .continuous: return "continuous"
        case .cyclic(let n): return "C\(n)"
        case .none: return "none"
        }
    }

    // MARK: Recommendation

    public func caveat(_ c: Caveat) -> String {
        switch c {
        case .hessianSchemeNeedsMinimum:
            return "the centre is not a minimum (Hessian not positive definite): the hessian scheme is not offered"
        case let .lowCoverage(ops):
            return "low mirror-test coverage (< 50 %) for \(ops.joined(separator: ", ")): the images of many samples fall outside the data, so floors rest on the Taylor model"
        case let .approximateFloor(floor):
            return "approximate operations bias a trained model towards the symmetrized label: the floor of \(NumberFormatting.format(floor, digits: 3)) is the error it cannot go below"
        case let .leftOutInfiniteGroup(op):
            return "\(op) is left out: together with the other operations it generates an infinite group"
        case let .groupTooLarge(limit):
            return "the recommended operations generate a group of more than \(limit) elements (likely infinite): augment with fewer operations"
        case .continuousSampled:
            return "a continuous symmetry is augmented by sampled members (see `symdetect augment --help`)"
        case .nothingToRecommend:
            return "no operation is exact or approximately usable within the target error: no augmentation is recommended"
        case let .inconclusiveLeftOut(ops):
            return "inconclusive — the data cannot decide them, so they are left out: \(ops.joined(separator: ", "))"
        }
    }

    // MARK: Progress

    public static func progress(_ p: AnalysisProgress) -> String {
        switch p {
        case .fitting: return "fitting the Taylor model"
        case .indexingNeighbours: return "building the neighbour index"
        case let .testing(op, k, n): return "testing \(op) (\(k)/\(n))"
        case .closingGroup: return "closing the group"
        case .recommending: return "recommending"
        case let .measuringLearningCurve(done, total):
            return total == 0 ? "measuring the learning curve" : "measuring the learning curve: \(done)/\(total) models trained"
        }
    }

    /// Where the analysis's learning curve came from, for the JSON's `slopeSource`.
    public static func learningCurveSourceCode(_ result: AnalysisResult, file: String?) -> String {
        if result.measuredLearningCurve?.model != nil {
            switch result.configuration.learningCurvePlan {
            case .full: return "measured (full)"
            default: return "measured (quick)"
            }
        }
        let fallback: String
        switch result.configuration.learningCurveSource {
        case .assumed: fallback = "assumed"
        case .measured: fallback = "measured" + (file.map { " (\($0))" } ?? "")
        case .givenSlope: fallback = "given"
        }
        guard let shortfall = result.learningCurveShortfall else { return fallback }
        return fallback + " (not measurable: " + learningCurveShortfall(shortfall) + ")"
    }

    /// Why a requested measurement could not set the curve.
    public static func learningCurveShortfall(_ s: LearningCurveShortfall) -> String {
        switch s {
        case let .tooFewRows(rows, available):
            return "\(rows) rows leave \(available) for training after the test set, fewer than the \(LearningCurveConfiguration.minimumSize << (MeasuredLearningCurve.minimumSizes - 1)) that three doubling sizes need"
        case let .slopeNotPositive(b):
            return "the measured baseline RMSE does not fall with N (fitted slope \(f3(b)))"
        case let .trainingFailed(reason):
            return "the kernel ridge model could not be trained (\(reason))"
        }
    }
}
