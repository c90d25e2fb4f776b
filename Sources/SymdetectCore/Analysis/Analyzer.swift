import Foundation

/// A stage of `Analyzer.run`, reported as it starts.
public enum AnalysisProgress: Sendable, Equatable {
    case fitting
    case indexingNeighbours
    case testing(operation: String, index: Int, of: Int)
    case closingGroup
    case recommending
    /// Measuring the learning curve: `done` of `total` kernel-ridge models trained.
    case measuringLearningCurve(done: Int, total: Int)
}

/// The pipeline of SPEC §2: table + configuration → AnalysisResult, as a short sequence of
/// named stages (each in Analysis/Stages).
public enum Analyzer {
    public static func run(_ table: SampleTable, _ configuration: AnalysisConfiguration,
                           progress: ((AnalysisProgress) -> Void)? = nil) throws -> AnalysisResult {
        let report = SynchronizedProgress(progress)
        // The shared subsample table is released below once its last user is done; on an early
        // exit (a thrown error) here too, so that it never outlives the analysis.
        defer { SeededSubsetCache.shared.forgetRows() }
        // Summaries of the labels are needed only after the fit: computed meanwhile.
        let labelFacts = BackgroundValue { (LabelSummary(table.labels), LabelResolution.estimate(table.labels)) }

        // The mirror test's neighbour index and the floors' seeded subsets depend on the
        // coordinates alone: built on another thread while the model is fitted.
        let index = BackgroundValue { (OperationEvidence.SubsetRows(table), MirrorContext.NeighbourIndex(table: table)) }

        // 1–3. The fit in label units, the tested scale and the adequacy of the model.
        report(.fitting)
        let outcome = try FitPipeline.run(table, configuration.fit)
        let scale = try TestedScale(table, choice: configuration.transform, outcome: outcome, radius: configuration.fit.radius)
        report(.indexingNeighbours)
        let context = MirrorContext(table: table, center: outcome.fit.center, transform: scale.transform, index: index.value.1)
        let (labels, resolution) = labelFacts.value
        let testedSpread = scale.transform == .none ? labels.standardDeviation : LabelSummary(scale.labels).standardDeviation
        let adequacy = ModelAdequacy.assess(scale.fit, higher: scale.higherOrderTestedFit, context: context, spread: testedSpread,
                                            testedLabels: scale.labels)
        // The auxiliary fits on the seeded subsample are done: its table need not stay in memory.
        SeededSubsetCache.shared.forgetRows()

        // Thresholds of the verdict rule (SPEC §2.6).
        let target = configuration.targetError ?? AnalysisConfiguration.defaultTargetFraction * labels.standardDeviation
        let tolerance = max(configuration.exactTolerance ?? AnalysisConfiguration.defaultExactToleranceFraction * target, resolution ?? 0)
        let curve = LearningCurveModel(prefactor: configuration.prefactor ?? labels.standardDeviation, slope: configuration.slope)
        let testedTarget = scale.transform == .none ? target : target * testedSpread / max(labels.standardDeviation, .leastNormalMagnitude)
        let rule = VerdictRule(alpha: configuration.alpha, targetError: target, testedTargetError: testedTarget,
                               exactTolerance: tolerance, adequacy: adequacy,
                               convex: outcome.hessian.kind == .minimum && outcome.center.flatDirections == 0,
                               learningCurve: curve,
                               misfitEffectSize: !adequacy.adequate && !adequacy.reproducesLabels && scale.transform == .none
                                   && VerdictRule.withinMisfitFactor * adequacy.fitRMSE <= target ? adequacy.fitRMSE : nil)
        let inputs = OperationEvidence.Inputs(
            table: table, outcome: outcome, scale: scale, context: context, alpha: configuration.alpha, testedSpread: testedSpread,
            centerIsFitted: outcome.center.kind.isStationaryPoint && scale.transform == .none, subsets: index.value.0)

        // 4–6. Coordinate operations first; their exact group symmetrises the Hessian whose
        // modes define the mode reflections; then verdicts over all of them (one Holm family).
        let coordinateOps = try Candidates.coordinateRound(table, configuration: configuration)
        let coordinateEvidence = OperationEvidence.gather(coordinateOps, inputs, progress: report)
        let firstGroup = ExactGroup.closure(of: rule.decideAll(coordinateEvidence), dimension: table.dimension,
                                            limit: ExactGroup.membershipLimit)
        let modeRound = try Candidates.modeRound(table, configuration: configuration, outcome: outcome, tested: coordinateOps,
                                                 exactGroup: firstGroup.isTruncated ? [] : firstGroup.elements)
        let modeEvidence = OperationEvidence.gather(modeRound.operations, inputs, progress: report)
        let evidence = coordinateEvidence + modeEvidence
        var results = rule.decideAll(evidence)

        // 7. The exact group; 9. the recommendation.
        report(.closingGroup)
        let group = ExactGroup.summary(results, dimension: table.dimension)
        report(.recommending)
        var recommendation = RecommendationRule.recommend(results, group: group, curve: curve, convex: rule.convex,
                                                          dimension: table.dimension)

        // 8. The learning curve measured with the recommended operations (which the steps above
        // chose; the curve changes no verdict and no choice), then the crossovers from it.
        var measured: MeasuredLearningCurve?
        var shortfall: LearningCurveShortfall?
        var usedCurve = curve
        if configuration.learningCurvePlan != .off {
            report(.measuringLearningCurve(done: 0, total: 0))
            let outcome = try MeasuredLearningCurve.measure(
                table, plan: configuration.learningCurvePlan, fit: outcome, recommendation: recommendation, results: results,
                target: target, seed: configuration.learningCurveSeed) { p in report(.measuringLearningCurve(done: p.done, total: p.total)) }
            switch outcome {
            case .failure(let reason): shortfall = reason
            case .success(let m):
                measured = m
                if let model = m.model {
                    usedCurve = model
                    results = rule.with(learningCurve: model).decideAll(evidence)
                    recommendation = RecommendationRule.recommend(results, group: group, curve: model, convex: rule.convex,
                                                                  dimension: table.dimension)
                } else {
                    shortfall = .slopeNotPositive(m.fit?.slope ?? 0)
                }
            }
        }
        var warnings = outcome.warnings.map(AnalysisWarning.fit)
        if scale.transform == .log { warnings.append(.logTransform(ratio: labels.maximum / labels.minimum)) }
        return AnalysisResult(
            configuration: configuration, rowCount: table.count, featureNames: table.featureNames,
            labelName: table.labelName, labels: labels, fit: outcome, transform: scale.transform, adequacy: adequacy,
            operations: results, coincidentOperations: modeRound.coincident, symmetryAdaptedModes: modeRound.modes,
            group: group, planeRotations: ExactGroup.planeRotations(results, names: table.featureNames),
            targetError: target, exactTolerance: tolerance, labelResolution: resolution,
            learningCurve: usedCurve, measuredLearningCurve: measured, learningCurveShortfall: shortfall,
            recommendation: recommendation, warnings: warnings)
    }
}

/// Forwards progress from concurrent work one message at a time.
final class SynchronizedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: ((AnalysisProgress) -> Void)?
    init(_ sink: ((AnalysisProgress) -> Void)?) { self.sink = sink }
    func callAsFunction(_ event: AnalysisProgress) {
        guard let sink else { return }
        lock.lock(); defer { lock.unlock() }
        sink(event)
    }
}
