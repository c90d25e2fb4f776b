/// The verdict of SPEC §2.6 for one operation, from its evidence and the analysis' thresholds.
///
/// 1. Which test may speak: the Taylor test where the model is adequate and it has a p-value;
///    the mirror test where at least `MirrorTest.minimumPairs` images fall inside the data.
///    Both: Bonferroni, p = min(1, 2·min(p_T, p_M)), the smaller decides. Neither: `inconclusive`.
/// 2. Holm-adjusted p ≥ α: `exact` (no significant breaking) — but only if the deciding test
///    could have resolved a breaking that matters. The mirror test alone cannot where the
///    smallest naive floor it resolves (half its resolvable breaking RMS) exceeds the target
///    error: then `inconclusive`.
/// 5. Where that leaves `inconclusive` and the model, though not adequate, misfits the labels by
///    at most half the target error (`misfitEffectSize`, label scale only), its antisymmetric
///    part is an effect size to be compared with the misfit (SPEC §2.5). Misfit leaks into the
///    odd coefficients, so an exactly symmetric label still shows a model naive floor of the
///    order of the misfit RMS: a floor within `withinMisfitFactor` × the misfit is `exact` (no
///    breaking resolvable above the misfit; any that hides there leaves a floor below the target
///    error), one above `beyondMisfitFactor` × the misfit is broken (approximate or absent by the
///    model's floors); in between it stays `inconclusive`.
/// 3. Broken, but the naive floor (the RMS of the breaking) ≤ the exactness tolerance: `exact`.
/// 4. Broken, and the lowest floor of the schemes that do not lean on the fitted odd terms
///    (`naive`, `hessian`) ≤ the target error: `approximate`; otherwise `absent`. With a good
///    model the `taylor` scheme can correct *any* operation, which says nothing about the
///    symmetry itself; it competes only in the recommendation.
public struct VerdictRule {
    let alpha: Double
    let targetError: Double
    /// The target error on the tested scale: the same fraction of the tested labels' spread.
    let testedTargetError: Double
    let exactTolerance: Double
    let adequacy: ModelAdequacy
    /// The centre is a minimum (the `hessian` scheme applies).
    let convex: Bool
    let learningCurve: LearningCurveModel
    /// The fit's RMSE in label units where the model is not adequate but misfits by less than
    /// the target error (and the labels are tested as they are); nil otherwise.
    let misfitEffectSize: Double?

    /// The same rule with another learning curve (it sets only the crossovers, never a verdict).
    func with(learningCurve curve: LearningCurveModel) -> VerdictRule {
        VerdictRule(alpha: alpha, targetError: targetError, testedTargetError: testedTargetError, exactTolerance: exactTolerance,
                    adequacy: adequacy, convex: convex, learningCurve: curve, misfitEffectSize: misfitEffectSize)
    }

    /// A model naive floor within this multiple of the misfit RMS is not resolvable above it.
    public static let withinMisfitFactor = 2.0
    /// A model naive floor beyond this multiple of the model's whole misfit RMS cannot be misfit
    /// absorbed into odd coefficients.
    public static let beyondMisfitFactor = 4.0

    /// Step 1: the test that speaks, its p-value and what kept the other from speaking.
    struct Choice {
        let decisive: Evidence?
        let pValue: Double?
        let limitations: [EvidenceLimitation]
    }

    func choose(_ e: OperationEvidence) -> Choice {
        var limitations: [EvidenceLimitation] = []
        if e.mirror.pValue == nil { limitations.append(.mirrorCoverageTooLow(usable: e.mirror.usable, tested: e.mirror.tested)) }
        if !adequacy.adequate { limitations.append(.modelInadequate) } else if e.taylor.pValue == nil { limitations.append(.taylorUndefined) }
        if let resolvable = e.mirror.resolvableBreakingRMS, resolvable / 2 > testedTargetError {
            limitations.append(.mirrorLacksResolution(resolvableFloor: resolvable / 2, target: testedTargetError))
        }
        let pT = adequacy.adequate ? e.taylor.pValue : nil
        switch (pT, e.mirror.pValue) {
        case let (t?, m?): return Choice(decisive: m < t ? .mirror : .taylor, pValue: min(1, 2 * min(t, m)), limitations: limitations)
        case let (t?, nil): return Choice(decisive: .taylor, pValue: t, limitations: limitations)
        case let (nil, m?): return Choice(decisive: .mirror, pValue: m, limitations: limitations)
        case (nil, nil): return Choice(decisive: nil, pValue: nil, limitations: limitations)
        }
    }

