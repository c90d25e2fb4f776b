import Foundation

/// The whole pipeline of SPEC §2 as one function: table + configuration → AnalysisResult.
public enum Analyzer {
    public static func run(_ table: SampleTable, _ configuration: AnalysisConfiguration,
                           progress: ((String) -> Void)? = nil) throws -> AnalysisResult {
        let alpha = configuration.alpha
        let labels = LabelSummary(table.labels)
        var warnings: [String] = []

        // 1–3. Fit in label units (force constants, floors) and on the tested scale.
        progress?("fitting the Taylor model")
        let outcome = try FitPipeline.run(table, configuration.fit)
        let fit = outcome.fit
        let transform: LabelTransform
        switch configuration.transform {
        case .auto:
            var r2: Double?
            if LabelTransform.spansDecades(table.labels),
               table.count > MultiIndex.count(dimension: table.dimension, order: 2) + 1 {
                r2 = try? TaylorFitter.fit(table, center: fit.center, order: 2).r2
            }
            transform = LabelTransform.automatic(for: table.labels, quadraticR2: r2)
        case .none: transform = .none
        case .log:
            guard table.labels.allSatisfy({ $0 > 0 }) else {
                throw FitError.numerical("--transform log needs positive labels; '\(table.labelName)' has values ≤ 0")
            }
            transform = .log
        }
        let testedLabels = table.labels.map(transform.apply)
        let testedFit = transform == .none ? fit
            : try TaylorFitter.fit(table, labels: testedLabels, center: fit.center, order: fit.order, radius: configuration.fit.radius)
        let higherOrderLabelFit = higherOrder(table, labels: table.labels, base: fit, radius: configuration.fit.radius)
        let higherOrderTestedFit = transform == .none ? higherOrderLabelFit
            : higherOrder(table, labels: testedLabels, base: testedFit, radius: configuration.fit.radius)

        // 4. Candidates.
        // Hessian modes are only meaningful at a stationary point (not, e.g., at the nucleus of a
        // density, where the fitted Hessian is near zero and its eigenvectors arbitrary).
        let stationary = configuration.fit.center == .auto && outcome.center.converged
        var operations: [SymmetryOperation] = configuration.onlyListedOperations ? [] :
            CandidateOperations.defaults(table: table, hessian: outcome.forceConstants.hessian,
                                         modes: outcome.hessian.eigenvectors, includeModes: stationary)
        for text in configuration.operations {
            let op = try OperationParser.parse(text, names: table.featureNames, modes: outcome.hessian.eigenvectors)
            if !operations.contains(where: { $0.name == op.name }) { operations.append(op) }
        }
        operations = CandidateOperations.deduplicated(operations)

        // 5. Tests.
        progress?("building the neighbour index")
        let context = MirrorContext(table: table, center: fit.center, transform: transform)
        let testedSpread = LabelSummary(testedLabels).standardDeviation
        let adequacy = assessAdequacy(testedFit, higher: higherOrderTestedFit, context: context, spread: testedSpread, alpha: alpha)
        struct Partial {
            let op: SymmetryOperation
            let taylor: TaylorInvarianceTest
            let mirror: MirrorTest
            let decisive: Evidence
            let p: Double?
            let note: String
            let modelFloors: SchemeFloors
            let mirrorFloors: SchemeFloors?
        }
        // Operations are independent: tested concurrently (results kept in input order, so the
        // output does not depend on scheduling).
        let report = SynchronizedProgress(progress)
        var slots = [Partial?](repeating: nil, count: operations.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: operations.count) { k in
            let op = operations[k]
            report("testing \(op.name) (\(k + 1)/\(operations.count))")
            let taylor = TaylorInvarianceTest(fit: testedFit, operation: op, alpha: alpha, labelSpread: testedSpread,
                                              centerIsFitted: configuration.fit.center == .auto && outcome.center.converged && transform == .none)
            let mirror = MirrorTest(context: context, operation: op)
            // The mirror test is model-free, so its evidence of breaking always counts. The
            // Taylor test counts only where the model is adequate (SPEC §2.5): there both tests
            // are combined by Bonferroni, p = min(1, 2·min(p_T, p_M)), and the smaller decides.
            let mirrorUsable = mirror.pValue != nil
            let decisive: Evidence
            let p: Double?
            var note = ""
            if adequacy.adequate, let pT = taylor.pValue {
                if let pM = mirror.pValue {
                    decisive = pM < pT ? .mirror : .taylor
                    p = min(1, 2 * min(pT, pM))
                } else {
                    decisive = .taylor
                    p = pT
                    note = "the mirror test has too little coverage (\(mirror.usable) usable images)"
                }
            } else if mirrorUsable {
                decisive = .mirror
                p = mirror.pValue
                note = adequacy.adequate ? "the Taylor test is undefined (no residual degrees of freedom)" : "the Taylor model is not adequate (\(adequacy.reason)), so the mirror test decides"
            } else {
                decisive = .taylor
                p = taylor.pValue
                note = "the mirror test has too little coverage (\(mirror.usable) usable images)" + (adequacy.adequate ? "" : "; the Taylor model is not adequate (\(adequacy.reason)), treat this verdict with caution")
            }
            let model = ErrorFloorEstimator.modelBased(fit: fit, higherOrder: higherOrderLabelFit, operation: op, table: table)
            let mirrorFloors = ErrorFloorEstimator.mirrorBased(test: mirror, fit: fit, table: table, operation: op)
            let partial = Partial(op: op, taylor: taylor, mirror: mirror, decisive: decisive, p: p, note: note,
                                  modelFloors: model, mirrorFloors: mirrorFloors)
            lock.lock(); slots[k] = partial; lock.unlock()
        }
        let partials = slots.map { $0! }
        let adjusted = Holm.adjust(partials.map { $0.p })

        // 6–8. Floors and verdicts.
        let target = configuration.targetError ?? 0.01 * labels.standardDeviation
        let curve = LearningCurveModel(prefactor: configuration.prefactor ?? labels.standardDeviation, slope: configuration.slope)
        let convex = outcome.hessian.kind == .minimum
        var results: [OperationResult] = []
        for (k, part) in partials.enumerated() {
            let op = part.op
            let model = part.modelFloors
            let mirrorFloors = part.mirrorFloors
            let useMirror = !adequacy.adequate && mirrorFloors != nil
            var floors = useMirror ? mirrorFloors! : model
            if !convex { floors.hessian = nil }
            let broken = (adjusted[k] ?? 1) < alpha
            // The verdict rests on the schemes that do not lean on the fitted odd terms: with a
            // good model the `taylor` scheme can correct *any* operation, which says nothing about
            // the symmetry itself. It competes in the recommendation for operations that qualify.
            let best = [AugmentationScheme.naive, .hessian].compactMap { s in floors[s].map { (s, $0.rmse) } }.min { $0.1 < $1.1 }
            let modelBreaking = modelBreakingRMS(fit, op, table)
            let breakingRMS = part.decisive == .mirror ? (part.mirror.breakingRMS ?? modelBreaking) : modelBreaking
            let verdict: Verdict
            var reason: String
            let pText = adjusted[k].map { "p = \(NumberFormatting.format($0, digits: 3))" } ?? "no p-value"
            let testName = part.decisive == .taylor ? "Taylor (Wald) test" : "mirror test"
            if !broken {
                verdict = .exact
                reason = "no significant breaking: \(testName), Holm-adjusted \(pText) ≥ α = \(NumberFormatting.format(alpha, digits: 3))"
            } else if let best, best.1 <= target {
                verdict = .approximate
                reason = "broken (\(testName), Holm-adjusted \(pText)), but the \(best.0.rawValue) scheme's predicted RMSE floor \(NumberFormatting.format(best.1, digits: 3)) is within the target error \(NumberFormatting.format(target, digits: 3))"
            } else {
                verdict = .absent
                reason = "broken (\(testName), Holm-adjusted \(pText)); the lowest predicted RMSE floor " + (best.map { "(\($0.0.rawValue)) \(NumberFormatting.format($0.1, digits: 3))" } ?? "(none)") + " exceeds the target error \(NumberFormatting.format(target, digits: 3))"
            }
            if !part.note.isEmpty { reason += "; " + part.note }
            let orbit = op.isContinuous ? nil : op.orbitMatrices(limit: 1000).count
            let crossover: Double? = verdict == .approximate ? orbit.flatMap { n in best.flatMap { curve.crossover(orbitSize: Double(n), floor: $0.1) } } : nil
            results.append(OperationResult(
                operation: op, verdict: verdict, decidedBy: part.decisive, reason: reason,
                taylor: part.taylor, mirror: part.mirror, pValue: part.p, adjustedPValue: adjusted[k],
                breakingOrder: broken ? part.taylor.breakingOrder : nil, breakingRMS: breakingRMS,
                modelFloors: model, mirrorFloors: mirrorFloors, floors: floors,
                floorSource: useMirror ? .mirror : .taylor,
                bestScheme: best?.0, bestFloor: best?.1, orbitSize: orbit, crossoverN: crossover))
        }

        // 7. Group of the exact operations.
        progress?("closing the group")
        let exact = results.filter { $0.verdict == .exact }
        let exactDiscrete = exact.filter { !$0.operation.isContinuous }
        let closure = GroupClosure(generators: exactDiscrete.map { $0.operation.matrix }, dimension: table.dimension)
        let continuous = exact.contains { $0.operation.isContinuous }
        let group = GroupSummary(order: continuous ? nil : closure.order, isContinuous: continuous,
                                 isTruncated: closure.isTruncated,
                                 generators: minimalGenerators(exact.map { $0.operation }, dimension: table.dimension))
        let rotations = planeRotations(results, names: table.featureNames)

        // 9. Recommendation.
        progress?("recommending")
        let recommendation = recommend(results, group: group, curve: curve, convex: convex,
                                       configuration: configuration, dimension: table.dimension, target: target)
        if transform == .log { warnings.append("labels span \(NumberFormatting.format(labels.maximum / labels.minimum, digits: 3))× (> 10³): invariance tests ran on log(\(table.labelName)); floors are in label units") }
        return AnalysisResult(
            configuration: configuration, rowCount: table.count, featureNames: table.featureNames,
            labelName: table.labelName, labels: labels, fit: outcome, transform: transform, adequacy: adequacy,
            operations: results, group: group, planeRotations: rotations, targetError: target,
            learningCurve: curve, recommendation: recommendation, warnings: outcome.warnings + warnings)
    }

