import Foundation

/// `--order K` or `--order auto`.
public enum OrderChoice: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    /// The order (1…6) with the lowest leave-one-out RMSE; a lower order wins ties within 5 %.
    case auto

    public init?(argument: String) {
        if argument.lowercased() == "auto" { self = .auto; return }
        guard let k = Int(argument), (1...TaylorFitter.maximumOrder).contains(k) else { return nil }
        self = .fixed(k)
    }

    public var description: String {
        switch self { case .auto: return "auto"; case .fixed(let k): return "\(k)" }
    }
}

public struct FitConfiguration: Sendable, Equatable {
    public var center: CenterChoice
    public var order: OrderChoice
    public var radius: Double?
    public init(center: CenterChoice = .auto, order: OrderChoice = .fixed(4), radius: Double? = nil) {
        self.center = center
        self.order = order
        self.radius = radius
    }
}

/// How the centre was found and what it is.
public struct CenterReport: Sendable {
    public let choice: CenterChoice
    public let kind: CenterKind
    /// Newton iterations in total (0 unless `auto`).
    public let iterations: Int
    /// |∇T| at the final centre.
    public let gradientNorm: Double
    public let converged: Bool
    /// Whether the centre lies inside the bounding box of the samples.
    public let insideData: Bool
    /// Radius R of the Gaussian locality weights used to refine the stationary point (nil when
    /// not refined).
    public let refinementRadius: Double?
    /// Hessian directions the data do not determine (|λ| below `eigenvalueSignificance`
    /// standard errors): the label is flat along them, the search left the centre at the mean
    /// of the samples there, and the nature of the stationary point (`kind`) is that of the
    /// determined directions only.
    public let flatDirections: Int
}

/// The fit at the chosen centre with its derived quantities.
public struct FitOutcome: Sendable {
    public let fit: TaylorFit
    public let forceConstants: ForceConstants
    public let hessian: HessianAnalysis
    public let center: CenterReport
    /// (order, leave-one-out RMSE) for each order tried when `--order auto`.
    public let orderSelection: [(order: Int, looRmse: Double?)]
    public let warnings: [FitWarning]
}

