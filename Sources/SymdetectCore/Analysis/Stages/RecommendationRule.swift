/// What to augment with (SPEC §2.9): the generators of the exact group, then the approximate
/// operations not already implied (and not making the group infinite), with the scheme of
/// lowest predicted floor among those approximate operations — `naive` when only exact
/// operations are chosen (a correction of an exact label only adds fit error).
/// Inconclusive operations are never chosen.
enum RecommendationRule {
    /// Approximate operations whose images mostly fall outside the data are flagged below this coverage.
    static let lowCoverage = 0.5

    static func recommend(_ results: [OperationResult], group: GroupSummary, curve: LearningCurveModel,
                          convex: Bool, dimension: Int) -> Recommendation {
        var caveats: [Caveat] = []
        var chosen = results.filter { $0.verdict == .exact && group.generators.contains($0.name) }.map(\.operation)
        var chosenApproximate: [OperationResult] = []
        for r in results where r.verdict == .approximate {
            if ExactGroup.implied(r.operation, by: chosen, dimension: dimension) { continue }
            // An operation that would make the generated group infinite (e.g. a mode reflection
            // tilted slightly off an exact axis reflection) cannot be augmented with.
            if !r.operation.isContinuous {
                let with = GroupClosure(generators: (chosen.filter { !$0.isContinuous } + [r.operation]).map(\.matrix),
                                        dimension: dimension, limit: ExactGroup.membershipLimit)
                if with.isTruncated {
                    caveats.append(.leftOutInfiniteGroup(operation: r.name))
                    continue
                }
            }
            chosen.append(r.operation)
            chosenApproximate.append(r)
        }
        var scheme = AugmentationScheme.naive
        var floor = 0.0
        if !chosenApproximate.isEmpty {
            // The hessian scheme corrects labels of involutions only (`Augmenter`): it is not
            // offered when the chosen operations generate any other element (a 120° rotation,
            // a sampled continuous family), or `augment` would refuse the command.
            let generated = GroupClosure(generators: chosen.filter { !$0.isContinuous }.map(\.matrix), dimension: dimension,
                                         limit: ExactGroup.membershipLimit)
            let involutive = !chosen.contains { $0.isContinuous } && !generated.isTruncated && generated.elements.allSatisfy(\.isInvolution)
            var bestFloor = Double.infinity
            for s in AugmentationScheme.allCases where s != .hessian || involutive {
                let values = chosenApproximate.compactMap { $0.floors[s]?.rmse }
                guard values.count == chosenApproximate.count, let f = values.max() else { continue }
                if f < bestFloor { bestFloor = f; scheme = s }
            }
            floor = bestFloor.isFinite ? bestFloor : 0
            if !convex { caveats.append(.hessianSchemeNeedsMinimum) }
            let low = chosenApproximate.filter { $0.coverage < lowCoverage }.map(\.name)
            if !low.isEmpty { caveats.append(.lowCoverage(operations: low)) }
            caveats.append(.approximateFloor(floor))
        }
        let discrete = chosen.filter { !$0.isContinuous }
        let continuous = chosen.contains { $0.isContinuous }
        let closure = GroupClosure(generators: discrete.map(\.matrix), dimension: dimension, limit: ExactGroup.membershipLimit)
        let gain: Int? = (continuous || closure.isTruncated) ? nil : closure.order
        if closure.isTruncated { caveats.append(.groupTooLarge(limit: ExactGroup.membershipLimit)) }
        let crossover: Double? = (floor > 0 && gain != nil) ? curve.crossover(orbitSize: Double(gain!), floor: floor) : nil
        if continuous { caveats.append(.continuousSampled) }
        let inconclusive = results.filter { $0.verdict == .inconclusive }.map(\.name)
        if !inconclusive.isEmpty { caveats.append(.inconclusiveLeftOut(operations: inconclusive)) }
        if chosen.isEmpty { caveats.append(.nothingToRecommend) }
        return Recommendation(operations: chosen, scheme: scheme, gainFactor: chosen.isEmpty ? 1 : gain,
                              crossoverN: crossover, floor: floor, caveats: caveats)
    }
}
