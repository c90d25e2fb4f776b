import XCTest
@testable import SymdetectCore

/// The gradient-enhanced Taylor fit (labels and label gradients as stacked equations) against
/// polynomials with known coefficients, the known noise of simulated data and brute-force refits.
final class GradientEnhancedFitTests: XCTestCase {
    /// A polynomial Σ c_α x^α with its value and gradient evaluated term by term (the oracle).
    struct KnownPolynomial {
        let exponents: [[Int]]
        let coefficients: [Double]

        init(dimension d: Int, order: Int, seed: UInt64) {
            var rng = SeededGenerator(seed: seed)
            exponents = MultiIndex.all(dimension: d, order: order)
            coefficients = exponents.map { _ in rng.uniform(-1, 1) }
        }

        func value(_ x: [Double]) -> Double {
            zip(exponents, coefficients).reduce(0.0) { s, term in
                s + term.1 * (0..<x.count).reduce(1.0) { $0 * pow(x[$1], Double(term.0[$1])) }
            }
        }

        func gradient(_ x: [Double]) -> [Double] {
            (0..<x.count).map { j in
                zip(exponents, coefficients).reduce(0.0) { s, term in
                    guard term.0[j] > 0 else { return s }
                    var m = term.1 * Double(term.0[j])
                    for k in 0..<x.count { m *= pow(x[k], Double(k == j ? term.0[k] - 1 : term.0[k])) }
                    return s + m
                }
            }
        }
    }