/// Centre selection, order selection, the fit and force constants (SPEC 2.2–2.3).
public enum FitPipeline {
    public static func run(_ table: SampleTable, _ configuration: FitConfiguration, labels: [Double]? = nil) throws -> FitOutcome {
        let y = labels ?? table.labels
        let d = table.dimension
        let ranges = table.ranges
        var warnings: [FitWarning] = []
        let start: [Double]
        switch configuration.center {
        case .auto, .min:
            let iMin = y.indices.min { y[$0] < y[$1] }!
            start = table.point(iMin)
        case .origin: start = [Double](repeating: 0, count: d)
        case .mean: start = table.features.map { $0.reduce(0, +) / Double($0.count) }
        case .given(let c):
            guard c.count == d else { throw FitError.centerDimension(expected: d, got: c.count) }
            start = c
        }

        var selection: [(order: Int, looRmse: Double?)] = []
        let order: Int
        switch configuration.order {
        case .fixed(let k): order = k
        case .auto:
            (order, selection) = try selectOrder(table, labels: y, center: start, radius: configuration.radius)
        }

        let initial = try TaylorFitter.fit(table, labels: y, center: start, order: order, radius: configuration.radius)
        var fit = initial
        var determined = configuration.center == .auto ? try Self.determinedDirections(initial) : []
        var iterations = 0
        var converged = true
        var refinementRadius: Double?
        var fallback: CenterFallback?
        if configuration.center == .auto {
            // Which directions are flat is judged where the Hessian is evaluated: away from the
            // stationary point a rigid rotation has curvature (the forces turn with it). So the
            // set is judged again at the point found, and the search repeated if it changed.
            for _ in 0..<3 {
                let (found, steps, ok) = try searchStationaryPoint(table, labels: y, initial: fit, radius: configuration.radius,
                                                                    ranges: ranges,
                                                                    determined: determined)
                fit = found; iterations += steps; converged = ok
                let again = try Self.determinedDirections(fit)
                if !ok || again.count == determined.count { break }
                determined = again
            }
            if !converged { warnings.append(.searchNotConverged(iterations: iterations)) }
            if converged, configuration.radius == nil, misfitIsSignificant(table, labels: y, fit: fit),
               let local = try localRefinement(table, labels: y, around: fit) {
                // The centre comes from the local fits; the reported model stays the global
                // (unweighted) fit, now expanded about that centre.
                refinementRadius = local.radius
                iterations += local.iterations
                fit = try fit.recentered(at: local.center) ?? TaylorFitter.fit(table, labels: y, center: local.center, order: order, radius: nil)
            }
            // A stationary point outside the samples, or one that is not unique (a singular
            // Hessian: the label ignores some directions), is no centre to expand about: fall
            // back to the lowest-label sample and say so.
            if converged {
                if !Self.contains(ranges, fit.center) {
                    fallback = .leftTheData(point: fit.center)
                } else if let condition = try? HessianAnalysis(hessian: ForceConstants(fit).hessian).conditionNumber,
                          condition > Self.singularHessianCondition {
                    fallback = .singularHessian(conditionNumber: condition)
                }
                if let fallback {
                    warnings.append(.searchAbandoned(fallback))
                    fit = initial
                    refinementRadius = nil
                }
            }
        }
        let constants = ForceConstants(fit)
        let hessian = try HessianAnalysis(hessian: constants.hessian)
        let inside = Self.contains(ranges, fit.center)
        if !inside { warnings.append(.centerOutsideData(center: fit.center)) }
        let gradNorm = constants.gradient.map { $0 * $0 }.reduce(0, +).squareRoot()
        // The nature of the stationary point along the directions the search moved in (those
        // the data determine at the start): the eigenvalues of VᵀHV.
        let flatCount = configuration.center == .auto ? d - determined.count : 0
        var projected = Matrix(rows: determined.count, columns: determined.count)
        for (a, va) in determined.enumerated() {
            let hv = constants.hessian * va
            for (b, vb) in determined.enumerated() { projected[b, a] = zip(vb, hv).map { $0 * $1 }.reduce(0, +) }
        }
        let determinedKind = determined.isEmpty ? hessian.kind
            : StationaryKind(eigenvalues: try SymmetricEigenDecomposition(projected).eigenvalues)
        let kind: CenterKind
        switch configuration.center {
        case .auto:
            if let fallback { kind = .fallback(fallback) } else { kind = converged ? .stationary(determinedKind) : .notConverged }
        case .origin: kind = .origin
        case .mean: kind = .mean
        case .min: kind = .lowestSample
        case .given: kind = .given
        }
        let report = CenterReport(choice: configuration.center, kind: kind, iterations: iterations,
                                  gradientNorm: gradNorm, converged: converged, insideData: inside,
                                  refinementRadius: refinementRadius, flatDirections: flatCount)
        return FitOutcome(fit: fit, forceConstants: constants, hessian: hessian, center: report,
                          orderSelection: selection, warnings: fit.warnings + warnings)
    }

    /// Whether `point` lies in the box `ranges` (as `SampleTable.contains`, with the ranges
    /// computed once: each computation is a pass over every coordinate).
    static func contains(_ ranges: [ClosedRange<Double>], _ point: [Double]) -> Bool {
        zip(ranges, point).allSatisfy { $0.contains($1) }
    }

    /// A Hessian whose eigenvalues span more than this ratio is singular for the stationary-point
    /// search (round-off in double precision leaves ~1e-16 relative; fitted noise far more).
    public static let singularHessianCondition = 1e12