    /// A fit two orders higher (or one), the proxy for y in the `taylor` floor; nil if the
    /// data cannot support it.
    static func higherOrder(_ table: SampleTable, labels: [Double], base: TaylorFit, radius: Double?) -> TaylorFit? {
        let (sub, idx) = table.subsample(limit: FitPipeline.auxiliaryRowLimit)
        let subLabels = idx.map { labels[$0] }
        for extra in [2, 1] {
            let k = base.order + extra
            guard k <= TaylorFitter.maximumOrder,
                  sub.count >= MultiIndex.count(dimension: table.dimension, order: k) + 2 else { continue }
            if let f = try? TaylorFitter.fit(sub, labels: subLabels, center: base.center, order: k, radius: radius) { return f }
        }
        return nil
    }

    /// The Taylor test is decisive only where the model is adequate: it reproduces the labels to
    /// round-off, or (a) the terms one order higher are not significant (nested F test, p ≥ 0.001)
    /// and (b) its RMSE is no more than twice the local leave-one-out noise estimate.
    static func assessAdequacy(_ fit: TaylorFit, higher: TaylorFit?, context: MirrorContext, spread: Double, alpha: Double) -> ModelAdequacy {
        let local = context.localNoise
        if fit.rmse <= 1e-9 * max(spread, .leastNormalMagnitude) {
            return ModelAdequacy(adequate: true, fitRMSE: fit.rmse, localNoise: local, higherOrderPValue: nil,
                                 reason: "the model reproduces the labels to round-off")
        }
        var pHigher: Double?
        // The nested test needs exactly one order more than the model (both on the same rows).
        let (sub, idx) = context.table.subsample(limit: FitPipeline.auxiliaryRowLimit)
        let subLabels = idx.map { context.transform.apply(context.table.labels[$0]) }
        let lowerFit: TaylorFit? = sub.count == context.table.count ? fit
            : try? TaylorFitter.fit(sub, labels: subLabels, center: fit.center, order: fit.order, radius: fit.radius)
        let higherFit: TaylorFit? = sub.count == context.table.count && higher?.order == fit.order + 1 ? higher
            : (sub.count >= MultiIndex.count(dimension: fit.dimension, order: fit.order + 1) + 2
                ? try? TaylorFitter.fit(sub, labels: subLabels, center: fit.center, order: fit.order + 1, radius: fit.radius)
                : nil)
        if let l = lowerFit, let h = higherFit { pHigher = FitPipeline.higherOrderPValue(l, higher: h) }
        var problems: [String] = []
        if let p = pHigher, p < 0.001 {
            problems.append("order-\(fit.order + 1) terms are significant, p = \(NumberFormatting.format(p, digits: 3))")
        }
        if let local, fit.rmse > 2 * local {
            problems.append("fit RMSE \(NumberFormatting.format(fit.rmse, digits: 3)) exceeds twice the local noise estimate \(NumberFormatting.format(local, digits: 3))")
        }
        return ModelAdequacy(adequate: problems.isEmpty, fitRMSE: fit.rmse, localNoise: local, higherOrderPValue: pHigher,
                             reason: problems.isEmpty ? "no misfit detected beyond the noise" : problems.joined(separator: "; "))
    }