    /// Samples of `poly` uniform in [−1, 1]^d with Gaussian noise on labels and gradients.
    static func table(_ poly: KnownPolynomial, dimension d: Int, count n: Int, seed: UInt64,
                      labelNoise: Double = 0, gradientNoise: Double = 0, weight: GradientWeight = .estimated) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        var columns = [[Double]](repeating: [], count: d), gradients = [[Double]](repeating: [], count: d)
        var labels: [Double] = []
        for _ in 0..<n {
            let x = (0..<d).map { _ in rng.uniform(-1, 1) }
            for j in 0..<d { columns[j].append(x[j]) }
            labels.append(poly.value(x) + labelNoise * rng.nextGaussian())
            let g = poly.gradient(x)
            for j in 0..<d { gradients[j].append(g[j] + gradientNoise * rng.nextGaussian()) }
        }
        var t = SampleTable(featureNames: (1...d).map { "x\($0)" }, labelName: "y", features: columns, labels: labels)
        t.gradients = LabelGradients(values: gradients, weight: weight)
        return t
    }

    /// 15 samples cannot determine the 35 coefficients of a quartic in three coordinates from
    /// labels alone; with gradients they give 60 equations and every coefficient exactly.
    func testQuarticFromFewerSamplesThanCoefficients() throws {
        let poly = KnownPolynomial(dimension: 3, order: 4, seed: 1)
        let table = Self.table(poly, dimension: 3, count: 15, seed: 2)
        XCTAssertThrowsError(try TaylorFitter.fit(table, labels: table.labels.map { $0 + 1 }, center: [0, 0, 0], order: 4),
                             "labels other than the table's own are fitted alone: too few rows")
        let fit = try TaylorFitter.fit(table, center: [0, 0, 0], order: 4)
        XCTAssertEqual(fit.rank, 35)
        XCTAssertEqual(fit.rowCount, 60)
        XCTAssertEqual(fit.residualDegreesOfFreedom, 25)
        XCTAssertEqual(fit.gradientEquations?.gradientEquations, 45)
        XCTAssertEqual(fit.gradientEquations?.labelEquations, 15)
        for (got, want) in zip(fit.coefficients, poly.coefficients) {
            XCTAssertEqual(got, want, accuracy: 1e-9, "coefficient of a known quartic")
        }
    }

    /// The default weight W = σ_y²/σ_g² (variance components) recovers the simulation's noise
    /// ratio: σ_y = 1e-3, σ_g = 1e-2, so W = 1e-2. With 400 samples (400 label and 800 gradient
    /// residual degrees of freedom, less the 10 parameters) each σ̂² has a relative standard
    /// error ≈ √(2/390) ≈ 7 %: the ratio is within 25 % at well over 2σ.
    func testEstimatedWeightRecoversTheNoiseRatio() throws {
        let poly = KnownPolynomial(dimension: 2, order: 3, seed: 3)
        let table = Self.table(poly, dimension: 2, count: 400, seed: 4, labelNoise: 1e-3, gradientNoise: 1e-2)
        let fit = try TaylorFitter.fit(table, center: [0, 0], order: 3)
        let summary = try XCTUnwrap(fit.gradientEquations)
        XCTAssertTrue(summary.weightWasEstimated)
        XCTAssertEqual(summary.weight / 1e-2, 1, accuracy: 0.25, "estimated W \(summary.weight), true 1e-2")
        // σ is then the label noise, and the gradient RMSE the gradient noise.
        XCTAssertEqual(try XCTUnwrap(fit.sigma) / 1e-3, 1, accuracy: 0.15)
        XCTAssertEqual(summary.gradientRMSE / 1e-2, 1, accuracy: 0.15)
    }

    /// Leave-one-sample-out (all 1 + d equations of a sample) from the hat-matrix blocks equals
    /// the brute-force refits without each sample, at a fixed weight.
    func testLeaveOneSampleOutEqualsRefitsWithoutTheSample() throws {
        let poly = KnownPolynomial(dimension: 2, order: 3, seed: 5)
        let table = Self.table(poly, dimension: 2, count: 14, seed: 6, labelNoise: 0.01, gradientNoise: 0.03,
                               weight: .fixed(0.3))
        let fit = try TaylorFitter.fit(table, center: [0.1, -0.2], order: 3)
        var ss = 0.0
        for i in 0..<table.count {
            let rest = table.rows((0..<table.count).filter { $0 != i })
            let refit = try TaylorFitter.fit(rest, center: [0.1, -0.2], order: 3)
            let r = table.labels[i] - refit.value(at: table.point(i))
            ss += r * r
        }
        let bruteForce = (ss / Double(table.count)).squareRoot()
        XCTAssertEqual(try XCTUnwrap(fit.looRmse), bruteForce, accuracy: 1e-9 * bruteForce)
        XCTAssertGreaterThan(bruteForce, fit.rmse, "leaving a sample out predicts it worse than fitting it")
    }

    /// Standard errors of the stacked, weighted system (σ²(XᵀWX)⁻¹ with σ² from N_eq − p
    /// degrees of freedom) match the spread of the coefficients over 300 noisy replicas of the
    /// same design, within 15 % (the spread of 300 replicas is itself uncertain by ≈ 4 %).
    func testStandardErrorsMatchTheSpreadOverReplicas() throws {
        let poly = KnownPolynomial(dimension: 2, order: 3, seed: 7)
        let base = Self.table(poly, dimension: 2, count: 30, seed: 8, weight: .fixed(0.25))
        var rng = SeededGenerator(seed: 9)
        let p = 10
        var sum = [Double](repeating: 0, count: p), sumSq = sum, stderrSum = sum
        let replicas = 300
        for _ in 0..<replicas {
            var t = base
            t.labels = base.labels.map { $0 + 0.01 * rng.nextGaussian() }
            t.gradients!.values = base.gradients!.values.map { $0.map { $0 + 0.02 * rng.nextGaussian() } }
            let fit = try TaylorFitter.fit(t, center: [0, 0], order: 3)
            for a in 0..<p {
                let c = fit.coefficients[a] - poly.coefficients[a]
                sum[a] += c; sumSq[a] += c * c
                stderrSum[a] += try XCTUnwrap(fit.standardErrors[a])
            }
        }
        for a in 0..<p {
            let mean = sum[a] / Double(replicas)
            let spread = (sumSq[a] / Double(replicas) - mean * mean).squareRoot()
            XCTAssertEqual(stderrSum[a] / Double(replicas) / spread, 1, accuracy: 0.15, "coefficient \(a)")
        }
    }

    /// The nested F test (order k against k + 1, both at the order-k fit's weight) holds its
    /// size on stacked equations: on data from an order-3 polynomial with noise, p < 0.05 in
    /// about 5 % of 200 replicas (binomial: 10 ± 3; accepted 2 … 20).
    func testNestedFTestHoldsItsSizeOnStackedEquations() throws {
        let poly = KnownPolynomial(dimension: 2, order: 3, seed: 10)
        var rejections = 0
        for seed in 0..<200 {
            let t = Self.table(poly, dimension: 2, count: 40, seed: 100 + UInt64(seed), labelNoise: 0.01, gradientNoise: 0.05)
            let fit = try TaylorFitter.fit(t, center: [0, 0], order: 3)
            let p = try XCTUnwrap(FitPipeline.higherOrderPValue(t, labels: t.labels, fit: fit))
            if p < 0.05 { rejections += 1 }
        }
        XCTAssertGreaterThanOrEqual(rejections, 2)
        XCTAssertLessThanOrEqual(rejections, 20)
    }

    /// A large system (N_eq·p² above the extended-precision limit: 1500 samples × 5 equations,
    /// 70 coefficients) takes the semi-normal BLAS-3 path and still recovers a quartic in four
    /// coordinates exactly from noise-free labels and gradients.
    func testLargeSystemRecoversAQuartic() throws {
        let poly = KnownPolynomial(dimension: 4, order: 4, seed: 11)
        let table = Self.table(poly, dimension: 4, count: 1500, seed: 12)
        XCTAssertGreaterThan(table.equationCount * 70 * 70, ExtendedPrecisionLeastSquares.workLimit)
        let fit = try TaylorFitter.fit(table, center: [0, 0, 0, 0], order: 4)
        XCTAssertEqual(fit.rowCount, 7500)
        for (got, want) in zip(fit.coefficients, poly.coefficients) { XCTAssertEqual(got, want, accuracy: 1e-9) }
    }
}
