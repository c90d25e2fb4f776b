import SymdetectCore

/// `fit-forces`: one gradient-enhanced order-4 fit of a molecular-size system — N frames of a
/// 5-atom molecule's D = 9 vibrational coordinates (715 monomials), each frame giving its
/// energy and D gradient components: N·(1 + D) equations (10 000 for the default N = 1000).
/// The surface is a known quartic (harmonic wavenumbers 1…D, cubic and quartic couplings);
/// energies carry noise 1e-3 and gradients 1e-2, so the estimated weight should come out near
/// (1e-3/1e-2)² = 0.01. Prints the wall time of the fit (weight estimate included), the
/// estimated weight and the largest coefficient error.
func runGradientFitBenchmark(_ arguments: BenchmarkArguments) throws {
    let frames = arguments.integer("frames", default: 1000)
    let d = arguments.integer("dimension", default: 9)
    var rng = SeededGenerator(seed: 17)
    // E(q) = Σ_j (j+1)/2 q_j² + 0.1 Σ_j q_j³ + 0.05 Σ_j q_j q_{j+1}² + 0.01 Σ_j q_j⁴.
    func energy(_ q: [Double]) -> Double {
        var e = 0.0
        for j in 0..<d {
            e += 0.5 * Double(j + 1) * q[j] * q[j] + 0.1 * q[j] * q[j] * q[j] + 0.01 * q[j] * q[j] * q[j] * q[j]
            if j + 1 < d { e += 0.05 * q[j] * q[j + 1] * q[j + 1] }
        }
        return e
    }
    func gradient(_ q: [Double]) -> [Double] {
        (0..<d).map { j in
            var g = Double(j + 1) * q[j] + 0.3 * q[j] * q[j] + 0.04 * q[j] * q[j] * q[j]
            if j + 1 < d { g += 0.05 * q[j + 1] * q[j + 1] }
            if j > 0 { g += 0.1 * q[j - 1] * q[j] }
            return g
        }
    }
    var cols = [[Double]](repeating: [], count: d), grads = cols
    var y: [Double] = []
    for _ in 0..<frames {
        let q = (0..<d).map { _ in rng.uniform(-1, 1) }
        let g = gradient(q)
        for j in 0..<d {
            cols[j].append(q[j])
            grads[j].append(g[j] + 0.01 * rng.nextGaussian())
        }
        y.append(energy(q) + 0.001 * rng.nextGaussian())
    }
    var table = SampleTable(featureNames: (1...d).map { "q\($0)" }, labelName: "E", features: cols, labels: y)
    table.gradients = LabelGradients(values: grads)
    let start = monotonicSeconds()
    let fit = try TaylorFitter.fit(table, center: [Double](repeating: 0, count: d), order: 4)
    let elapsed = monotonicSeconds() - start
    // The largest error against the known surface's quadratic coefficients (j+1)/2.
    var worst = 0.0
    for j in 0..<d {
        var alpha = [Int](repeating: 0, count: d)
        alpha[j] = 2
        if let a = fit.exponents.firstIndex(of: alpha) { worst = max(worst, abs(fit.coefficients[a] - 0.5 * Double(j + 1))) }
    }
    let summary = fit.gradientEquations
    print("fit-forces: \(frames) frames x \(d) coordinates, order 4, \(fit.parameterCount) monomials, \(fit.rowCount) equations: "
        + "\(String(format: "%.2f", elapsed)) s (weight \(String(format: "%.3g", summary?.weight ?? .nan)), "
        + "rmse \(String(format: "%.3g", fit.rmse)), largest quadratic-coefficient error \(String(format: "%.2g", worst)), "
        + "condition \(String(format: "%.3g", fit.conditionNumber)))")
}