    /// RMS over the samples of T(x) − T(g·x) (first matrix of the operation), label units.
    static func modelBreakingRMS(_ fit: TaylorFit, _ op: SymmetryOperation, _ table: SampleTable) -> Double {
        let idx = ErrorFloorEstimator.sampleIndices(table.count, seed: 0xB4EA_0001)
        var s = 0.0
        for i in idx {
            let x = table.point(i)
            let u = zip(x, fit.center).map { $0 - $1 }
            let img = zip(fit.center, op.matrix * u).map { $0 + $1 }
            let d = fit.value(at: x) - fit.value(at: img)
            s += d * d
        }
        return (s / Double(max(idx.count, 1))).squareRoot()
    }

    /// A small generating set: an operation is kept only if it is not already in the group
    /// generated by those kept before it (continuous families are always kept).
    static func minimalGenerators(_ ops: [SymmetryOperation], dimension: Int) -> [String] {
        var kept: [SymmetryOperation] = []
        for op in ops {
            if op.isContinuous { kept.append(op); continue }
            let g = GroupClosure(generators: kept.filter { !$0.isContinuous }.map { $0.matrix }, dimension: dimension, limit: 256)
            if !g.elements.contains(where: { $0.maxAbsDifference(op.matrix) < 1e-8 }) { kept.append(op) }
        }
        return kept.map { $0.name }
    }

