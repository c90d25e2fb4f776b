extension ModelAdequacy {
    /// Labels reproduced to this fraction of their spread count as reproduced to round-off.
    static let roundOffFraction = 1e-9

    /// The Taylor test is decisive only where the model is adequate (SPEC §2.5): it reproduces
    /// the labels to round-off, or (a) the terms one order higher are testable and not
    /// significant (nested F test, p ≥ `misfitP`; a misfit that cannot be tested is not ruled
    /// out) and (b) its RMSE is no more than `noiseRatio` × the local
    /// leave-one-out noise estimate.
    /// `testedLabels`: the labels on the tested scale (`context.transform` applied), when the
    /// caller has them already.
    static func assess(_ fit: TaylorFit, higher: TaylorFit?, context: MirrorContext, spread: Double,
                       testedLabels: [Double]? = nil) -> ModelAdequacy {
        let local = context.localNoise
        if fit.rmse <= roundOffFraction * max(spread, .leastNormalMagnitude) {
            return ModelAdequacy(reproducesLabels: true, problems: [], fitRMSE: fit.rmse, localNoise: local, higherOrderPValue: nil)
        }
        let table = context.table
        let higherOne = higher?.order == fit.order + 1 ? higher : nil
        let tested = testedLabels ?? (context.transform == .none ? table.labels : table.labels.map(context.transform.apply))
        let pHigher = FitPipeline.higherOrderPValue(table, labels: tested, fit: fit, higher: higherOne)
        var problems: [AdequacyProblem] = []
        if let p = pHigher {
            if p < misfitP { problems.append(.higherOrderTermsSignificant(order: fit.order + 1, pValue: p)) }
        } else {
            problems.append(.misfitUntestable(order: fit.order + 1))
        }
        if let local, fit.rmse > noiseRatio * local { problems.append(.misfitAboveLocalNoise(fitRMSE: fit.rmse, localNoise: local)) }
        return ModelAdequacy(reproducesLabels: false, problems: problems, fitRMSE: fit.rmse, localNoise: local, higherOrderPValue: pHigher)
    }
}