    /// Steps 2–4, given the Holm-adjusted p-value.
    func decide(_ e: OperationEvidence, choice: Choice, adjustedP: Double?) -> OperationResult {
        var useMirror = !adequacy.adequate && e.mirrorFloors != nil
        var floors = useMirror ? e.mirrorFloors! : e.modelFloors
        if !convex { floors.hessian = nil }
        var best = [AugmentationScheme.naive, .hessian].compactMap { s in floors[s].map { (scheme: s, rmse: $0.rmse) } }
            .min { $0.rmse < $1.rmse }
        let breakingRMS = choice.decisive == .mirror ? (e.mirror.breakingRMS ?? e.modelBreakingRMS) : e.modelBreakingRMS
        var verdict: Verdict
        var basis: VerdictBasis
        var broken: Bool
        var decidedBy = choice.decisive
        let mirrorAlone = choice.decisive == .mirror && !(adequacy.adequate && e.taylor.pValue != nil)
        let unresolved = mirrorAlone && choice.limitations.contains { if case .mirrorLacksResolution = $0 { return true }; return false }
        if choice.decisive == nil {
            (verdict, basis, broken) = (.inconclusive, .noEvidence, false)
        } else if (adjustedP ?? 1) >= alpha {
            if unresolved {
                (verdict, basis, broken) = (.inconclusive, .noEvidence, false)
            } else {
                (verdict, basis, broken) = (.exact, .noSignificantBreaking, false)
            }
        } else if let naive = floors.naive?.rmse, naive <= exactTolerance {
            (verdict, basis, broken) = (.exact, .negligibleBreaking(naiveFloor: naive, tolerance: exactTolerance), false)
        } else if let best, best.rmse <= targetError {
            (verdict, basis, broken) = (.approximate, .floorWithinTarget(scheme: best.scheme, floor: best.rmse, target: targetError), true)
        } else {
            (verdict, basis, broken) = (.absent, .floorsAboveTarget(scheme: best?.scheme, floor: best?.rmse, target: targetError), true)
        }
        // Step 5: the model's breaking against its misfit.
        if verdict == .inconclusive, let misfit = misfitEffectSize, let modelFloor = e.modelFloors.naive?.rmse {
            var modelFloors = e.modelFloors
            if !convex { modelFloors.hessian = nil }
            let modelBest = [AugmentationScheme.naive, .hessian].compactMap { s in modelFloors[s].map { (scheme: s, rmse: $0.rmse) } }
                .min { $0.rmse < $1.rmse }
            if modelFloor <= Self.withinMisfitFactor * misfit {
                (verdict, basis, broken) = (.exact, .withinMisfit(modelFloor: modelFloor, misfit: misfit), false)
                decidedBy = .taylor
            } else if modelFloor >= Self.beyondMisfitFactor * misfit, let modelBest {
                verdict = modelBest.rmse <= targetError ? .approximate : .absent
                basis = .beyondMisfit(modelFloor: modelFloor, misfit: misfit)
                broken = true
                decidedBy = .taylor
                floors = modelFloors
                useMirror = false
            }
        }
        if !useMirror {
            best = [AugmentationScheme.naive, .hessian].compactMap { s in floors[s].map { (scheme: s, rmse: $0.rmse) } }
                .min { $0.rmse < $1.rmse }
        }
        let orbit = e.operation.isContinuous ? nil : e.operation.orbitMatrices(limit: 1000).count
        let crossover: Double? = verdict == .approximate
            ? orbit.flatMap { n in best.flatMap { learningCurve.crossover(orbitSize: Double(n), floor: $0.rmse) } } : nil
        return OperationResult(
            operation: e.operation, verdict: verdict, basis: basis, decidedBy: verdict == .inconclusive ? nil : decidedBy,
            limitations: choice.limitations,
            taylor: e.taylor, mirror: e.mirror, pValue: choice.pValue, adjustedPValue: adjustedP,
            breakingOrder: broken ? e.taylor.breakingOrder : nil, breakingRMS: breakingRMS,
            modelFloors: e.modelFloors, mirrorFloors: e.mirrorFloors, floors: floors,
            floorSource: useMirror ? .mirror : .taylor,
            bestScheme: best?.scheme, bestFloor: best?.rmse, orbitSize: orbit, crossoverN: crossover,
            imageRegion: e.imageRegion)
    }

    /// Verdicts for all operations, with Holm's correction across those that have a p-value.
    func decideAll(_ evidence: [OperationEvidence]) -> [OperationResult] {
        let choices = evidence.map(choose)
        let adjusted = Holm.adjust(choices.map(\.pValue))
        return evidence.indices.map { decide(evidence[$0], choice: choices[$0], adjustedP: adjusted[$0]) }
    }
}