    /// Orders 1…6 (as far as the rows allow); the lowest order whose LOO RMSE is within 5 % (plus
    /// 1e-10·sd(y) for round-off on noise-free data) of the best one.
    static func selectOrder(_ table: SampleTable, labels y: [Double], center: [Double], radius: Double?) throws -> (Int, [(order: Int, looRmse: Double?)]) {
        var results: [(order: Int, looRmse: Double?)] = []
        for k in 1...6 {
            let p = MultiIndex.count(dimension: table.dimension, order: k)
            guard table.equationCount >= p + 2 else { break }
            let f = try TaylorFitter.fit(table, labels: y, center: center, order: k, radius: radius)
            results.append((k, f.looRmse))
        }
        guard !results.isEmpty else {
            throw FitError.tooFewRows(needed: MultiIndex.count(dimension: table.dimension, order: 1), available: table.count, order: 1, dimension: table.dimension)
        }
        let mean = y.reduce(0, +) / Double(y.count)
        let sd = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(y.count)).squareRoot()
        let defined = results.compactMap { r in r.looRmse.map { (r.order, $0) } }
        guard let best = defined.map({ $0.1 }).min() else { return (results.last!.order, results) }
        let chosen = defined.first { $0.1 <= best * 1.05 + 1e-10 * sd }!.0
        return (chosen, results)
    }

    /// Rows used by auxiliary fits (order checks, higher-order proxies) on very large files.
    public static let auxiliaryRowLimit = 100_000

    /// Largest coefficient count of the higher-order fit that stands in for y in the `taylor`
    /// floor. Order k + 2 has 924 coefficients in six coordinates (a 4-atom molecule at k = 4):
    /// its p × p SVD and its evaluation at every floor sample would cost far more than the rest
    /// of the analysis, while order k + 1 (462) is already a proxy of higher order than the model.
    public static let higherOrderProxyParameterLimit = 500

    /// The orders tried, in turn, for that proxy: k + 2, then k + 1, each only where its
    /// coefficient count is within `higherOrderProxyParameterLimit`.
    static func higherOrderProxyOrders(above order: Int, dimension: Int) -> [Int] {
        [order + 2, order + 1].filter {
            $0 <= TaylorFitter.maximumOrder && MultiIndex.count(dimension: dimension, order: $0) <= higherOrderProxyParameterLimit
        }
    }

    /// Nested F test of the terms one order higher: F = ((RSS_k − RSS_{k+1})/Δdof)/(RSS_{k+1}/dof_{k+1}).
    /// Returns nil when the data cannot support order k + 1.
    static func nestedFPValue(_ fit: TaylorFit, higher: TaylorFit) -> Double? {
        guard higher.residualDegreesOfFreedom > 0, fit.residualDegreesOfFreedom > higher.residualDegreesOfFreedom else { return nil }
        let n = Double(fit.rowCount)
        // Gradient-enhanced fits: the stacked, weighted sums over equations (both at the same W).
        let rssK = fit.gradientEquations?.weightedResidualSumOfSquares ?? fit.rmse * fit.rmse * n
        let rssH = higher.gradientEquations?.weightedResidualSumOfSquares ?? higher.rmse * higher.rmse * n
        let df1 = Double(fit.residualDegreesOfFreedom - higher.residualDegreesOfFreedom)
        let df2 = Double(higher.residualDegreesOfFreedom)
        guard rssH > 0 else { return rssK > 0 ? 0 : 1 }
        let f = ((rssK - rssH) / df1) / (rssH / df2)
        return Distributions.fUpperTail(f, df1, df2)
    }

    /// The one misfit test: the p-value of the order-(k+1) terms of `fit` (nested F test), both
    /// models on the same rows — all of them, or a seeded subsample of `auxiliaryRowLimit` on
    /// very large files (the test has power to spare). `higher`, when it is the order-(k+1)
    /// fit on all rows, is reused. nil when the data cannot support order k + 1.
    public static func higherOrderPValue(_ table: SampleTable, labels: [Double], fit: TaylorFit, higher: TaylorFit? = nil) -> Double? {
        guard table.equationCount >= MultiIndex.count(dimension: table.dimension, order: fit.order + 1) + 2 else { return nil }
        var (sub, idx) = table.subsample(limit: auxiliaryRowLimit)
        // The nested F test compares the two models in one metric: the higher order gets the
        // lower one's gradient weight.
        if let w = fit.gradientEquations?.weight { sub.gradients?.weight = .fixed(w) }
        let whole = sub.count == table.count
        let subLabels = whole ? labels : idx.map { labels[$0] }
        // One accumulation serves orders k, k + 1 here and k + 2 for the analysis' floors proxy.
        if sub.gradients == nil {
            let proxyOrder = higherOrderProxyOrders(above: fit.order, dimension: table.dimension).first ?? fit.order + 1
            TaylorFitter.prepareNestedFits(sub, labels: subLabels, center: fit.center, upToOrder: max(fit.order + 1, proxyOrder),
                                           radius: fit.radius)
        }
        // Both sides of the test need their residual sums only, not their leave-one-out errors.
        let lower = whole ? fit : try? TaylorFitter.fit(sub, labels: subLabels, center: fit.center, order: fit.order, radius: fit.radius,
                                                        leaveOneOut: false)
        let sameWeight = higher?.gradientEquations?.weight == fit.gradientEquations?.weight
        let upper = (whole && higher?.order == fit.order + 1 && sameWeight ? higher : nil)
            ?? (try? TaylorFitter.fit(sub, labels: subLabels, center: fit.center, order: fit.order + 1, radius: fit.radius,
                                      leaveOneOut: false))
        guard let lower, let upper else { return nil }
        return nestedFPValue(lower, higher: upper)
    }

    /// True when the order-k model misses structure the data resolve (order-(k+1) terms
    /// significant at p < `ModelAdequacy.misfitP`) and does not already reproduce the labels to round-off.
    static func misfitIsSignificant(_ table: SampleTable, labels: [Double], fit: TaylorFit) -> Bool {
        let spread = LabelSummary(labels).standardDeviation
        guard fit.rmse > ModelAdequacy.roundOffFraction * spread,
              let p = higherOrderPValue(table, labels: labels, fit: fit) else { return false }
        return p < ModelAdequacy.misfitP
    }

    /// A truncated Taylor model fitted over a wide range places its stationary point off the true
    /// one (its odd coefficients absorb misfit): for water over ±3000 cm⁻¹ an order-4 fit puts the
    /// minimum 2e-4 √amu·Å off along q3, enough to break the exact q3 reflection by ~10 cm⁻¹ at
    /// the edge of the data. As quartic-force-field programs do with displacements near the
    /// reference, the centre is then refined with Gaussian locality weights (only where the
    /// model's misfit is significant; with noise and an adequate model the global stationary
    /// point is the better estimate): R is chosen so that the
    /// effective sample size (Σw)²/Σw² is max(3p, N/5), the weighted model's stationary point is
    /// found by Newton steps, and weights are re-centred until the centre settles.
    /// Returns nil when the data are too few for a meaningful local fit or it fails.
    static func localRefinement(_ table: SampleTable, labels: [Double], around fit: TaylorFit) throws -> (center: [Double], radius: Double, iterations: Int)? {
        let n = table.count, p = fit.parameterCount
        let target = Double(max(3 * p, n / 5))
        guard Double(n) >= 2 * target else { return nil }
        func effectiveCount(_ center: [Double], _ r: Double) -> Double {
            var s1 = 0.0, s2 = 0.0
            for i in 0..<n {
                var d2 = 0.0
                for j in 0..<table.dimension { let u = table.features[j][i] - center[j]; d2 += u * u }
                let w = exp(-0.5 * d2 / (r * r))
                s1 += w; s2 += w * w
            }
            return s2 > 0 ? s1 * s1 / s2 : 0
        }
        var center = fit.center
        var total = 0
        var radius = 0.0
        for _ in 0..<10 {
            // Bisection on log R for the effective sample size.
            var lo = 1e-12, hi = 1.0
            for range in table.ranges { hi += range.upperBound - range.lowerBound }
            hi *= 10
            for _ in 0..<60 {
                let mid = (lo * hi).squareRoot()
                if effectiveCount(center, mid) < target { lo = mid } else { hi = mid }
            }
            radius = hi
            let weighted = try TaylorFitter.fit(table, labels: labels, center: center, order: fit.order, radius: radius, leaveOneOut: false)
            guard weighted.rank == weighted.parameterCount else { return nil }
            let (moved, steps, ok) = try searchStationaryPoint(table, labels: labels, initial: weighted, radius: radius)
            total += steps
            guard ok else { return nil }
            let extent = table.ranges.map { max($0.upperBound - $0.lowerBound, .leastNormalMagnitude) }
            let shift = (0..<table.dimension).map { abs(moved.center[$0] - center[$0]) / extent[$0] }.max() ?? 0
            center = moved.center
            if shift < 1e-9 { break }
        }
        return (center, radius, total)
    }

    /// A Newton step moves only along Hessian eigenvectors whose eigenvalue the data determine:
    /// |λ_k| ≥ this many standard errors (λ_k = v_kᵀHv_k is linear in the quadratic
    /// coefficients, SE² = gᵀ Cov(β) g with g_α = 2 v_i v_j for α = e_i + e_j). Along the other
    /// directions — where the label barely depends on the coordinates (rigid motions of atoms,
    /// a column the label ignores) — the stationary point is undetermined and a step would
    /// only follow noise; there the centre moves to the mean of the samples instead (the middle
    /// of the data, where an expansion and the mirror images are best supported).
    public static let eigenvalueSignificance = 3.0

    /// Whether the data determine the Hessian's k-th eigenvalue (see `eigenvalueSignificance`).
    static func isDetermined(_ h: HessianAnalysis, _ k: Int, fit: TaylorFit) -> Bool {
        let big = h.eigenvalues.map(abs).max() ?? 0
        let v = (0..<h.eigenvalues.count).map { h.eigenvectors[$0, k] }
        return abs(h.eigenvalues[k]) > 1e-10 * big
            && abs(h.eigenvalues[k]) >= eigenvalueSignificance * eigenvalueStandardError(fit, direction: v)
    }

    /// Standard error of vᵀHv for the fit's Hessian at its centre (0 when the fit has no noise
    /// estimate).
    static func eigenvalueStandardError(_ fit: TaylorFit, direction v: [Double]) -> Double {
        let quadratic = fit.exponents.indices.filter { fit.exponents[$0].reduce(0, +) == 2 }
        let g = quadratic.map { a -> Double in
            let e = fit.exponents[a]
            let idx = e.indices.flatMap { i in Array(repeating: i, count: e[i]) }
            return 2 * v[idx[0]] * v[idx[1]]
        }
        var variance = 0.0
        for (i, a) in quadratic.enumerated() {
            for (j, b) in quadratic.enumerated() { variance += g[i] * fit.covariance[a, b] * g[j] }
        }
        return max(variance, 0).squareRoot()
    }

    /// Newton iteration on the fitted polynomial, x ← x − H⁺∇T (eigenvalues below 1e-10·max, or
    /// not significant (see `eigenvalueSignificance`), dropped; step capped at half the data's
    /// diameter), then refit about the new point; repeat
    /// until the centre moves less than 1e-9 of the data's extent. Without locality weights the
    /// refit reproduces the same polynomial (the monomial space is translation invariant), so the
    /// outer loop ends after one refit; with `--radius` the weights move with the centre.
    static func searchStationaryPoint(_ table: SampleTable, labels: [Double], initial: TaylorFit, radius: Double?,
                                      ranges known: [ClosedRange<Double>]? = nil,
                                      determined given: [[Double]]? = nil) throws -> (TaylorFit, Int, Bool) {
        let d = table.dimension
        let extent = (known ?? table.ranges).map { max($0.upperBound - $0.lowerBound, .leastNormalMagnitude) }
        let diameter = extent.map { $0 * $0 }.reduce(0, +).squareRoot()
        // The directions the data determine, fixed once from the Hessian at the start: the
        // search moves in that subspace only (a Newton step in the subspace, with the projected
        // gradient and Hessian); along the flat directions the centre is set to the mean of the
        // samples once and stays there.
        let determined = try given ?? determinedDirections(initial)
        var fit = initial
        var x0 = initial.center
        if determined.count < d {
            let mean = table.features.map { $0.reduce(0, +) / Double(max($0.count, 1)) }
            // x0 ← x0 + (I − V Vᵀ)(mean − x0)
            var toMean = (0..<d).map { mean[$0] - x0[$0] }
            for v in determined {
                let along = (0..<d).reduce(0.0) { $0 + v[$1] * toMean[$1] }
                for i in 0..<d { toMean[i] -= v[i] * along }
            }
            for i in 0..<d { x0[i] += toMean[i] }
            fit = try fit.recentered(at: x0) ?? TaylorFitter.fit(table, labels: labels, center: x0, order: fit.order, radius: radius)
        }
        let m = determined.count
        func projectedGradient(_ g: [Double]) -> [Double] {
            determined.map { v in (0..<d).reduce(0.0) { $0 + v[$1] * g[$1] } }
        }
        var total = 0
        for _ in 0..<20 {
            var x = fit.center
            var moved = false
            for _ in 0..<100 where m > 0 {
                total += 1
                let gd = projectedGradient(fit.polynomial.gradient(at: x))
                let h = fit.polynomial.hessian(at: x)
                var hd = Matrix(rows: m, columns: m)
                for a in 0..<m {
                    let hv = h * determined[a]
                    for b in 0..<m { hd[b, a] = (0..<d).reduce(0.0) { $0 + determined[b][$1] * hv[$1] } }
                }
                let eig = try SymmetricEigenDecomposition(hd)
                let big = eig.eigenvalues.map(abs).max() ?? 0
                var t = [Double](repeating: 0, count: m)
                for k in 0..<m where abs(eig.eigenvalues[k]) > 1e-10 * big {
                    var proj = 0.0
                    for i in 0..<m { proj += eig.eigenvectors[i, k] * gd[i] }
                    for i in 0..<m { t[i] -= eig.eigenvectors[i, k] * proj / eig.eigenvalues[k] }
                }
                var step = (0..<d).map { i in (0..<m).reduce(0.0) { $0 + determined[$1][i] * t[$1] } }
                var length = step.map { $0 * $0 }.reduce(0, +).squareRoot()
                if length > 0.5 * diameter {
                    step = step.map { $0 * 0.5 * diameter / length }
                    length = 0.5 * diameter
                }
                for i in 0..<d { x[i] += step[i] }
                if !x.allSatisfy({ $0.isFinite }) { return (fit, total, false) }
                if length > 0 { moved = true }
                let relative = (0..<d).map { abs(step[$0]) / extent[$0] }.max() ?? 0
                if relative < 1e-12 { break }
            }
            let shift = (0..<d).map { abs(x[$0] - fit.center[$0]) / extent[$0] }.max() ?? 0
            fit = try fit.recentered(at: x) ?? TaylorFitter.fit(table, labels: labels, center: x, order: fit.order, radius: radius)
            if !moved || shift < 1e-9 {
                // Converged where the gradient vanishes along the determined directions.
                let g = ForceConstants(fit).gradient
                let gd = projectedGradient(g)
                var along = [Double](repeating: 0, count: d)
                for (k, v) in determined.enumerated() { for i in 0..<d { along[i] += v[i] * gd[k] } }
                let scaleG = along.indices.map { abs(along[$0]) * extent[$0] }.max() ?? 0
                let ySpread = SampleTable.bounds(labels).map { $0.upper - $0.lower }!
                return (fit, total, scaleG <= 1e-6 * max(ySpread, .leastNormalMagnitude))
            }
        }
        return (fit, total, false)
    }

    /// Unit eigenvectors of the fit's Hessian at its centre whose eigenvalues the data determine
    /// (see `eigenvalueSignificance`), in ascending order of eigenvalue.
    static func determinedDirections(_ fit: TaylorFit) throws -> [[Double]] {
        let h = try HessianAnalysis(hessian: ForceConstants(fit).hessian)
        return h.eigenvalues.indices.filter { isDetermined(h, $0, fit: fit) }
            .map { k in (0..<fit.dimension).map { h.eigenvectors[$0, k] } }
    }
}