    static func planeRotations(_ results: [OperationResult], names: [String]) -> [PlaneRotation] {
        var planes: [(Int, Int)] = []
        for r in results {
            switch r.operation.kind {
            case let .rotate(a, b, _), let .rotateContinuous(a, b):
                if !planes.contains(where: { $0 == (a, b) }) { planes.append((a, b)) }
            default: break
            }
        }
        return planes.map { a, b in
            let inPlane = results.filter {
                switch $0.operation.kind {
                case let .rotate(x, y, _), let .rotateContinuous(x, y): return x == a && y == b
                default: return false
                }
            }
            let symmetry: String
            if inPlane.contains(where: { if case .rotateContinuous = $0.operation.kind { return $0.verdict == .exact }; return false }) {
                symmetry = "continuous"
            } else {
                let orders = inPlane.compactMap { r -> Int? in
                    guard r.verdict == .exact, case let .rotate(_, _, deg) = r.operation.kind else { return nil }
                    let n = 360 / abs(deg)
                    return abs(n - n.rounded()) < 1e-9 ? Int(n.rounded()) : nil
                }
                symmetry = orders.max().map { "C\($0)" } ?? "none"
            }
            return PlaneRotation(plane: "\(names[a]),\(names[b])", symmetry: symmetry)
        }
    }

