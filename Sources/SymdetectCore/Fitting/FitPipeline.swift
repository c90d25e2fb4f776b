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
    /// JSON's `centerKind`: for `auto` the nature of the stationary point ("minimum",
    /// "saddle", "maximum", "degenerate", or "not converged"); otherwise the choice ("given",
    /// "origin", "mean", "min").
    public let kind: String
    /// Newton iterations in total (0 unless `auto`).
    public let iterations: Int
    /// |∇T| at the final centre.
    public let gradientNorm: Double
    public let converged: Bool
    /// Whether the centre lies inside the bounding box of the samples.
    public let insideData: Bool
}

/// The fit at the chosen centre with its derived quantities.
public struct FitOutcome: Sendable {
    public let fit: TaylorFit
    public let forceConstants: ForceConstants
    public let hessian: HessianAnalysis
    public let center: CenterReport
    /// (order, leave-one-out RMSE) for each order tried when `--order auto`.
    public let orderSelection: [(order: Int, looRmse: Double?)]
    public let warnings: [String]
}

/// Centre selection, order selection, the fit and force constants (SPEC 2.2–2.3).
public enum FitPipeline {
    public static func run(_ table: SampleTable, _ configuration: FitConfiguration, labels: [Double]? = nil) throws -> FitOutcome {
        let y = labels ?? table.labels
        let d = table.dimension
        var warnings: [String] = []
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

        var fit = try TaylorFitter.fit(table, labels: y, center: start, order: order, radius: configuration.radius)
        var iterations = 0
        var converged = true
        if configuration.center == .auto {
            (fit, iterations, converged) = try searchStationaryPoint(table, labels: y, initial: fit, radius: configuration.radius)
            if !converged { warnings.append("the stationary-point search did not converge in \(iterations) Newton steps; the last centre is used") }
        }
        let constants = ForceConstants(fit)
        let hessian = try HessianAnalysis(hessian: constants.hessian)
        let inside = (0..<d).allSatisfy { j in
            let col = table.features[j]
            return fit.center[j] >= col.min()! && fit.center[j] <= col.max()!
        }
        if !inside { warnings.append("the centre \(fit.center.map { String(format: "%.6g", $0) }.joined(separator: ", ")) lies outside the range of the data: the expansion is an extrapolation") }
        let gradNorm = constants.gradient.map { $0 * $0 }.reduce(0, +).squareRoot()
        let kind: String
        switch configuration.center {
        case .auto: kind = converged ? hessian.kind.label.components(separatedBy: " of ").first! : "not converged"
        case .origin: kind = "origin"
        case .mean: kind = "mean"
        case .min: kind = "min"
        case .given: kind = "given"
        }
        let report = CenterReport(choice: configuration.center, kind: kind, iterations: iterations,
                                  gradientNorm: gradNorm, converged: converged, insideData: inside)
        return FitOutcome(fit: fit, forceConstants: constants, hessian: hessian, center: report,
                          orderSelection: selection, warnings: fit.warnings + warnings)
    }

    /// Orders 1…6 (as far as the rows allow); the lowest order whose LOO RMSE is within 5 % (plus
    /// 1e-10·sd(y) for round-off on noise-free data) of the best one.
    static func selectOrder(_ table: SampleTable, labels y: [Double], center: [Double], radius: Double?) throws -> (Int, [(order: Int, looRmse: Double?)]) {
        var results: [(order: Int, looRmse: Double?)] = []
        for k in 1...6 {
            let p = MultiIndex.count(dimension: table.dimension, order: k)
            guard table.count >= p + 2 else { break }
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

    /// Newton iteration on the fitted polynomial, x ← x − H⁺∇T (eigenvalues below 1e-10·max
    /// dropped, step capped at half the data's diameter), then refit about the new point; repeat
    /// until the centre moves less than 1e-9 of the data's extent. Without locality weights the
    /// refit reproduces the same polynomial (the monomial space is translation invariant), so the
    /// outer loop ends after one refit; with `--radius` the weights move with the centre.
    static func searchStationaryPoint(_ table: SampleTable, labels: [Double], initial: TaylorFit, radius: Double?) throws -> (TaylorFit, Int, Bool) {
        let d = table.dimension
        let extent = (0..<d).map { j -> Double in
            let c = table.features[j]; return max(c.max()! - c.min()!, .leastNormalMagnitude)
        }
        let diameter = extent.map { $0 * $0 }.reduce(0, +).squareRoot()
        var fit = initial
        var total = 0
        for _ in 0..<20 {
            var x = fit.center
            var moved = false
            for _ in 0..<100 {
                total += 1
                let g = fit.polynomial.gradient(at: x)
                let h = fit.polynomial.hessian(at: x)
                let eig = try SymmetricEigenDecomposition(h)
                let big = eig.eigenvalues.map(abs).max() ?? 0
                var step = [Double](repeating: 0, count: d)
                for k in 0..<d where abs(eig.eigenvalues[k]) > 1e-10 * big {
                    var proj = 0.0
                    for i in 0..<d { proj += eig.eigenvectors[i, k] * g[i] }
                    for i in 0..<d { step[i] -= eig.eigenvectors[i, k] * proj / eig.eigenvalues[k] }
                }
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
            fit = try TaylorFitter.fit(table, labels: labels, center: x, order: fit.order, radius: radius)
            if !moved || shift < 1e-9 {
                let g = ForceConstants(fit).gradient
                let scaleG = g.indices.map { abs(g[$0]) * extent[$0] }.max() ?? 0
                let ySpread = (labels.max()! - labels.min()!)
                return (fit, total, scaleG <= 1e-6 * max(ySpread, .leastNormalMagnitude))
            }
        }
        return (fit, total, false)
    }
}