    static func recommend(_ results: [OperationResult], group: GroupSummary, curve: LearningCurveModel, convex: Bool,
                          configuration: AnalysisConfiguration, dimension: Int, target: Double) -> Recommendation {
        let exact = results.filter { $0.verdict == .exact }
        let approximate = results.filter { $0.verdict == .approximate }
        var caveats: [String] = []
        // Generators of the exact group, then approximate operations not already implied.
        var chosen: [SymmetryOperation] = exact.filter { group.generators.contains($0.name) }.map { $0.operation }
        for r in approximate {
            let g = GroupClosure(generators: chosen.filter { !$0.isContinuous }.map { $0.matrix }, dimension: dimension, limit: 256)
            if !r.operation.isContinuous, g.elements.contains(where: { $0.maxAbsDifference(r.operation.matrix) < 1e-8 }) { continue }
            // An operation that would make the generated group infinite (e.g. a mode reflection
            // tilted slightly off an exact axis reflection) cannot be augmented with: skip it.
            if !r.operation.isContinuous {
                let with = GroupClosure(generators: (chosen.filter { !$0.isContinuous } + [r.operation]).map { $0.matrix }, dimension: dimension, limit: 256)
                if with.isTruncated {
                    caveats.append("\(r.name) is left out: together with the other operations it generates an infinite group")
                    continue
                }
            }
            chosen.append(r.operation)
        }
        var scheme = AugmentationScheme.naive
        var floor = 0.0
        if !approximate.isEmpty {
            var bestFloor = Double.infinity
            for s in AugmentationScheme.allCases {
                let values = approximate.map { $0.floors[s]?.rmse }
                guard values.allSatisfy({ $0 != nil }) else { continue }
                let f = values.map { $0! }.max() ?? 0
                if f < bestFloor { bestFloor = f; scheme = s }
            }
            floor = bestFloor.isFinite ? bestFloor : 0
            if !convex { caveats.append("the centre is not a minimum (Hessian not positive definite): the hessian scheme is not offered") }
            let lowCoverage = approximate.filter { $0.coverage < 0.5 }
            if !lowCoverage.isEmpty {
                caveats.append("low mirror-test coverage (< 50 %) for \(lowCoverage.map { $0.name }.joined(separator: ", ")): the images of many samples fall outside the data, so floors rest on the Taylor model")
            }
            caveats.append("approximate operations bias a trained model towards the symmetrized label: the floor of \(NumberFormatting.format(floor, digits: 3)) is the error it cannot go below")
        }
        let discrete = chosen.filter { !$0.isContinuous }
        let continuous = chosen.contains { $0.isContinuous }
        let closure = GroupClosure(generators: discrete.map { $0.matrix }, dimension: dimension, limit: 256)
        let gain: Int? = (continuous || closure.isTruncated) ? nil : closure.order
        if closure.isTruncated { caveats.append("the recommended operations generate a group of more than 256 elements (likely infinite): augment with fewer operations") }
        let crossover: Double? = (floor > 0 && gain != nil) ? curve.crossover(orbitSize: Double(gain!), floor: floor) : nil
        if continuous { caveats.append("a continuous symmetry is augmented by sampled members (see `symdetect augment --help`)") }
        var command: String?
        if !chosen.isEmpty {
            let stem = ((configuration.dataPath as NSString).lastPathComponent as NSString).deletingPathExtension
            let dir = (configuration.dataPath as NSString).deletingLastPathComponent
            let out = (dir.isEmpty ? "" : dir + "/") + stem + "-augmented.csv"
            var parts = ["symdetect", "augment", shellQuote(configuration.dataPath)]
            for op in chosen { parts += ["--op", shellQuote(op.name)] }
            parts += ["--scheme", scheme.rawValue]
            parts += configuration.passthroughArguments.map(shellQuote)
            parts += ["-o", shellQuote(out)]
            command = parts.joined(separator: " ")
        } else {
            caveats.append("no operation is exact or approximately usable within the target error: no augmentation is recommended")
        }
        return Recommendation(operations: chosen.map { $0.name }, scheme: scheme, gainFactor: chosen.isEmpty ? 1 : gain,
                              crossoverN: crossover, floor: floor, command: command, caveats: caveats)
    }

    /// Single-quotes a word for a POSIX shell when it contains anything but safe characters.
    static func shellQuote(_ s: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+")
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Forwards progress messages from concurrent work one at a time.
final class SynchronizedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: ((String) -> Void)?
    init(_ sink: ((String) -> Void)?) { self.sink = sink }
    func callAsFunction(_ message: String) {
        guard let sink else { return }
        lock.lock(); defer { lock.unlock() }
        sink(message)
    }
}
